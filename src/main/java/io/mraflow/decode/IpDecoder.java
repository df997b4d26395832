package io.mraflow.decode;

import static io.mraflow.decode.NetworkOrder.mappedIpv4;
import static io.mraflow.decode.NetworkOrder.u16;
import static io.mraflow.decode.NetworkOrder.u64;
import static io.mraflow.decode.NetworkOrder.u8;

import io.mraflow.decode.HeaderOffsets.Ipv4;
import io.mraflow.decode.HeaderOffsets.Ipv6;
import org.agrona.DirectBuffer;

/**
 * Decodes one IPv4 or IPv6 header (with options, extension headers and fragment fields) into
 * the IP fields of the {@link PacketView}, and moves the cursor to the transport header.
 * Called once per IP layer, outermost first, so the innermost layer's values are what remain.
 * Owned by one {@link PacketDecoder}; single-threaded.
 */
final class IpDecoder {
    private final Ipv6ExtensionChain chain = new Ipv6ExtensionChain();

    /**
     * Decodes the IP header the cursor points at. Nothing in {@code out} changes unless the
     * fixed header was captured and is consistent, so a tunnel's inner header that is cut short
     * leaves the outer packet's fields in place.
     *
     * @return {@link DecodeStatus#OK} when the header was decoded (the cursor's {@code truncated}
     *     flag tells whether the packet was cut short later on), {@link DecodeStatus#TRUNCATED}
     *     when the fixed header itself was not captured, {@link DecodeStatus#MALFORMED} when it
     *     contradicts itself or the layer below
     */
    int decode(final DirectBuffer b, final LayerCursor c, final PacketView out) {
        final int at = c.offset;
        if (!c.has(at, 1)) {
            return DecodeStatus.TRUNCATED;
        }
        final int version = u8(b, at) >>> 4;
        if (version == 4 && c.next != LayerCursor.IPV6) {
            return ipv4(b, c, out);
        }
        if (version == 6 && c.next != LayerCursor.IPV4) {
            return ipv6(b, c, out);
        }
        return DecodeStatus.MALFORMED;
    }

    private static int ipv4(final DirectBuffer b, final LayerCursor c, final PacketView out) {
        final int at = c.offset;
        if (!c.has(at, Ipv4.MIN_LENGTH)) {
            return DecodeStatus.TRUNCATED;
        }
        final int headerLength = (u8(b, at + Ipv4.VERSION_IHL) & 0x0f) * 4;
        if (headerLength < Ipv4.MIN_LENGTH) {
            return DecodeStatus.MALFORMED;
        }
        int totalLength = u16(b, at + Ipv4.TOTAL_LENGTH);
        if (totalLength == 0) {
            // Captured before TCP segmentation offload filled the length in (tshark's TSO
            // support does the same): the packet is what was captured.
            totalLength = Math.max(c.end - at, headerLength);
        }
        if (totalLength < headerLength) {
            return DecodeStatus.MALFORMED;
        }
        clearTransport(out);
        out.ipVersion = 4;
        out.srcHi = 0;
        out.srcLo = mappedIpv4(b, at + Ipv4.SRC);
        out.dstHi = 0;
        out.dstLo = mappedIpv4(b, at + Ipv4.DST);
        out.ipProto = u8(b, at + Ipv4.PROTOCOL);
        out.ipLen = totalLength;
        final int flagsFragment = u16(b, at + Ipv4.FLAGS_FRAGMENT);
        out.moreFragments = (flagsFragment & Ipv4.MORE_FRAGMENTS) != 0;
        out.fragOffset = (flagsFragment & Ipv4.OFFSET_MASK) * 8;
        out.fragment = out.moreFragments || out.fragOffset != 0;
        out.fragId = u16(b, at + Ipv4.ID);
        bound(c, at + totalLength);
        c.offset = at + headerLength;
        c.wireLength = totalLength - headerLength;
        return DecodeStatus.OK;
    }

    private int ipv6(final DirectBuffer b, final LayerCursor c, final PacketView out) {
        final int at = c.offset;
        if (!c.has(at, Ipv6.LENGTH)) {
            return DecodeStatus.TRUNCATED;
        }
        int payloadLength = u16(b, at + Ipv6.PAYLOAD_LENGTH);
        if (payloadLength == 0) {
            // A jumbogram or a segmentation-offload capture: the packet is what was captured.
            payloadLength = Math.max(c.end - at - Ipv6.LENGTH, 0);
        }
        final int wireEnd = at + Ipv6.LENGTH + payloadLength;
        final int capturedEnd = Math.min(c.end, wireEnd);
        final int chainStatus = chain.walk(b, at + Ipv6.LENGTH, u8(b, at + Ipv6.NEXT_HEADER), capturedEnd, wireEnd);
        if (chainStatus == DecodeStatus.MALFORMED) {
            return DecodeStatus.MALFORMED;
        }
        clearTransport(out);
        out.ipVersion = 6;
        out.srcHi = u64(b, at + Ipv6.SRC);
        out.srcLo = u64(b, at + Ipv6.SRC + 8);
        out.dstHi = u64(b, at + Ipv6.DST);
        out.dstLo = u64(b, at + Ipv6.DST + 8);
        out.ipProto = chain.protocol;
        out.ipLen = Ipv6.LENGTH + payloadLength;
        out.fragment = chain.fragmentHeader && (chain.fragOffset != 0 || chain.moreFragments);
        out.fragOffset = chain.fragOffset;
        out.moreFragments = chain.moreFragments;
        out.fragId = chain.fragId;
        bound(c, wireEnd);
        if (chainStatus == DecodeStatus.TRUNCATED) {
            c.truncated = true;
        }
        c.offset = chain.transportOffset;
        c.wireLength = Math.max(wireEnd - chain.transportOffset, 0);
        return DecodeStatus.OK;
    }

    /** Limits the layer to the IP packet's own bytes (dropping Ethernet padding), or notes the cut. */
    private static void bound(final LayerCursor c, final int wireEnd) {
        if (wireEnd > c.end) {
            c.truncated = true;
        } else {
            c.end = wireEnd;
        }
    }

    /** An inner IP layer replaces whatever the outer layer's transport header left behind. */
    private static void clearTransport(final PacketView out) {
        out.hasPorts = false;
        out.srcPort = out.dstPort = 0;
        out.tcpFlags = 0;
        out.tcpSeq = out.tcpAck = 0;
        out.tcpWindow = 0;
        out.payloadLen = out.payloadOffset = out.payloadCapLen = 0;
    }
}
