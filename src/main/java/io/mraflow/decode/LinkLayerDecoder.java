package io.mraflow.decode;

import static io.mraflow.decode.NetworkOrder.u16;
import static io.mraflow.decode.NetworkOrder.u16le;
import static io.mraflow.decode.NetworkOrder.u32;
import static io.mraflow.decode.NetworkOrder.u32le;
import static io.mraflow.decode.NetworkOrder.u8;

import io.mraflow.capture.LinkType;
import io.mraflow.decode.HeaderOffsets.Ethernet;
import io.mraflow.decode.HeaderOffsets.Loopback;
import io.mraflow.decode.HeaderOffsets.Mpls;
import io.mraflow.decode.HeaderOffsets.Nflog;
import io.mraflow.decode.HeaderOffsets.Ppp;
import io.mraflow.decode.HeaderOffsets.PppoeSession;
import io.mraflow.decode.HeaderOffsets.Sll;
import io.mraflow.decode.HeaderOffsets.Sll2;
import io.mraflow.decode.HeaderOffsets.VlanTag;
import org.agrona.DirectBuffer;

/**
 * Finds the network-layer header behind a link-layer header: the capture's own link type at the
 * start of a packet, and the Ethernet or PPP frames that tunnels carry. Stateless; each method
 * points the {@link LayerCursor} at what follows and returns a {@link DecodeStatus}.
 */
final class LinkLayerDecoder {
    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_IPV6 = 0x86dd;
    static final int ETHERTYPE_VLAN = 0x8100;
    static final int ETHERTYPE_QINQ = 0x88a8;
    static final int ETHERTYPE_QINQ_OLD = 0x9100;
    static final int ETHERTYPE_MPLS = 0x8847;
    static final int ETHERTYPE_MPLS_MULTICAST = 0x8848;
    static final int ETHERTYPE_PPPOE_SESSION = 0x8864;

    private LinkLayerDecoder() {
    }

    static boolean supports(final int linkType) {
        return switch (linkType) {
            case LinkType.NULL, LinkType.EN10MB, LinkType.PPP, LinkType.PPP_HDLC, LinkType.RAW,
                 LinkType.DLT_RAW_BSD, LinkType.DLT_RAW_OPENBSD, LinkType.LOOP, LinkType.LINUX_SLL,
                 LinkType.IPV4, LinkType.IPV6, LinkType.NFLOG, LinkType.LINUX_SLL2 -> true;
            default -> false;
        };
    }

    /** Decodes the capture's link-layer header at index 0. */
    static int decode(final int linkType, final DirectBuffer b, final LayerCursor c) {
        return switch (linkType) {
            case LinkType.EN10MB -> ethernet(b, 0, c);
            case LinkType.RAW, LinkType.DLT_RAW_BSD, LinkType.DLT_RAW_OPENBSD, LinkType.IPV4, LinkType.IPV6 ->
                c.moveTo(LayerCursor.IP, 0);
            case LinkType.LINUX_SLL -> cooked(b, Sll.PROTOCOL, Sll.LENGTH, c);
            case LinkType.LINUX_SLL2 -> cooked(b, Sll2.PROTOCOL, Sll2.LENGTH, c);
            case LinkType.NULL -> loopback(b, c, false);
            case LinkType.LOOP -> loopback(b, c, true);
            case LinkType.NFLOG -> nflog(b, c);
            case LinkType.PPP, LinkType.PPP_HDLC -> pppOrCiscoHdlc(b, 0, c);
            default -> DecodeStatus.UNSUPPORTED_LINK;
        };
    }

    /** An Ethernet frame at {@code at}: MAC addresses, then the EtherType chain. */
    static int ethernet(final DirectBuffer b, final int at, final LayerCursor c) {
        if (!c.has(at, Ethernet.LENGTH)) {
            return DecodeStatus.TRUNCATED;
        }
        return etherType(b, u16(b, at + Ethernet.TYPE), at + Ethernet.LENGTH, c);
    }

