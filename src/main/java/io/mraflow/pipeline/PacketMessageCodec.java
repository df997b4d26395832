package io.mraflow.pipeline;

import static io.mraflow.pipeline.PacketMessageDescriptor.*;

import io.mraflow.decode.PacketView;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Writes a {@link PacketView} into a ring message and reads it back, in the layout of
 * {@link PacketMessageDescriptor}. Stateless; any thread, but each call touches only the buffer
 * region and the view it is given, which belong to the calling thread at that moment (the
 * producer between {@code tryClaim} and {@code commit}, the consumer inside {@code read}).
 * Allocates nothing.
 */
public final class PacketMessageCodec {
    private PacketMessageCodec() {
    }

    /** The payload bytes of {@code v} that travel: at most {@code bound}, never beyond its buffer. */
    public static int payloadBytes(final PacketView v, final int bound) {
        final int n = Math.min(v.payloadCapLen, bound);
        if (n <= 0 || v.buffer == null) {
            return 0;
        }
        final int room = v.buffer.capacity() - v.payloadOffset;
        return v.payloadOffset < 0 || room <= 0 ? 0 : Math.min(n, room);
    }

    /** Writes {@code v} and {@code payload} bytes of its payload at {@code index} of {@code b}. */
    public static void encode(final PacketView v, final int payload, final long enqueueNanos,
                              final MutableDirectBuffer b, final int index) {
        b.putLong(index + TS_OFFSET, v.tsNanos);
        b.putLong(index + ENQUEUE_NANOS_OFFSET, enqueueNanos);
        b.putLong(index + SRC_HI_OFFSET, v.srcHi);
        b.putLong(index + SRC_LO_OFFSET, v.srcLo);
        b.putLong(index + DST_HI_OFFSET, v.dstHi);
        b.putLong(index + DST_LO_OFFSET, v.dstLo);
        b.putLong(index + TCP_SEQ_OFFSET, v.tcpSeq);
        b.putLong(index + TCP_ACK_OFFSET, v.tcpAck);
        b.putLong(index + FRAG_ID_OFFSET, v.fragId);
        b.putInt(index + WIRE_LEN_OFFSET, v.wireLen);
        b.putInt(index + CAP_LEN_OFFSET, v.capLen);
        b.putInt(index + IP_LEN_OFFSET, v.ipLen);
        b.putInt(index + PAYLOAD_LEN_OFFSET, v.payloadLen);
        b.putInt(index + PAYLOAD_COPIED_OFFSET, payload);
        b.putInt(index + FRAG_OFFSET_OFFSET, v.fragOffset);
        b.putShort(index + SRC_PORT_OFFSET, (short) v.srcPort);
        b.putShort(index + DST_PORT_OFFSET, (short) v.dstPort);
        b.putByte(index + STATUS_OFFSET, (byte) v.status);
        b.putByte(index + IP_VERSION_OFFSET, (byte) v.ipVersion);
        b.putByte(index + IP_PROTO_OFFSET, (byte) v.ipProto);
        b.putByte(index + TUNNEL_DEPTH_OFFSET, (byte) v.tunnelDepth);
        b.putInt(index + TCP_WINDOW_OFFSET, v.tcpWindow);
        b.putByte(index + TCP_FLAGS_OFFSET, (byte) v.tcpFlags);
        final int flags = (v.fragment ? FLAG_FRAGMENT : 0) | (v.moreFragments ? FLAG_MORE_FRAGMENTS : 0)
                | (v.hasPorts ? FLAG_HAS_PORTS : 0) | (v.icmpError ? FLAG_ICMP_ERROR : 0);
        b.putByte(index + FLAGS_OFFSET, (byte) flags);
        b.putByte(index + ICMP_TYPE_OFFSET, (byte) v.icmpType);
        b.putByte(index + ICMP_CODE_OFFSET, (byte) v.icmpCode);
        if (v.icmpError) {
            b.putLong(index + QUOTED_SRC_HI_OFFSET, v.quotedSrcHi);
            b.putLong(index + QUOTED_SRC_LO_OFFSET, v.quotedSrcLo);
            b.putLong(index + QUOTED_DST_HI_OFFSET, v.quotedDstHi);
            b.putLong(index + QUOTED_DST_LO_OFFSET, v.quotedDstLo);
            b.putShort(index + QUOTED_SRC_PORT_OFFSET, (short) v.quotedSrcPort);
            b.putShort(index + QUOTED_DST_PORT_OFFSET, (short) v.quotedDstPort);
            b.putByte(index + QUOTED_PROTO_OFFSET, (byte) v.quotedProto);
        }
        if (payload > 0) {
            b.putBytes(index + HEADER_LENGTH, v.buffer, v.payloadOffset, payload);
        }
    }

