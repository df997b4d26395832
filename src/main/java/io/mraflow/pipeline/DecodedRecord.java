package io.mraflow.pipeline;

import io.mraflow.decode.PacketView;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A decoded packet as the capture thread hands it to the worker of its flow
 * ({@link RoutedBatchDescriptor}): every field of a {@link PacketView} but its buffer, and where
 * the packet's bytes are in its slab ({@link SlabPool}), so the payload travels by reference. The
 * one place that owns the layout. Stateless; any thread. Fields are in the host's byte order;
 * each record is 8-aligned. Widths follow what the decoder can put there: 8- and 16-bit fields
 * come from 8- and 16-bit header fields, the sequence numbers and fragment identification from
 * 32-bit ones.
 *
 * <pre>
 *   0  capture time (int64)             8  source address, high and low (2 x int64)
 *  24  destination address (2 x int64) 40  wire length, captured length (2 x int32)
 *  48  TCP seq, TCP ack, fragment id (3 x uint32)
 *  60  IP length, payload length, payload offset, payload captured, fragment offset, TCP window (6 x int32)
 *  84  packet offset in the slab (int32)
 *  88  source port, destination port, TCP flags (3 x uint16)
 *  94  status, IP version, IP protocol, tunnel depth, ICMP type, ICMP code, flags (7 x uint8), 3 unused
 * 104  when flag QUOTED: quoted source, quoted destination (4 x int64), quoted protocol (int32),
 *      quoted ports (2 x uint16)
 * </pre>
 *
 * Only ICMP packets carry the quoted part: a record is 104 bytes, 144 with it. A 104-byte record
 * is under two cache lines, and a worker reads its records in order, as the reader wrote its ring.
 */
final class DecodedRecord {
    static final int LENGTH = 104;
    static final int QUOTED_LENGTH = 144;
    /** The longest record. */
    static final int MAX_LENGTH = QUOTED_LENGTH;

    private static final int TS = 0;
    private static final int SRC_HI = 8;
    private static final int SRC_LO = 16;
    private static final int DST_HI = 24;
    private static final int DST_LO = 32;
    private static final int WIRE_LEN = 40;
    private static final int CAP_LEN = 44;
    private static final int TCP_SEQ = 48;
    private static final int TCP_ACK = 52;
    private static final int FRAG_ID = 56;
    private static final int IP_LEN = 60;
    private static final int PAYLOAD_LEN = 64;
    private static final int PAYLOAD_OFFSET = 68;
    private static final int PAYLOAD_CAP_LEN = 72;
    private static final int FRAG_OFFSET = 76;
    private static final int TCP_WINDOW = 80;
    private static final int PACKET_OFFSET = 84;
    private static final int SRC_PORT = 88;
    private static final int DST_PORT = 90;
    private static final int TCP_FLAGS = 92;
    private static final int STATUS = 94;
    private static final int IP_VERSION = 95;
    private static final int IP_PROTO = 96;
    private static final int TUNNEL_DEPTH = 97;
    private static final int ICMP_TYPE = 98;
    private static final int ICMP_CODE = 99;
    private static final int FLAGS = 100;
    private static final int Q_SRC_HI = 104;
    private static final int Q_SRC_LO = 112;
    private static final int Q_DST_HI = 120;
    private static final int Q_DST_LO = 128;
    private static final int Q_PROTO = 136;
    private static final int Q_SRC_PORT = 140;
    private static final int Q_DST_PORT = 142;

    private static final int FRAGMENT = 1;
    private static final int MORE_FRAGMENTS = 2;
    private static final int HAS_PORTS = 4;
    private static final int ICMP_ERROR = 8;
    private static final int QUOTED = 16;

    private static final long U32 = 0xffff_ffffL;

    private DecodedRecord() {
    }

