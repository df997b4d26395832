package io.mraflow.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import io.mraflow.capture.CapturedPacket;
import io.mraflow.capture.LinkType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Packets cut at every length, and packets with random bytes changed, never make the decoder
 * throw or read outside the captured bytes (the buffer is wrapped to exactly the cut length and
 * Agrona's bounds checks are on, so a read past it would throw).
 */
class TruncationTest {
    @BeforeAll
    static void boundsChecksAreOn() {
        assertTrue(DirectBuffer.SHOULD_BOUNDS_CHECK, "these tests need Agrona's bounds checks to see stray reads");
    }

    static final int ETH = 14;
    static final int IP = ETH + 20;
    static final int TCP = IP + 20;

    @Test
    void tcpIpv4EthernetCutAtEveryLength() {
        final TestCaptureFile file = Frames.capture("arkime/ssh2.pcap");
        final CapturedPacket pkt = new CapturedPacket();
        final PacketView full = new PacketView();
        final PacketDecoder decoder = new PacketDecoder();
        int index = 0;
        do {
            file.load(index++, pkt);
            decoder.decode(pkt, full);
        } while (full.payloadLen == 0 || pkt.capLen != pkt.wireLen);
        assertEquals(DecodeStatus.OK, full.status);
        final byte[] bytes = new byte[pkt.capLen];
        pkt.bytes.getBytes(0, bytes);
        final int tcpEnd = full.payloadOffset;

        for (int cut = 0; cut <= bytes.length; cut++) {
            final PacketView v = Frames.decode(LinkType.EN10MB, bytes, cut);
            final String at = "cut at " + cut;
            assertEquals(cut, v.capLen, at);
            if (cut == bytes.length) {
                assertEquals(DecodeStatus.OK, v.status, at);
            } else {
                assertEquals(DecodeStatus.TRUNCATED, v.status, at);
            }
            if (cut < IP) {
                assertEquals(0, v.ipVersion, at);
                continue;
            }
            assertEquals(4, v.ipVersion, at);
            assertEquals(full.srcLo, v.srcLo, at);
            assertEquals(full.dstLo, v.dstLo, at);
            assertEquals(full.ipLen, v.ipLen, at);
            assertEquals(cut >= IP + 4, v.hasPorts, at);
            if (v.hasPorts) {
                assertEquals(full.srcPort, v.srcPort, at);
                assertEquals(full.dstPort, v.dstPort, at);
            }
            if (cut >= TCP) {
                assertEquals(full.tcpSeq, v.tcpSeq, at);
                assertEquals(full.tcpFlags, v.tcpFlags, at);
            }
            if (cut >= tcpEnd) {
                assertEquals(full.payloadLen, v.payloadLen, at);
                assertEquals(cut - tcpEnd, v.payloadCapLen, at);
            }
        }
    }

    /** Every packet of each capture, cut at every length. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "heplify/erspan_sip_ipv4_udp.pcapng", "ndpi/gre.pcapng", "sngrep/ipip.pcap", "arkime/nflog.pcap",
        "arkime/v6.pcap", "zeek/icmp/icmp6-destunreach-ip6ext-udp.pcap", "zeek/icmp/icmp-destunreach-udp.pcap",
        "zeek/vlan-qinqinq.pcap", "sngrep/ipv6frag.pcap", "zeek/linux_dlt_sll2.pcap", "ndpi/dlt_ppp.pcap",
        "suricata-verify/tls-duplicate-hello/input.pcap", "zeek/sip/sip-long-request-response-paths.pcap",
        "ndpi/stun_signal.pcapng"})
    void everyPacketCutAtEveryLengthNeverThrows(final String capture) {
        final TestCaptureFile file = Frames.capture(capture);
        final CapturedPacket pkt = new CapturedPacket();
        final PacketView v = new PacketView();
        final PacketDecoder decoder = new PacketDecoder();
        for (int i = 0; i < file.records.size(); i++) {
            final TestCaptureFile.Record r = file.records.get(i);
            for (int cut = 0; cut <= r.capLen(); cut++) {
                pkt.bytes.wrap(file.bytes, r.offset(), cut);
                pkt.capLen = cut;
                pkt.wireLen = r.wireLen();
                pkt.linkType = r.linkType();
                decoder.decode(pkt, v);
                assertInvariants(v, cut, "frame " + (i + 1) + " cut at " + cut);
                if (cut < r.capLen() && v.status == DecodeStatus.OK) {
                    // Only trailing bytes outside the IP packet (padding, FCS) may be cut unnoticed.
                    assertTrue(v.ipVersion != 0, "frame " + (i + 1) + " cut at " + cut);
                }
            }
        }
    }

    @Test
    void randomlyDamagedRealPacketsNeverThrow() {
        final String[] captures = {"heplify/erspan_sip_ipv4_udp.pcapng", "ndpi/gre.pcapng", "sngrep/ipip.pcap",
            "arkime/nflog.pcap", "arkime/v6.pcap", "zeek/icmp/icmp6-destunreach-ip6ext-udp.pcap", "ndpi/stun.pcap",
            "zeek/vlan-qinqinq.pcap", "sngrep/ipv6frag.pcap"};
        final int[] linkTypes = {LinkType.EN10MB, LinkType.RAW, LinkType.NULL, LinkType.LOOP, LinkType.NFLOG,
            LinkType.PPP, LinkType.PPP_HDLC, LinkType.LINUX_SLL, LinkType.LINUX_SLL2};
        final Random random = new Random(20261126L);
        final CapturedPacket pkt = new CapturedPacket();
        final PacketView v = new PacketView();
        final PacketDecoder decoder = new PacketDecoder();
        for (final String capture : captures) {
            final TestCaptureFile file = Frames.capture(capture);
            for (int round = 0; round < 20_000; round++) {
                final TestCaptureFile.Record r = file.records.get(random.nextInt(file.records.size()));
                final byte[] bytes = new byte[r.capLen()];
                System.arraycopy(file.bytes, r.offset(), bytes, 0, bytes.length);
                for (int k = random.nextInt(6); k >= 0 && bytes.length > 0; k--) {
                    bytes[random.nextInt(Math.min(bytes.length, 96))] = (byte) random.nextInt(256);
                }
                final int cut = random.nextInt(bytes.length + 1);
                pkt.bytes.wrap(bytes, 0, cut);
                pkt.capLen = cut;
                pkt.wireLen = r.wireLen();
                pkt.linkType = random.nextInt(8) == 0 ? linkTypes[random.nextInt(linkTypes.length)] : r.linkType();
                decoder.decode(pkt, v);
                assertInvariants(v, cut, capture + " round " + round);
            }
        }
    }

    @Test
    void capturedLengthBeyondTheBufferIsNotRead() {
        final byte[] bytes = Frames.cat(Frames.eth(0x0800), Frames.ipv4(17, "10.0.0.1", "10.0.0.2", Frames.udp(1, 2, new byte[0])));
        final CapturedPacket pkt = new CapturedPacket();
        pkt.bytes.wrap(bytes, 0, 20);
        pkt.capLen = bytes.length; // a source that got the record length wrong
        pkt.linkType = LinkType.EN10MB;
        final PacketView v = new PacketView();
        new PacketDecoder().decode(pkt, v);
        assertEquals(DecodeStatus.TRUNCATED, v.status);
    }

    static void assertInvariants(final PacketView v, final int cut, final String at) {
        assertTrue(v.status >= 0 && v.status < DecodeStatus.COUNT, at);
        assertTrue(v.tunnelDepth >= 0 && v.tunnelDepth <= PacketDecoder.MAX_TUNNEL_DEPTH, at);
        assertTrue(v.payloadCapLen >= 0 && v.payloadCapLen <= v.payloadLen, at);
        assertTrue(v.payloadCapLen == 0 || v.payloadOffset + v.payloadCapLen <= cut, at);
        if (v.ipVersion == 0) {
            assertFalse(v.hasPorts, at);
        }
    }
}
