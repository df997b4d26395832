package io.mraflow.decode;

import io.mraflow.capture.CapturedPacket;
import org.agrona.DirectBuffer;

/**
 * Decodes a captured packet's headers in place into a {@link PacketView}: link layer, IP
 * (through tunnels to the innermost packet), TCP/UDP and ICMP errors. Allocates nothing and
 * takes no locks; one instance per decoding thread, not thread-safe (it keeps a cursor).
 * Never throws on packet contents: every read is preceded by a length check, and whatever
 * goes wrong ends up in {@link PacketView#status}.
 */
public final class PacketDecoder {
    /**
     * Tunnel layers followed at most. Real traffic nests two or three; the bound keeps a
     * hostile packet of nested IP-in-IP headers from costing more than a few dozen reads.
     */
    public static final int MAX_TUNNEL_DEPTH = 8;


    private final LayerCursor cursor = new LayerCursor();
    private final IpDecoder ip = new IpDecoder();
    private final IcmpErrorDecoder icmp = new IcmpErrorDecoder();

    /** True when {@link #decode} understands packets of this link-layer header type. */
    public static boolean supports(final int linkType) {
        return LinkLayerDecoder.supports(linkType);
    }

    public void decode(final CapturedPacket pkt, final PacketView out) {
        out.reset();
        out.tsNanos = pkt.tsNanos;
        out.wireLen = pkt.wireLen;
        out.capLen = pkt.capLen;
        final DirectBuffer b = pkt.bytes;
        out.buffer = b;
        // Never read past either the record or the buffer, whichever a damaged source got wrong.
        cursor.start(Math.max(0, Math.min(pkt.capLen, b.capacity())));
        final int linkStatus = LinkLayerDecoder.decode(pkt.linkType, b, cursor);
        out.status = linkStatus != DecodeStatus.OK ? linkStatus : network(b, out);
    }

    /** Decodes IP layers from the cursor inwards until a transport header or a dead end. */
    private int network(final DirectBuffer b, final PacketView out) {
        final LayerCursor c = cursor;
        for (int depth = 0; ; depth++) {
            final int ipStatus = ip.decode(b, c, out);
            if (ipStatus != DecodeStatus.OK) {
                // An inner header not captured leaves the outer packet reported, cut short.
                return depth > 0 && ipStatus == DecodeStatus.TRUNCATED ? DecodeStatus.TRUNCATED : ipStatus;
            }
            out.tunnelDepth = depth;
            if (out.fragOffset != 0) {
                TransportDecoder.opaque(c, out); // the ports are in the first fragment
                return finish(DecodeStatus.OK);
            }
            final int proto = out.ipProto;
            final boolean v6 = out.ipVersion == 6;
            final int inner;
            if (proto == IpProto.TCP) {
                return finish(TransportDecoder.tcp(b, c, out));
            } else if (proto == IpProto.UDP) {
                final int udpStatus = TransportDecoder.udp(b, c, out);
                if (udpStatus != DecodeStatus.OK || out.fragment || !TunnelDecoder.isVxlan(out)) {
                    return finish(udpStatus);
                }
                c.offset = out.payloadOffset;
                inner = TunnelDecoder.vxlan(b, c);
            } else if (proto == IpProto.ICMP && !v6 || proto == IpProto.ICMPV6 && v6) {
                icmp.decode(b, c, out, v6);
                return finish(DecodeStatus.OK);
            } else {
                // Tunnels and unknown protocols: report as opaque payload unless an inner IP
                // packet is decoded, which then replaces these fields.
                TransportDecoder.opaque(c, out);
                if (out.fragment) {
                    return finish(DecodeStatus.OK); // a tunnel split over fragments is not followed
                }
                if (proto == IpProto.IPIP) {
                    inner = c.moveTo(LayerCursor.IPV4, c.offset);
                } else if (proto == IpProto.IPV6) {
                    inner = c.moveTo(LayerCursor.IPV6, c.offset);
                } else if (proto == IpProto.GRE) {
                    inner = TunnelDecoder.gre(b, c);
                } else {
                    return finish(DecodeStatus.OK);
                }
            }
            final int innerStatus = inner == DecodeStatus.OK ? innerLinkLayer(b, c) : inner;
            if (innerStatus != DecodeStatus.OK) {
                // No inner IP to follow: the outer packet stands, as it does in tshark.
                return finish(innerStatus == DecodeStatus.TRUNCATED ? DecodeStatus.TRUNCATED : DecodeStatus.OK);
            }
            if (depth == MAX_TUNNEL_DEPTH) {
                return DecodeStatus.MALFORMED;
            }
        }
    }

    /** Resolves a tunnel's Ethernet or PPP payload to the IP header inside it. */
    private static int innerLinkLayer(final DirectBuffer b, final LayerCursor c) {
        return switch (c.next) {
            case LayerCursor.ETHERNET -> LinkLayerDecoder.ethernet(b, c.offset, c);
            case LayerCursor.PPP -> LinkLayerDecoder.ppp(b, c.offset, c);
            default -> DecodeStatus.OK;
        };
    }

    private int finish(final int status) {
        if (status != DecodeStatus.OK) {
            return status;
        }
        return cursor.truncated ? DecodeStatus.TRUNCATED : DecodeStatus.OK;
    }
}