    /**
     * Writes {@code v} at {@code at}, its packet's bytes being at {@code packetOffset} of the
     * slab; returns the record's length.
     */
    static int write(final PacketView v, final int packetOffset, final MutableDirectBuffer b, final int at) {
        b.putLong(at + TS, v.tsNanos);
        b.putLong(at + SRC_HI, v.srcHi);
        b.putLong(at + SRC_LO, v.srcLo);
        b.putLong(at + DST_HI, v.dstHi);
        b.putLong(at + DST_LO, v.dstLo);
        b.putInt(at + WIRE_LEN, v.wireLen);
        b.putInt(at + CAP_LEN, v.capLen);
        b.putInt(at + TCP_SEQ, (int) v.tcpSeq);
        b.putInt(at + TCP_ACK, (int) v.tcpAck);
        b.putInt(at + FRAG_ID, (int) v.fragId);
        b.putInt(at + IP_LEN, v.ipLen);
        b.putInt(at + PAYLOAD_LEN, v.payloadLen);
        b.putInt(at + PAYLOAD_OFFSET, v.payloadOffset);
        b.putInt(at + PAYLOAD_CAP_LEN, v.payloadCapLen);
        b.putInt(at + FRAG_OFFSET, v.fragOffset);
        b.putInt(at + TCP_WINDOW, v.tcpWindow);
        b.putInt(at + PACKET_OFFSET, packetOffset);
        b.putShort(at + SRC_PORT, (short) v.srcPort);
        b.putShort(at + DST_PORT, (short) v.dstPort);
        b.putShort(at + TCP_FLAGS, (short) v.tcpFlags);
        b.putByte(at + STATUS, (byte) v.status);
        b.putByte(at + IP_VERSION, (byte) v.ipVersion);
        b.putByte(at + IP_PROTO, (byte) v.ipProto);
        b.putByte(at + TUNNEL_DEPTH, (byte) v.tunnelDepth);
        b.putByte(at + ICMP_TYPE, (byte) v.icmpType);
        b.putByte(at + ICMP_CODE, (byte) v.icmpCode);
        final boolean quoted = v.icmpError || v.quotedProto != 0 || v.quotedSrcPort != 0 || v.quotedDstPort != 0
                || v.quotedSrcHi != 0 || v.quotedSrcLo != 0 || v.quotedDstHi != 0 || v.quotedDstLo != 0;
        b.putByte(at + FLAGS, (byte) ((v.fragment ? FRAGMENT : 0) | (v.moreFragments ? MORE_FRAGMENTS : 0)
                | (v.hasPorts ? HAS_PORTS : 0) | (v.icmpError ? ICMP_ERROR : 0) | (quoted ? QUOTED : 0)));
        if (!quoted) {
            return LENGTH;
        }
        b.putLong(at + Q_SRC_HI, v.quotedSrcHi);
        b.putLong(at + Q_SRC_LO, v.quotedSrcLo);
        b.putLong(at + Q_DST_HI, v.quotedDstHi);
        b.putLong(at + Q_DST_LO, v.quotedDstLo);
        b.putInt(at + Q_PROTO, v.quotedProto);
        b.putShort(at + Q_SRC_PORT, (short) v.quotedSrcPort);
        b.putShort(at + Q_DST_PORT, (short) v.quotedDstPort);
        return QUOTED_LENGTH;
    }

    /**
     * Fills every field of {@code v} but its buffer from the record at {@code at}; returns the
     * record's length.
     */
    static int read(final DirectBuffer b, final int at, final PacketView v) {
        v.tsNanos = b.getLong(at + TS);
        v.srcHi = b.getLong(at + SRC_HI);
        v.srcLo = b.getLong(at + SRC_LO);
        v.dstHi = b.getLong(at + DST_HI);
        v.dstLo = b.getLong(at + DST_LO);
        v.wireLen = b.getInt(at + WIRE_LEN);
        v.capLen = b.getInt(at + CAP_LEN);
        v.tcpSeq = b.getInt(at + TCP_SEQ) & U32;
        v.tcpAck = b.getInt(at + TCP_ACK) & U32;
        v.fragId = b.getInt(at + FRAG_ID) & U32;
        v.ipLen = b.getInt(at + IP_LEN);
        v.payloadLen = b.getInt(at + PAYLOAD_LEN);
        v.payloadOffset = b.getInt(at + PAYLOAD_OFFSET);
        v.payloadCapLen = b.getInt(at + PAYLOAD_CAP_LEN);
        v.fragOffset = b.getInt(at + FRAG_OFFSET);
        v.tcpWindow = b.getInt(at + TCP_WINDOW);
        v.srcPort = b.getShort(at + SRC_PORT) & 0xffff;
        v.dstPort = b.getShort(at + DST_PORT) & 0xffff;
        v.tcpFlags = b.getShort(at + TCP_FLAGS) & 0xffff;
        v.status = b.getByte(at + STATUS) & 0xff;
        v.ipVersion = b.getByte(at + IP_VERSION) & 0xff;
        v.ipProto = b.getByte(at + IP_PROTO) & 0xff;
        v.tunnelDepth = b.getByte(at + TUNNEL_DEPTH) & 0xff;
        v.icmpType = b.getByte(at + ICMP_TYPE) & 0xff;
        v.icmpCode = b.getByte(at + ICMP_CODE) & 0xff;
        final int flags = b.getByte(at + FLAGS);
        v.fragment = (flags & FRAGMENT) != 0;
        v.moreFragments = (flags & MORE_FRAGMENTS) != 0;
        v.hasPorts = (flags & HAS_PORTS) != 0;
        v.icmpError = (flags & ICMP_ERROR) != 0;
        if ((flags & QUOTED) == 0) {
            v.quotedSrcHi = v.quotedSrcLo = v.quotedDstHi = v.quotedDstLo = 0;
            v.quotedProto = v.quotedSrcPort = v.quotedDstPort = 0;
            return LENGTH;
        }
        v.quotedSrcHi = b.getLong(at + Q_SRC_HI);
        v.quotedSrcLo = b.getLong(at + Q_SRC_LO);
        v.quotedDstHi = b.getLong(at + Q_DST_HI);
        v.quotedDstLo = b.getLong(at + Q_DST_LO);
        v.quotedProto = b.getInt(at + Q_PROTO);
        v.quotedSrcPort = b.getShort(at + Q_SRC_PORT) & 0xffff;
        v.quotedDstPort = b.getShort(at + Q_DST_PORT) & 0xffff;
        return QUOTED_LENGTH;
    }

    /** Where the packet of the record at {@code at} starts in its slab. */
    static int packetOffset(final DirectBuffer b, final int at) {
        return b.getInt(at + PACKET_OFFSET);
    }
}
