package io.mraflow.decode;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;

import io.mraflow.capture.CapturedPacket;
import org.junit.jupiter.api.Test;

/** Decoding allocates nothing: DESIGN.md's per-packet path rule. */
class AllocationTest {
    static final int DECODES = 1_000_000;

    @Test
    void decodingAllocatesNothing() {
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
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().getId();

        long sink = run(decoder, view, packets, DECODES / 2); // warm-up: let the JIT compile it all
        final long before = threads.getThreadAllocatedBytes(thread);
        sink += run(decoder, view, packets, DECODES);
        final long allocated = threads.getThreadAllocatedBytes(thread) - before;

        final double perDecode = (double) allocated / DECODES;
        assertTrue(perDecode < 0.01, allocated + " bytes over " + DECODES + " decodes (" + perDecode + " per decode)");
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
