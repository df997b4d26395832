package io.mraflow.decode;

import static io.mraflow.decode.NetworkOrder.u16;
import static io.mraflow.decode.NetworkOrder.u32;
import static io.mraflow.decode.NetworkOrder.u8;

import io.mraflow.decode.HeaderOffsets.Ipv6Ext;
import org.agrona.DirectBuffer;

/**
 * Walks an IPv6 extension header chain to the upper-layer protocol, picking up the fragment
 * header on the way. Used for the packet itself and for the packet an ICMPv6 error quotes.
 * The results are left in this object's fields, which the one decoding thread reads right after
 * {@link #walk}; one instance per user, never shared.
 */
final class Ipv6ExtensionChain {
    /** The upper-layer protocol (or the header type the walk stopped at, when cut short). */
    int protocol;
    /** Where the upper-layer header starts. */
    int transportOffset;
    boolean fragmentHeader;
    int fragOffset;
    boolean moreFragments;
    long fragId;

    /**
     * Walks from {@code at}, where a header of type {@code next} starts.
     *
     * @param capturedEnd one past the last captured byte the chain may read
     * @param wireEnd     one past the last byte of the IPv6 packet as its payload length says
     * @return {@link DecodeStatus#OK}, {@link DecodeStatus#TRUNCATED} when the capture ends inside
     *     the chain, or {@link DecodeStatus#MALFORMED} when a header runs past the packet's end
     */
    int walk(final DirectBuffer b, final int at, final int next, final int capturedEnd, final int wireEnd) {
        fragmentHeader = false;
        fragOffset = 0;
        moreFragments = false;
        fragId = 0;
        int type = next;
        int pos = at;
        // Every header is at least 8 bytes, so the walk ends by the captured length.
        while (true) {
            protocol = type;
            transportOffset = pos;
            final int length;
            switch (type) {
                case Ipv6Ext.HOP_BY_HOP, Ipv6Ext.ROUTING, Ipv6Ext.DEST_OPTIONS, Ipv6Ext.MOBILITY -> {
                    if (pos > capturedEnd - 2) {
                        return DecodeStatus.TRUNCATED;
                    }
                    length = (u8(b, pos + Ipv6Ext.HDR_LEN) + 1) * 8;
                }
                case Ipv6Ext.AH -> {
                    if (pos > capturedEnd - 2) {
                        return DecodeStatus.TRUNCATED;
                    }
                    length = (u8(b, pos + Ipv6Ext.HDR_LEN) + 2) * 4;
                }
                case Ipv6Ext.FRAGMENT -> {
                    if (pos > capturedEnd - Ipv6Ext.FRAG_LENGTH) {
                        return DecodeStatus.TRUNCATED;
                    }
                    final int offsetFlags = u16(b, pos + Ipv6Ext.FRAG_OFFSET_FLAGS);
                    fragmentHeader = true;
                    fragOffset = offsetFlags & Ipv6Ext.FRAG_OFFSET_MASK;
                    moreFragments = (offsetFlags & Ipv6Ext.FRAG_MORE) != 0;
                    fragId = u32(b, pos + Ipv6Ext.FRAG_ID);
                    length = Ipv6Ext.FRAG_LENGTH;
                    if (fragOffset != 0) {
                        // A later fragment: what follows is the middle of the payload, not headers.
                        protocol = u8(b, pos + Ipv6Ext.NEXT_HEADER);
                        transportOffset = pos + length;
                        return DecodeStatus.OK;
                    }
                }
                default -> {
                    return DecodeStatus.OK; // upper layer, or 59 "no next header"
                }
            }
            if (length > wireEnd - pos) {
                return DecodeStatus.MALFORMED;
            }
            type = u8(b, pos + Ipv6Ext.NEXT_HEADER);
            pos += length;
        }
    }
}
