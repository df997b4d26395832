package io.mraflow.decode;

import static io.mraflow.decode.NetworkOrder.mappedIpv4;
import static io.mraflow.decode.NetworkOrder.u16;
import static io.mraflow.decode.NetworkOrder.u64;
import static io.mraflow.decode.NetworkOrder.u8;

import io.mraflow.decode.HeaderOffsets.Icmp;
import io.mraflow.decode.HeaderOffsets.Ipv4;
import io.mraflow.decode.HeaderOffsets.Ipv6;
import io.mraflow.decode.HeaderOffsets.Tcp;
import org.agrona.DirectBuffer;

/**
 * Reads ICMP and ICMPv6 type and code and, for the error messages, the header of the packet they
 * quote, so that an unreachable or time-exceeded can be laid at the door of the flow that caused
 * it. Owned by one {@link PacketDecoder}; single-threaded.
 */
final class IcmpErrorDecoder {

    private static final int ICMP_UNREACHABLE = 3;
    private static final int ICMP_TIME_EXCEEDED = 11;
    private static final int ICMP_PARAMETER_PROBLEM = 12;
    private static final int ICMPV6_FIRST_ERROR = 1; // unreachable, too big, time exceeded,
    private static final int ICMPV6_LAST_ERROR = 4;  // parameter problem

    private final Ipv6ExtensionChain quotedChain = new Ipv6ExtensionChain();

    /**
     * Decodes the ICMP message at the cursor. A quote cut short is normal (routers quote as
     * little as 8 bytes past the IP header) and is not reported as truncation.
     */
    void decode(final DirectBuffer b, final LayerCursor c, final PacketView out, final boolean v6) {
        TransportDecoder.opaque(c, out);
        final int at = c.offset;
        if (!c.has(at, 2)) {
            c.truncated = true;
            return;
        }
        out.icmpType = u8(b, at + Icmp.TYPE);
        out.icmpCode = u8(b, at + Icmp.CODE);
        final boolean error = v6
            ? out.icmpType >= ICMPV6_FIRST_ERROR && out.icmpType <= ICMPV6_LAST_ERROR
            : out.icmpType == ICMP_UNREACHABLE || out.icmpType == ICMP_TIME_EXCEEDED
                || out.icmpType == ICMP_PARAMETER_PROBLEM;
        final int quoted = at + Icmp.QUOTED;
        if (!error || !c.has(quoted, 1)) {
            return;
        }
        final int version = u8(b, quoted) >>> 4;
        final int transport;
        if (version == 4) {
            transport = quotedIpv4(b, quoted, c, out);
        } else if (version == 6) {
            transport = quotedIpv6(b, quoted, c, out);
        } else {
            return;
        }
        if (transport >= 0 && (out.quotedProto == IpProto.TCP
            || out.quotedProto == IpProto.UDP) && c.has(transport, HeaderOffsets.PORTS_LENGTH)) {
            out.quotedSrcPort = u16(b, transport + Tcp.SRC_PORT);
            out.quotedDstPort = u16(b, transport + Tcp.DST_PORT);
            out.icmpError = true;
        }
    }

    /** @return where the quoted transport header starts, or -1 when it cannot carry ports */
    private static int quotedIpv4(final DirectBuffer b, final int at, final LayerCursor c, final PacketView out) {
        if (!c.has(at, Ipv4.MIN_LENGTH)) {
            return -1;
        }
        final int headerLength = (u8(b, at + Ipv4.VERSION_IHL) & 0x0f) * 4;
        if (headerLength < Ipv4.MIN_LENGTH) {
            return -1;
        }
        out.quotedProto = u8(b, at + Ipv4.PROTOCOL);
        out.quotedSrcHi = 0;
        out.quotedSrcLo = mappedIpv4(b, at + Ipv4.SRC);
        out.quotedDstHi = 0;
        out.quotedDstLo = mappedIpv4(b, at + Ipv4.DST);
        final boolean laterFragment = (u16(b, at + Ipv4.FLAGS_FRAGMENT) & Ipv4.OFFSET_MASK) != 0;
        return laterFragment ? -1 : at + headerLength;
    }

    private int quotedIpv6(final DirectBuffer b, final int at, final LayerCursor c, final PacketView out) {
        if (!c.has(at, Ipv6.LENGTH)) {
            return -1;
        }
        out.quotedSrcHi = u64(b, at + Ipv6.SRC);
        out.quotedSrcLo = u64(b, at + Ipv6.SRC + 8);
        out.quotedDstHi = u64(b, at + Ipv6.DST);
        out.quotedDstLo = u64(b, at + Ipv6.DST + 8);
        // The quote ends wherever the router cut it: bound the chain by the capture only.
        final int status = quotedChain.walk(b, at + Ipv6.LENGTH, u8(b, at + Ipv6.NEXT_HEADER), c.end, Integer.MAX_VALUE);
        out.quotedProto = quotedChain.protocol;
        if (status != DecodeStatus.OK || quotedChain.fragOffset != 0) {
            return -1;
        }
        return quotedChain.transportOffset;
    }
}
