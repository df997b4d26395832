package io.mraflow.flow;

import io.mraflow.inspect.FlowInspection;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A {@link FlowRecord} as bytes and back, for flows that wait on disk for the report (the
 * pipeline's spill). Only the reader of the bytes this class wrote reads them: the layout is an
 * implementation detail, not a file format, so it has no version. Stateless; any thread.
 *
 * <pre>
 * u16 length of what follows
 * the 16 longs and the ints of the record, in declaration order
 * u8  conn_state length, its ASCII letters; u8 history length, its letters
 * u8  ended (FlowEnd ordinal)
 * u8  1 when an inspection follows, then FlowInspection.writeTo's bytes
 * </pre>
 */
public final class FlowRecordCodec {
    /** Most bytes one record takes, its length prefix included. */
    public static final int MAX_BYTES = 2 + 16 * 8 + 9 * 4 + 1 + 8 + 1 + 255 + 2 + FlowInspection.MAX_ENCODED_BYTES;

    private static final FlowEnd[] ENDS = FlowEnd.values();

    private FlowRecordCodec() {
    }

    /** Appends {@code f} to {@code out}, which must have {@link #MAX_BYTES} remaining. */
    public static void write(final FlowRecord f, final ByteBuffer out) {
        final int start = out.position();
        out.position(start + 2);
        out.putLong(f.tsNanos()).putLong(f.lastTsNanos());
        out.put((byte) f.ipProto()).put((byte) f.ipVersion());
        out.putLong(f.origHi()).putLong(f.origLo()).putShort((short) f.origPort());
        out.putLong(f.respHi()).putLong(f.respLo()).putShort((short) f.respPort());
        out.putLong(f.origPkts()).putLong(f.respPkts());
        out.putLong(f.origIpBytes()).putLong(f.respIpBytes());
        out.putLong(f.origBytes()).putLong(f.respBytes());
        out.putLong(f.origWireBytes()).putLong(f.respWireBytes());
        putAscii(out, f.connState());
        putAscii(out, f.history());
        out.putInt(f.icmpErrors()).putInt(f.lastIcmpType()).putInt(f.lastIcmpCode());
        out.putLong(f.icmpFromHi()).putLong(f.icmpFromLo());
        out.put((byte) f.ended().ordinal());
        out.put((byte) (f.inspection() == null ? 0 : 1));
        if (f.inspection() != null) {
            f.inspection().writeTo(out);
        }
        out.putShort(start, (short) (out.position() - start - 2));
    }

    /**
     * Bytes the record at {@code in}'s position takes, its length prefix included; call only
     * with at least 2 bytes remaining.
     */
    public static int length(final ByteBuffer in) {
        return 2 + Short.toUnsignedInt(in.getShort(in.position()));
    }

    /** Reads the record at {@code in}'s position, which must hold the whole of it ({@link #length}). */
    public static FlowRecord read(final ByteBuffer in) {
        in.position(in.position() + 2);
        final long ts = in.getLong();
        final long lastTs = in.getLong();
        final int proto = in.get() & 0xff;
        final int version = in.get();
        final long origHi = in.getLong();
        final long origLo = in.getLong();
        final int origPort = Short.toUnsignedInt(in.getShort());
        final long respHi = in.getLong();
        final long respLo = in.getLong();
        final int respPort = Short.toUnsignedInt(in.getShort());
        final long origPkts = in.getLong();
        final long respPkts = in.getLong();
        final long origIpBytes = in.getLong();
        final long respIpBytes = in.getLong();
        final long origBytes = in.getLong();
        final long respBytes = in.getLong();
        final long origWire = in.getLong();
        final long respWire = in.getLong();
        final String state = getAscii(in);
        final String history = getAscii(in);
        final int icmpErrors = in.getInt();
        final int icmpType = in.getInt();
        final int icmpCode = in.getInt();
        final long icmpFromHi = in.getLong();
        final long icmpFromLo = in.getLong();
        final FlowEnd ended = ENDS[in.get()];
        final FlowInspection inspection = in.get() == 0 ? null : FlowInspection.readFrom(in);
        return new FlowRecord(ts, lastTs, proto, version, origHi, origLo, origPort, respHi, respLo, respPort,
                origPkts, respPkts, origIpBytes, respIpBytes, origBytes, respBytes, origWire, respWire,
                state, history, icmpErrors, icmpType, icmpCode, icmpFromHi, icmpFromLo, inspection, ended);
    }

    private static void putAscii(final ByteBuffer out, final String s) {
        final int n = Math.min(s.length(), 255);
        out.put((byte) n);
        for (int i = 0; i < n; i++) {
            out.put((byte) s.charAt(i));
        }
    }

    private static String getAscii(final ByteBuffer in) {
        final int n = in.get() & 0xff;
        final String s = new String(in.array(), in.arrayOffset() + in.position(), n, StandardCharsets.ISO_8859_1);
        in.position(in.position() + n);
        return s;
    }
}
