package io.mraflow.flow;

import static io.mraflow.flow.FlowSlotLayout.*;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The per-flow state of a {@link FlowTable}, by row: three primitive arrays laid out by
 * {@link FlowSlotLayout}, and the reads and writes every part of the table shares (the key
 * orientation, the endpoint states in the META lanes, Zeek's history letters). A flow keeps its
 * row for life; growing copies the arrays, so users read the array fields on each call rather
 * than keep them. Owned by the table's thread.
 */
final class FlowRows {
    long[] longs;
    int[] ints;
    byte[] bytes;

    FlowRows(final int capacity) {
        longs = new long[capacity * LONGS];
        ints = new int[capacity * INTS];
        bytes = new byte[capacity * BYTES];
    }

    /** Room for {@code capacity} rows, the rows so far kept where they are. */
    void grow(final int capacity) {
        longs = Arrays.copyOf(longs, capacity * LONGS);
        ints = Arrays.copyOf(ints, capacity * INTS);
        bytes = Arrays.copyOf(bytes, capacity * BYTES);
    }

    /** Row {@code s} zeroed, then given what a new flow starts with. */
    void clear(final int s) {
        final int l = s * LONGS;
        final int n = s * INTS;
        final int b = s * BYTES;
        Arrays.fill(longs, l, l + LONGS, 0L);
        Arrays.fill(ints, n, n + INTS, 0);
        Arrays.fill(bytes, b, b + BYTES, (byte) 0);
        ints[n + ICMP_TYPE] = -1;
        ints[n + ICMP_CODE] = -1;
        for (int e = 0; e < 2; e++) {
            ints[n + EP_INT_BASE + e * EP_INTS + EP_RXMT_THRESH] = 1;
            ints[n + EP_INT_BASE + e * EP_INTS + EP_WIN0_THRESH] = 1;
        }
    }

    long get(final int s, final int field) {
        return longs[s * LONGS + field];
    }

    // ---- META lanes ------------------------------------------------------------------------------

    boolean origIsA(final int s) {
        return lane(longs[s * LONGS + META], ORIG_IS_A) != 0;
    }

    byte proto(final int s) {
        return lane(longs[s * LONGS + META], PROTO);
    }

    /** Endpoint {@code e}'s state (0 the originator, 1 the responder). */
    byte state(final int s, final int e) {
        return lane(longs[s * LONGS + META], EP_LANE_BASE + e * EP_LANES + EP_STATE);
    }

    byte prevState(final int s, final int e) {
        return lane(longs[s * LONGS + META], EP_LANE_BASE + e * EP_LANES + EP_PREV_STATE);
    }

    /** Sets endpoint {@code e}'s state, keeping the one before when it changes. */
    void setState(final int s, final int e, final byte st) {
        final int i = s * LONGS + META;
        final int lane = EP_LANE_BASE + e * EP_LANES;
        final long meta = longs[i];
        final byte old = lane(meta, lane + EP_STATE);
        if (old != st) {
            longs[i] = withLane(withLane(meta, lane + EP_PREV_STATE, old), lane + EP_STATE, st);
        }
    }

    /** Index of endpoint {@code e}'s long {@code field}. */
    static int epL(final int s, final int e, final int field) {
        return s * LONGS + EP_LONG_BASE + e * EP_LONGS + field;
    }

    /** Index of endpoint {@code e}'s int {@code field}. */
    static int epI(final int s, final int e, final int field) {
        return s * INTS + EP_INT_BASE + e * EP_INTS + field;
    }

    // ---- history ---------------------------------------------------------------------------------

    void addHistory(final int s, final byte code) {
        final int b = s * BYTES;
        final int len = bytes[b + HIST_LEN];
        if (len < HIST_CAP) {
            bytes[b + HISTORY + len] = code;
            bytes[b + HIST_LEN] = (byte) (len + 1);
        }
    }

    /**
     * Zeek's Connection::CheckHistory: records the letter the first time the mask is seen for
     * that side and returns false; returns true when it had been seen already.
     */
    boolean checkHistory(final int s, final boolean isOrig, final int mask, final char code) {
        final int bit = isOrig ? mask : mask << 16;
        final int n = s * INTS + HIST_SEEN;
        if ((ints[n] & bit) == 0) {
            ints[n] |= bit;
            addEndpointHistory(s, isOrig, code);
            return false;
        }
        return true;
    }

    /** The letter, upper case for the originator and lower case for the responder. */
    void addEndpointHistory(final int s, final boolean isOrig, final char code) {
        addHistory(s, (byte) (isOrig ? code : Character.toLowerCase(code)));
    }

    /** Zeek's ScaledHistoryEntry: the letter at the 1st, 10th, 100th... occurrence. */
    void scaledHistory(final int s, final int e, final int cntField, final int threshField, final char code) {
        final int n = s * INTS + EP_INT_BASE + e * EP_INTS;
        final int cnt = ++ints[n + cntField];
        final int thresh = ints[n + threshField];
        if (cnt == thresh) {
            addEndpointHistory(s, e == 0, code);
            final long next = (thresh & 0xffff_ffffL) * 10;
            if (next > 0xffff_ffffL) {
                ints[n + cntField] = 0;
            } else {
                ints[n + threshField] = (int) next;
            }
        }
    }

    int historyLength(final int s) {
        return bytes[s * BYTES + HIST_LEN];
    }

    byte historyAt(final int s, final int i) {
        return bytes[s * BYTES + HISTORY + i];
    }

    /** The history letters (allocates: when a flow is written out). */
    String history(final int s) {
        return new String(bytes, s * BYTES + HISTORY, historyLength(s), StandardCharsets.ISO_8859_1);
    }
}
