package io.mraflow.decode;

import static io.mraflow.decode.NetworkOrder.u16;
import static io.mraflow.decode.NetworkOrder.u32;
import static io.mraflow.decode.NetworkOrder.u8;

import io.mraflow.decode.HeaderOffsets.Tcp;
import io.mraflow.decode.HeaderOffsets.Udp;
import org.agrona.DirectBuffer;

/**
 * Decodes the TCP or UDP header the cursor points at into ports, TCP state fields and the
 * payload's extent. Payload lengths come from the IP and transport headers, never from what was
 * captured, so a snap length does not change byte counts. Stateless.
 */
final class TransportDecoder {

    private TransportDecoder() {
    }

    /** @return {@link DecodeStatus#OK} (possibly with the cursor marked truncated) or MALFORMED */
    static int tcp(final DirectBuffer b, final LayerCursor c, final PacketView out) {
        final int at = c.offset;
        final int wire = c.wireLength;
        if (wire < Tcp.MIN_LENGTH && !out.moreFragments) {
            return DecodeStatus.MALFORMED;
        }
        if (!ports(b, c, out)) {
            return DecodeStatus.OK;
        }
        if (!c.has(at, Tcp.MIN_LENGTH)) {
            c.truncated = true;
            return DecodeStatus.OK;
        }
        out.tcpSeq = u32(b, at + Tcp.SEQ);
        out.tcpAck = u32(b, at + Tcp.ACK);
        out.tcpFlags = u8(b, at + Tcp.FLAGS);
        out.tcpWindow = u16(b, at + Tcp.WINDOW);
        final int headerLength = (u8(b, at + Tcp.DATA_OFFSET) >>> 4) * 4;
        if (headerLength < Tcp.MIN_LENGTH || headerLength > wire) {
            return DecodeStatus.MALFORMED;
        }
        payload(c, out, at + headerLength, wire - headerLength);
        return DecodeStatus.OK;
    }

    /** @return {@link DecodeStatus#OK} (possibly with the cursor marked truncated) or MALFORMED */
    static int udp(final DirectBuffer b, final LayerCursor c, final PacketView out) {
        final int at = c.offset;
        final int wire = c.wireLength;
        if (wire < Udp.LENGTH) {
            return DecodeStatus.MALFORMED;
        }
        if (!ports(b, c, out)) {
            return DecodeStatus.OK;
        }
        int payloadLength = wire - Udp.LENGTH;
        if (!c.has(at, Udp.LENGTH)) {
            c.truncated = true;
            payload(c, out, at + Udp.LENGTH, payloadLength);
            return DecodeStatus.OK;
        }
        final int udpLength = u16(b, at + Udp.LENGTH_FIELD);
        // A first fragment's UDP length covers the whole datagram, not this fragment; and IPv6
        // jumbograms say 0. Otherwise the UDP length must fit in what IP says it carried.
        if (!out.fragment && udpLength != 0) {
            if (udpLength < Udp.LENGTH || udpLength > wire) {
                payload(c, out, at + Udp.LENGTH, payloadLength);
                return DecodeStatus.MALFORMED;
            }
            payloadLength = udpLength - Udp.LENGTH; // bytes after the datagram inside IP are not payload
        }
        payload(c, out, at + Udp.LENGTH, payloadLength);
        return DecodeStatus.OK;
    }

    /** Ports are the first 4 bytes: enough to name the flow even when the rest was cut. */
    private static boolean ports(final DirectBuffer b, final LayerCursor c, final PacketView out) {
        final int at = c.offset;
        if (!c.has(at, HeaderOffsets.PORTS_LENGTH)) {
            c.truncated = true;
            return false;
        }
        out.srcPort = u16(b, at + Tcp.SRC_PORT);
        out.dstPort = u16(b, at + Tcp.DST_PORT);
        out.hasPorts = true;
        return true;
    }

    /**
     * Everything after the IP header(s) as payload: non-first fragments, ICMP, GRE that is not
     * followed, and protocols the decoder does not know.
     */
    static void opaque(final LayerCursor c, final PacketView out) {
        payload(c, out, c.offset, c.wireLength);
    }

    private static void payload(final LayerCursor c, final PacketView out, final int offset, final int length) {
        out.payloadOffset = offset;
        out.payloadLen = Math.max(length, 0);
        out.payloadCapLen = Math.max(0, Math.min(out.payloadLen, c.end - offset));
    }
}
