package io.mraflow.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.mraflow.capture.CapturedPacket;
import io.mraflow.capture.LinkType;
import org.junit.jupiter.api.Test;

class PacketDecoderTest {
    @Test
    void recordFieldsAreCopiedFromThePacket() {
        final byte[] bytes = Frames.cat(Frames.eth(0x0806), new byte[28]);
        final CapturedPacket pkt = new CapturedPacket();
        pkt.bytes.wrap(bytes);
        pkt.capLen = bytes.length;
        pkt.wireLen = 60;
        pkt.tsNanos = 1_334_160_095_895_421_000L;
        pkt.linkType = LinkType.EN10MB;
        final PacketView v = new PacketView();
        new PacketDecoder().decode(pkt, v);
        assertEquals(1_334_160_095_895_421_000L, v.tsNanos);
        assertEquals(60, v.wireLen);
        assertEquals(bytes.length, v.capLen);
        assertEquals(DecodeStatus.NOT_IP, v.status);
    }

    @Test
    void nothingFromThePreviousPacketLeaksIntoTheNext() {
        final PacketDecoder decoder = new PacketDecoder();
        final PacketView v = new PacketView();
        final CapturedPacket pkt = new CapturedPacket();
        // A tunnelled packet, then an ICMPv6 error, then ARP: the view must end up as fresh.
        Frames.capture("ndpi/gre.pcapng").load(0, pkt);
        decoder.decode(pkt, v);
        assertEquals(1, v.tunnelDepth);
        Frames.capture("zeek/icmp/icmp6-destunreach-ip6ext-udp.pcap").load(0, pkt);
        decoder.decode(pkt, v);
        assertEquals(0, v.tunnelDepth);
        assertEquals(0, v.srcPort);
        final byte[] arp = Frames.cat(Frames.eth(0x0806), new byte[28]);
        pkt.bytes.wrap(arp);
        pkt.capLen = pkt.wireLen = arp.length;
        pkt.linkType = LinkType.EN10MB;
        pkt.tsNanos = 0;
        decoder.decode(pkt, v);

        final PacketView fresh = new PacketView();
        fresh.reset();
        fresh.status = DecodeStatus.NOT_IP;
        fresh.capLen = fresh.wireLen = arp.length;
        fresh.buffer = pkt.bytes; // the view points into the packet it was decoded from
        assertEquals(describe(fresh), describe(v));
        assertFalse(v.icmpError);
    }

    /** Every field by reflection, so a field added later is covered too. */
    static String describe(final PacketView v) {
        final StringBuilder s = new StringBuilder();
        for (final java.lang.reflect.Field f : PacketView.class.getFields()) {
            try {
                s.append(f.getName()).append('=').append(f.get(v)).append(' ');
            } catch (final IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
        return s.toString();
    }
}
