package io.mraflow.decode;

import static io.mraflow.decode.NetworkOrder.u16;
import static io.mraflow.decode.NetworkOrder.u8;

import io.mraflow.decode.HeaderOffsets.Erspan2;
import io.mraflow.decode.HeaderOffsets.Erspan3;
import io.mraflow.decode.HeaderOffsets.Gre;
import io.mraflow.decode.HeaderOffsets.Vxlan;
import org.agrona.DirectBuffer;

/**
 * Steps over a tunnel header (GRE versions 0 and 1, ERSPAN types I to III, VXLAN) to what it
 * carries, the way tshark does. Stateless. Each method expects the cursor at the tunnel header
 * and, on {@link DecodeStatus#OK}, leaves it at the carried frame or packet; any other status
 * means there is no inner IP packet to follow and the outer packet is the one to report.
 */
final class TunnelDecoder {

    private TunnelDecoder() {
    }

    static int gre(final DirectBuffer b, final LayerCursor c) {
        final int at = c.offset;
        if (!c.has(at, Gre.BASE_LENGTH)) {
            return DecodeStatus.TRUNCATED;
        }
        final int flags = u16(b, at + Gre.FLAGS);
        final int protocol = u16(b, at + Gre.PROTOCOL);
        int length = Gre.BASE_LENGTH;
        switch (flags & Gre.VERSION_MASK) {
            case 0 -> {
                if ((flags & Gre.ROUTING) != 0) {
                    return DecodeStatus.NOT_IP; // RFC 1701 source routing: obsolete, not followed
                }
                length += optional(flags, Gre.CHECKSUM) + optional(flags, Gre.KEY) + optional(flags, Gre.SEQUENCE);
            }
            case 1 -> {
                // PPTP: the key field (payload length + call id) is mandatory; a packet without a
                // sequence number is a bare acknowledgement and carries nothing.
                if (protocol != Gre.PROTO_PPP || (flags & Gre.KEY) == 0 || (flags & Gre.SEQUENCE) == 0) {
                    return DecodeStatus.NOT_IP;
                }
                length += Gre.OPTION_LENGTH + Gre.OPTION_LENGTH + optional(flags, Gre.ACK);
            }
            default -> {
                return DecodeStatus.NOT_IP;
            }
        }
        if (!c.has(at, length)) {
            return DecodeStatus.TRUNCATED;
        }
        final int inner = at + length;
        return switch (protocol) {
            case LinkLayerDecoder.ETHERTYPE_IPV4 -> c.moveTo(LayerCursor.IPV4, inner);
            case LinkLayerDecoder.ETHERTYPE_IPV6 -> c.moveTo(LayerCursor.IPV6, inner);
            case Gre.PROTO_TEB -> c.moveTo(LayerCursor.ETHERNET, inner);
            case Gre.PROTO_PPP -> c.moveTo(LayerCursor.PPP, inner);
            // Type II has the sequence number set and an 8-byte header; type I neither.
            case Gre.PROTO_ERSPAN_1_2 -> (flags & Gre.SEQUENCE) == 0
                ? c.moveTo(LayerCursor.ETHERNET, inner)
                : c.has(inner, Erspan2.LENGTH) ? c.moveTo(LayerCursor.ETHERNET, inner + Erspan2.LENGTH)
                : DecodeStatus.TRUNCATED;
            case Gre.PROTO_ERSPAN_3 -> erspan3(b, inner, c);
            default -> DecodeStatus.NOT_IP;
        };
    }

    private static int optional(final int flags, final int flag) {
        return (flags & flag) != 0 ? Gre.OPTION_LENGTH : 0;
    }

    private static int erspan3(final DirectBuffer b, final int at, final LayerCursor c) {
        if (!c.has(at, Erspan3.LENGTH)) {
            return DecodeStatus.TRUNCATED;
        }
        final int frameType = (u8(b, at + Erspan3.FRAME_TYPE_BYTE) >>> Erspan3.FRAME_TYPE_SHIFT) & Erspan3.FRAME_TYPE_MASK;
        if (frameType != Erspan3.FRAME_TYPE_ETHERNET) {
            return DecodeStatus.NOT_IP;
        }
        int length = Erspan3.LENGTH;
        if ((u8(b, at + Erspan3.O_BYTE) & Erspan3.O_BIT) != 0) {
            length += Erspan3.SUBHEADER_LENGTH;
        }
        return c.has(at, length) ? c.moveTo(LayerCursor.ETHERNET, at + length) : DecodeStatus.TRUNCATED;
    }

    /** True for UDP that tshark would hand to its VXLAN dissector. */
    static boolean isVxlan(final PacketView udp) {
        return udp.hasPorts && udp.dstPort == Vxlan.PORT;
    }

    /** A VXLAN header at the cursor (the UDP payload); the I flag must say a VNI is present. */
    static int vxlan(final DirectBuffer b, final LayerCursor c) {
        final int at = c.offset;
        if (!c.has(at, Vxlan.LENGTH)) {
            return DecodeStatus.TRUNCATED;
        }
        if ((u8(b, at + Vxlan.FLAGS) & Vxlan.FLAG_VNI) == 0) {
            return DecodeStatus.NOT_IP;
        }
        return c.moveTo(LayerCursor.ETHERNET, at + Vxlan.LENGTH);
    }
}