    /**
     * Fills {@code v} from the message at {@code index} of {@code b}; the view's payload then
     * points into {@code b} ({@code v.buffer = b}), valid while the message is being handled.
     */
    public static void decode(final DirectBuffer b, final int index, final PacketView v) {
        v.tsNanos = b.getLong(index + TS_OFFSET);
        v.srcHi = b.getLong(index + SRC_HI_OFFSET);
        v.srcLo = b.getLong(index + SRC_LO_OFFSET);
        v.dstHi = b.getLong(index + DST_HI_OFFSET);
        v.dstLo = b.getLong(index + DST_LO_OFFSET);
        v.tcpSeq = b.getLong(index + TCP_SEQ_OFFSET);
        v.tcpAck = b.getLong(index + TCP_ACK_OFFSET);
        v.fragId = b.getLong(index + FRAG_ID_OFFSET);
        v.wireLen = b.getInt(index + WIRE_LEN_OFFSET);
        v.capLen = b.getInt(index + CAP_LEN_OFFSET);
        v.ipLen = b.getInt(index + IP_LEN_OFFSET);
        v.payloadLen = b.getInt(index + PAYLOAD_LEN_OFFSET);
        v.payloadCapLen = b.getInt(index + PAYLOAD_COPIED_OFFSET);
        v.fragOffset = b.getInt(index + FRAG_OFFSET_OFFSET);
        v.srcPort = b.getShort(index + SRC_PORT_OFFSET) & 0xffff;
        v.dstPort = b.getShort(index + DST_PORT_OFFSET) & 0xffff;
        v.status = b.getByte(index + STATUS_OFFSET) & 0xff;
        v.ipVersion = b.getByte(index + IP_VERSION_OFFSET) & 0xff;
        v.ipProto = b.getByte(index + IP_PROTO_OFFSET) & 0xff;
        v.tunnelDepth = b.getByte(index + TUNNEL_DEPTH_OFFSET) & 0xff;
        v.tcpWindow = b.getInt(index + TCP_WINDOW_OFFSET);
        v.tcpFlags = b.getByte(index + TCP_FLAGS_OFFSET) & 0xff;
        final int flags = b.getByte(index + FLAGS_OFFSET);
        v.fragment = (flags & FLAG_FRAGMENT) != 0;
        v.moreFragments = (flags & FLAG_MORE_FRAGMENTS) != 0;
        v.hasPorts = (flags & FLAG_HAS_PORTS) != 0;
        v.icmpError = (flags & FLAG_ICMP_ERROR) != 0;
        v.icmpType = b.getByte(index + ICMP_TYPE_OFFSET) & 0xff;
        v.icmpCode = b.getByte(index + ICMP_CODE_OFFSET) & 0xff;
        if (v.icmpError) {
            v.quotedSrcHi = b.getLong(index + QUOTED_SRC_HI_OFFSET);
            v.quotedSrcLo = b.getLong(index + QUOTED_SRC_LO_OFFSET);
            v.quotedDstHi = b.getLong(index + QUOTED_DST_HI_OFFSET);
            v.quotedDstLo = b.getLong(index + QUOTED_DST_LO_OFFSET);
            v.quotedSrcPort = b.getShort(index + QUOTED_SRC_PORT_OFFSET) & 0xffff;
            v.quotedDstPort = b.getShort(index + QUOTED_DST_PORT_OFFSET) & 0xffff;
            v.quotedProto = b.getByte(index + QUOTED_PROTO_OFFSET) & 0xff;
        } else {
            v.quotedSrcHi = v.quotedSrcLo = v.quotedDstHi = v.quotedDstLo = 0;
            v.quotedSrcPort = v.quotedDstPort = v.quotedProto = 0;
        }
        v.buffer = b;
        v.payloadOffset = index + HEADER_LENGTH;
    }
}