    /**
     * Follows an EtherType whose header ends at {@code after}: VLAN tags of any kind and depth,
     * MPLS labels and PPPoE sessions are stepped over; IP is where it stops.
     */
    static int etherType(final DirectBuffer b, final int type, final int after, final LayerCursor c) {
        int t = type;
        int at = after;
        // Each tag consumes 4 captured bytes, so the loop ends by the captured length at worst.
        while (t == ETHERTYPE_VLAN || t == ETHERTYPE_QINQ || t == ETHERTYPE_QINQ_OLD) {
            if (!c.has(at, VlanTag.LENGTH)) {
                return DecodeStatus.TRUNCATED;
            }
            t = u16(b, at + VlanTag.TYPE);
            at += VlanTag.LENGTH;
        }
        if (t < Ethernet.MIN_ETHERTYPE) {
            return DecodeStatus.NOT_IP; // 802.3 length: LLC (STP, CDP, ...) follows
        }
        return switch (t) {
            case ETHERTYPE_IPV4 -> c.moveTo(LayerCursor.IPV4, at);
            case ETHERTYPE_IPV6 -> c.moveTo(LayerCursor.IPV6, at);
            case ETHERTYPE_MPLS, ETHERTYPE_MPLS_MULTICAST -> mpls(b, at, c);
            case ETHERTYPE_PPPOE_SESSION -> c.has(at, PppoeSession.PPP + 2)
                ? pppProtocol(u16(b, at + PppoeSession.PPP), at + PppoeSession.PPP + 2, c)
                : DecodeStatus.TRUNCATED;
            default -> DecodeStatus.NOT_IP;
        };
    }

    /** MPLS label stack: skipped to the bottom entry; an IP payload is told by its version nibble. */
    private static int mpls(final DirectBuffer b, final int after, final LayerCursor c) {
        int at = after;
        while (true) {
            if (!c.has(at, Mpls.LENGTH)) {
                return DecodeStatus.TRUNCATED;
            }
            final boolean bottom = (u8(b, at + Mpls.BOTTOM_BYTE) & Mpls.BOTTOM_BIT) != 0;
            at += Mpls.LENGTH;
            if (bottom) {
                break;
            }
        }
        if (!c.has(at, 1)) {
            return DecodeStatus.TRUNCATED;
        }
        final int version = u8(b, at) >>> 4;
        // Anything else is a pseudowire (control word 0) or unknown payload: not ours to guess.
        return version == 4 || version == 6 ? c.moveTo(LayerCursor.IP, at) : DecodeStatus.NOT_IP;
    }

    /** Linux cooked captures v1 and v2: a fixed header with an EtherType-valued protocol field. */
    private static int cooked(final DirectBuffer b, final int protocolAt, final int length, final LayerCursor c) {
        if (!c.has(0, length)) {
            return DecodeStatus.TRUNCATED;
        }
        return etherType(b, u16(b, protocolAt), length, c);
    }

    /**
     * BSD loopback. LINKTYPE_NULL's family is in the capturing host's byte order, which the
     * file does not say, so both orders are tried: a family is a small number, and the wrong
     * order makes it at least 2^16.
     */
    private static int loopback(final DirectBuffer b, final LayerCursor c, final boolean networkOrder) {
        if (!c.has(0, Loopback.LENGTH)) {
            return DecodeStatus.TRUNCATED;
        }
        long family = networkOrder ? u32(b, Loopback.FAMILY) : u32le(b, Loopback.FAMILY);
        if (!networkOrder && family > 0xffff) {
            family = u32(b, Loopback.FAMILY);
        }
        if (family == Loopback.AF_INET) {
            return c.moveTo(LayerCursor.IPV4, Loopback.LENGTH);
        }
        if (family == Loopback.AF_INET6_BSD || family == Loopback.AF_INET6_FREEBSD
            || family == Loopback.AF_INET6_DARWIN) {
            return c.moveTo(LayerCursor.IPV6, Loopback.LENGTH);
        }
        return DecodeStatus.NOT_IP;
    }

