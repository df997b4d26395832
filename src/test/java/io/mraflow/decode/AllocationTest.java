package io.mraflow.decode;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mraflow.capture.CapturedPacket;
import io.mraflow.testing.AllocationMeter;
import org.junit.jupiter.api.Test;

/** Decoding allocates nothing: DESIGN.md's per-packet path rule. */
class AllocationTest {
    static final int DECODES = 1_000_000;

    private long sink;

    @Test
    void decodingAllocatesNothing() throws Exception {
        // One packet of each kind of path: tunnels, IPv6 extension headers and fragments,
        // ICMP errors, VLANs, cooked capture, NFLOG, PPP, non-IP.
        final String[][] picks = {
            {"heplify/erspan_sip_ipv4_udp.pcapng", "0"}, {"ndpi/gre.pcapng", "0"}, {"sngrep/ipip.pcap", "1"},
            {"zeek/icmp/icmp6-destunreach-ip6ext-udp.pcap", "0"}, {"zeek/icmp/icmp-destunreach-udp.pcap", "0"},
            {"zeek/vlan-qinqinq.pcap", "0"}, {"sngrep/ipv6frag.pcap", "3"}, {"arkime/nflog.pcap", "0"},
            {"ndpi/dlt_ppp.pcap", "0"}, {"ndpi/teams.pcap", "0"}, {"arkime/ssh2.pcap", "3"},
        };
        final CapturedPacket[] packets = new CapturedPacket[picks.length];
        for (int i = 0; i < picks.length; i++) {
            packets[i] = new CapturedPacket();
            Frames.capture(picks[i][0]).load(Integer.parseInt(picks[i][1]), packets[i]);
        }
        final PacketDecoder decoder = new PacketDecoder();
        final PacketView view = new PacketView();

        AllocationMeter.assertAllocatesNothing("decode", DECODES, n -> sink += run(decoder, view, packets, n));
        assertTrue(sink != 42); // keeps the results alive
    }

    private static long run(final PacketDecoder decoder, final PacketView view, final CapturedPacket[] packets, final int n) {
        long sink = 0;
        for (int i = 0; i < n; i++) {
            decoder.decode(packets[i % packets.length], view);
            sink += view.srcPort + view.status + view.quotedDstPort;
        }
        return sink;
    }
}
