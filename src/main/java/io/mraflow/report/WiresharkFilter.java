package io.mraflow.report;

import io.mraflow.decode.IpProto;
import io.mraflow.flow.FlowRecord;

/**
 * A Wireshark display filter that selects one flow, both directions, and nothing else: what a
 * troubleshooter pastes into Wireshark to open the flow a finding is about. Stateless; any thread.
 *
 * <p>Each direction is one clause that pins source address and port together, so the flow
 * {@code A:p <-> B:q} is not confused with {@code A:q <-> B:p}:
 * <pre>
 * ((ip.src==A &amp;&amp; tcp.srcport==p &amp;&amp; ip.dst==B &amp;&amp; tcp.dstport==q) ||
 *  (ip.src==B &amp;&amp; tcp.srcport==q &amp;&amp; ip.dst==A &amp;&amp; tcp.dstport==p) || FRAGMENTS)
 *  &amp;&amp; !icmp &amp;&amp; !icmpv6 &amp;&amp; frame.time_epoch&gt;=FIRST &amp;&amp; frame.time_epoch&lt;=LAST
 * </pre>
 * Wireshark matches {@code ip.src} at any layer, so a flow inside GRE, VXLAN, GTP or IP-in-IP is
 * found by its inner addresses, as mraflow follows it.
 *
 * <p>Things a field-based filter sees differently from the flow table, and what is done:
 * <ul>
 * <li>A 5-tuple can carry several flows one after another (a port reused, a UDP flow idle past its
 * timeout): {@code frame.time_epoch} bounds the filter to the flow's first and last packet, to
 * the nanosecond (Wireshark reads the bound exactly).
 * <li>IP fragments carry no ports; Wireshark shows the ports on the frame that completes the
 * reassembly only. The other fragments are taken by the two addresses and the protocol
 * ({@code ip.proto} with {@code ip.flags.mf} or {@code ip.frag_offset}; IPv6
 * {@code ipv6.fraghdr.nxt}) within the flow's time: fragments of another flow of the same protocol
 * between the same two hosts at the same time are selected too, the one place the filter is wider
 * than the flow.
 * <li>An ICMP error quotes the header of the packet it reports, and Wireshark dissects the quoted
 * IP and TCP/UDP headers into the same fields, so the direction clauses match an ICMP error about
 * the flow. For an {@code ICMP_UNREACHABLE} finding that is wanted: its filter is the flow and the
 * errors quoting it, which come after the packet they quote (so after the flow's first packet,
 * not bounded by its last: the flow table counts an error that comes within the flow's idle
 * timeout). For every other finding {@code !icmp && !icmpv6} keeps to the flow's own packets.
 * </ul>
 */
public final class WiresharkFilter {
    private WiresharkFilter() {
    }

    /**
     * The filter for {@code flow}: its packets, and with {@code icmpErrors} also the ICMP and
     * ICMPv6 errors that quote them.
     */
    public static String of(final FlowRecord flow, final boolean icmpErrors) {
        return appendTo(new StringBuilder(400), flow, icmpErrors).toString();
    }

    /** {@link #of} appended to {@code b} (a report reuses one builder for every flow). */
    public static StringBuilder appendTo(final StringBuilder b, final FlowRecord flow, final boolean icmpErrors) {
        final boolean v4 = AddressFormat.isV4(flow.origHi(), flow.origLo());
        final String ip = v4 ? "ip" : "ipv6";
        final String transport = flow.ipProto() == IpProto.TCP ? "tcp" : "udp";
        final String orig = AddressFormat.format(flow.origHi(), flow.origLo());
        final String resp = AddressFormat.format(flow.respHi(), flow.respLo());
        b.append('(');
        direction(b, ip, transport, orig, flow.origPort(), resp, flow.respPort());
        b.append(" || ");
        direction(b, ip, transport, resp, flow.respPort(), orig, flow.origPort());
        b.append(" || (").append(ip).append(".addr==").append(orig).append(" && ").append(ip).append(".addr==").append(resp);
        if (v4) {
            b.append(" && ip.proto==").append(flow.ipProto()).append(" && (ip.flags.mf==1 || ip.frag_offset>0))");
        } else {
            b.append(" && ipv6.fraghdr.nxt==").append(flow.ipProto()).append(')');
        }
        b.append(')');
        if (!icmpErrors) {
            b.append(" && !icmp && !icmpv6");
        }
        b.append(" && frame.time_epoch>=");
        epoch(b, flow.tsNanos());
        b.append(icmpErrors ? " && (frame.time_epoch<=" : " && frame.time_epoch<=");
        epoch(b, flow.lastTsNanos());
        if (icmpErrors) {
            b.append(" || icmp || icmpv6)");
        }
        return b;
    }

    /** Nanoseconds since the epoch as Wireshark's epoch time, {@code seconds.nnnnnnnnn}: exact. */
    private static void epoch(final StringBuilder b, final long nanos) {
        final String fraction = Long.toString(1_000_000_000L + Math.floorMod(nanos, 1_000_000_000L));
        b.append(Math.floorDiv(nanos, 1_000_000_000L)).append('.').append(fraction, 1, fraction.length());
    }

    /** One direction: source address and port, destination address and port, all four together. */
    private static void direction(final StringBuilder b, final String ip, final String transport,
                                  final String src, final int srcPort, final String dst, final int dstPort) {
        b.append('(').append(ip).append(".src==").append(src)
                .append(" && ").append(transport).append(".srcport==").append(srcPort)
                .append(" && ").append(ip).append(".dst==").append(dst)
                .append(" && ").append(transport).append(".dstport==").append(dstPort).append(')');
    }
}