    /**
     * NFLOG: walks the TLVs to the payload one. Lengths are in the capturing host's order;
     * little-endian unless that reading is impossible and the big-endian one is not (a
     * capture from a big-endian host).
     */
    private static int nflog(final DirectBuffer b, final LayerCursor c) {
        if (!c.has(0, Nflog.HEADER_LENGTH)) {
            return DecodeStatus.TRUNCATED;
        }
        final int family = u8(b, Nflog.FAMILY);
        int at = Nflog.HEADER_LENGTH;
        boolean little = true;
        if (c.has(at, Nflog.TLV_HEADER_LENGTH)) {
            final int le = u16le(b, at + Nflog.TLV_LENGTH);
            final int be = u16(b, at + Nflog.TLV_LENGTH);
            little = le >= Nflog.TLV_HEADER_LENGTH && le <= c.end - at
                || !(be >= Nflog.TLV_HEADER_LENGTH && be <= c.end - at);
        }
        // Each TLV advances by at least 4 bytes, so the loop ends by the captured length.
        while (c.has(at, Nflog.TLV_HEADER_LENGTH)) {
            final int length = little ? u16le(b, at + Nflog.TLV_LENGTH) : u16(b, at + Nflog.TLV_LENGTH);
            final int type = (little ? u16le(b, at + Nflog.TLV_TYPE) : u16(b, at + Nflog.TLV_TYPE))
                & Nflog.TLV_TYPE_MASK;
            if (length < Nflog.TLV_HEADER_LENGTH) {
                return DecodeStatus.MALFORMED;
            }
            if (type == Nflog.TLV_PAYLOAD) {
                final int payload = at + Nflog.TLV_HEADER_LENGTH;
                // The payload TLV's own length bounds the packet; the rest is padding or later TLVs.
                c.end = Math.min(c.end, at + length);
                final int kind = family == Nflog.AF_INET ? LayerCursor.IPV4
                    : family == Nflog.AF_INET6 ? LayerCursor.IPV6 : LayerCursor.IP;
                return c.moveTo(kind, payload);
            }
            if (length > c.end - at) {
                return DecodeStatus.TRUNCATED;
            }
            at += (length + 3) & ~3;
        }
        // A partial TLV header means the capture was cut; an exhausted list has no packet in it.
        return at < c.end ? DecodeStatus.TRUNCATED : DecodeStatus.NOT_IP;
    }

    /** PPP or PPP-in-HDLC framing, which may also hold Cisco HDLC (an EtherType after 2 bytes). */
    private static int pppOrCiscoHdlc(final DirectBuffer b, final int at, final LayerCursor c) {
        if (!c.has(at, 1)) {
            return DecodeStatus.TRUNCATED;
        }
        final int first = u8(b, at);
        if (first == Ppp.CISCO_HDLC_UNICAST || first == Ppp.CISCO_HDLC_MULTICAST) {
            if (!c.has(at, Ppp.CISCO_HDLC_LENGTH)) {
                return DecodeStatus.TRUNCATED;
            }
            return etherType(b, u16(b, at + Ppp.CISCO_HDLC_TYPE), at + Ppp.CISCO_HDLC_LENGTH, c);
        }
        return ppp(b, at, c);
    }

    /**
     * A PPP frame: optional 0xff 0x03 address and control, then a 1-byte (compressed, low bit
     * set) or 2-byte protocol.
     */
    static int ppp(final DirectBuffer b, final int start, final LayerCursor c) {
        int at = start;
        if (c.has(at, 2) && u8(b, at) == Ppp.ADDRESS && u8(b, at + 1) == Ppp.CONTROL) {
            at += 2;
        }
        if (!c.has(at, 1)) {
            return DecodeStatus.TRUNCATED;
        }
        if ((u8(b, at) & 1) != 0) {
            return pppProtocol(u8(b, at), at + 1, c);
        }
        if (!c.has(at, 2)) {
            return DecodeStatus.TRUNCATED;
        }
        return pppProtocol(u16(b, at), at + 2, c);
    }

    private static int pppProtocol(final int protocol, final int after, final LayerCursor c) {
        return switch (protocol) {
            case Ppp.PROTO_IPV4 -> c.moveTo(LayerCursor.IPV4, after);
            case Ppp.PROTO_IPV6 -> c.moveTo(LayerCursor.IPV6, after);
            default -> DecodeStatus.NOT_IP; // LCP, IPCP, CCP, compressed data, ...
        };
    }
}
