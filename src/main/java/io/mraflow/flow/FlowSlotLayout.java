package io.mraflow.flow;

/**
 * Where each per-flow field lives in the arrays of a {@link FlowTable}. The probe array
 * {@code tags} has one slot per tag; a used tag names the flow's row {@code r}, which owns
 * {@code LONGS} consecutive longs from {@code r * LONGS}, {@code INTS} ints from
 * {@code r * INTS} and {@code BYTES} bytes from {@code r * BYTES}. A flow keeps its row for life:
 * backward-shift deletion and growth move tags, never rows. The one place that knows offsets.
 *
 * <p>The key is canonical: endpoint A is the lower of the two (address, port) pairs, so both
 * directions of a flow find the same row; {@code ORIG_IS_A} says which side opened it. Fields
 * marked [e] exist once per endpoint: index 0 the originator, 1 the responder.
 *
 * <p><b>Cache lines.</b> With tens of thousands of flows the table does not fit in the caches,
 * so a packet costs about one cache miss per distinct line it touches. Probing reads only the
 * dense tag array (8 bytes a slot) and reaches a row's longs only on a hash match. Rows are
 * handed out lowest first, so the flows active at one time (mostly recent ones) share pages
 * instead of being spread over the table by their hash: in {@code ManyFlowsBenchmark}, 1,000
 * active flows among 47,000 idle ones cost what 1,000 alone do. The fields every packet reads or
 * writes come first in the long row: the key (addresses, {@code META} with the protocol, the
 * ports), the last packet time and the per-direction counters (120 bytes, two or three lines:
 * arrays are only 8-byte aligned), so that a UDP packet needs no other part of the row. TCP
 * sequence state and ICMP details follow; the int row (TCP and history bits) and the byte row
 * (history letters) are read by TCP packets and when a flow is created or emitted.
 *
 * <pre>
 * long tags[slot]: HASH (32, top bit always set, so 0 means empty) | ROW (32)
 *
 * long[] row                                                             int[] row
 * +-----------+-----------+------+-------+------+---------+-------------+  +-----------+-------------+
 * | A_HI A_LO | B_HI B_LO | META | PORTS | LAST | PKTS[e] | IP_BYTES[e] |  | HIST_SEEN | ICMP_ERRORS |
 * +-----------+-----------+------+-------+------+---------+-------------+  +-----------+-------------+
 * | WIRE[e] | PAYLOAD[e] | FIRST | SERIAL                               |  | ICMP_TYPE | ICMP_CODE   |
 * +---------+------------+-------+--------------------------------------+  +-----------+-------------+
 * | ICMP_FROM_HI ICMP_FROM_LO                                           |  | [e] SEQ_WRAPS ACK_WRAPS  |
 * +---------------------------------------------------------------------+  |   FIN_CNT RST_CNT        |
 * | [e] START_SEQ LAST_SEQ ACK_SEQ                                      |  |   RXMT_CNT RXMT_THRESH   |
 * |     HIST_LAST_SYN HIST_LAST_FIN HIST_LAST_RST                       |  |   WIN0_CNT WIN0_THRESH   |
 * +---------------------------------------------------------------------+  +--------------------------+
 *
 * META long, one byte a lane (lane n = bits 8n to 8n+7)    byte[] row
 * +-------+-----------+----------------------+--------+    +-------+----------+--------------------+
 * | PROTO | ORIG_IS_A | [e] STATE PREV_STATE | unused |    | IPVER | HIST_LEN | HISTORY (HIST_CAP) |
 * +-------+-----------+----------------------+--------+    +-------+----------+--------------------+
 * </pre>
 */
final class FlowSlotLayout {

    // ---- long tags[] -------------------------------------------------------------------------
    /** Set in every stored hash, so that a used slot's tag, and a used row's hash, is never 0. */
    static final int HASH_USED_BIT = 0x8000_0000;

    /** The tag of a flow whose key hashes to {@code hash}, kept in row {@code row}. */
    static long tag(final int hash, final int row) {
        return (long) (hash | HASH_USED_BIT) << 32 | (row & 0xffff_ffffL);
    }

    /** The stored hash of a tag ({@link #HASH_USED_BIT} set); its low bits are the slot the flow would like. */
    static int tagHash(final long tag) {
        return (int) (tag >>> 32);
    }

    /** The row of a tag's flow. */
    static int tagRow(final long tag) {
        return (int) tag;
    }

    // ---- long[] ------------------------------------------------------------------------------
    static final int A_HI = 0;
    static final int A_LO = 1;
    static final int B_HI = 2;
    static final int B_LO = 3;
    /** Byte lanes, see below. */
    static final int META = 4;
    /** {@code portA << 16 | portB}, unsigned: the rest of the key. */
    static final int PORTS = 5;
    static final int LAST_TS = 6;
    static final int PKTS = 7;          // [e]
    static final int IP_BYTES = 9;      // [e]
    static final int WIRE_BYTES = 11;   // [e]
    /** UDP payload bytes (TCP's come from sequence numbers). */
    static final int PAYLOAD = 13;      // [e]
    static final int FIRST_TS = 15;
    /** Creation order, to break first-time ties when flushing. */
    static final int SERIAL = 16;
    static final int ICMP_FROM_HI = 17;
    static final int ICMP_FROM_LO = 18;
    /** First endpoint block; the responder's follows at {@code + EP_LONGS}. */
    static final int EP_LONG_BASE = 19;
    static final int EP_START_SEQ = 0;  // signed 64-bit, as Zeek's start_seq
    static final int EP_LAST_SEQ = 1;   // unsigned 32-bit
    static final int EP_ACK_SEQ = 2;    // unsigned 32-bit
    static final int EP_HIST_LAST_SYN = 3;
    static final int EP_HIST_LAST_FIN = 4;
    static final int EP_HIST_LAST_RST = 5;
    static final int EP_LONGS = 6;
    static final int LONGS = EP_LONG_BASE + 2 * EP_LONGS;

    // ---- META lanes ---------------------------------------------------------------------------
    static final int PROTO = 0;
    static final int ORIG_IS_A = 1;
    /** First endpoint's lanes; the responder's follow at {@code + EP_LANES}. */
    static final int EP_LANE_BASE = 2;
    static final int EP_STATE = 0;
    static final int EP_PREV_STATE = 1;
    static final int EP_LANES = 2;

    /** Lane {@code lane} of a META value. */
    static byte lane(final long meta, final int lane) {
        return (byte) (meta >>> (lane << 3));
    }

    /** {@code meta} with lane {@code lane} set to {@code value}. */
    static long withLane(final long meta, final int lane, final byte value) {
        final int shift = lane << 3;
        return meta & ~(0xffL << shift) | (value & 0xffL) << shift;
    }

    // ---- int[] -------------------------------------------------------------------------------
    /** Zeek's hist_seen bits: originator's in the low 16, responder's in the high 16. */
    static final int HIST_SEEN = 0;
    static final int ICMP_ERRORS = 1;
    static final int ICMP_TYPE = 2;
    static final int ICMP_CODE = 3;
    static final int EP_INT_BASE = 4;
    static final int EP_SEQ_WRAPS = 0;
    static final int EP_ACK_WRAPS = 1;
    static final int EP_FIN_CNT = 2;
    static final int EP_RST_CNT = 3;
    static final int EP_RXMT_CNT = 4;
    static final int EP_RXMT_THRESH = 5;
    static final int EP_WIN0_CNT = 6;
    static final int EP_WIN0_THRESH = 7;
    static final int EP_INTS = 8;
    static final int INTS = EP_INT_BASE + 2 * EP_INTS;

    // ---- byte[] ------------------------------------------------------------------------------
    static final int IP_VERSION = 0;
    static final int HIST_LEN = 1;
    static final int HISTORY = HIST_LEN + 1;
    /** History letters kept per flow; later letters are dropped (Zeek has no cap). */
    static final int HIST_CAP = 39;
    static final int BYTES = HISTORY + HIST_CAP;

    /**
     * Heap bytes of one row and its slot: the three row arrays, the probe tag, the row's hash,
     * its place in the free stack and its inspection reference (compressed).
     */
    static final int BYTES_PER_ROW = LONGS * 8 + INTS * 4 + BYTES + 8 + 4 + 4 + 4;

    private FlowSlotLayout() {
    }

    static int ep(final int base, final int endpoint, final int stride, final int field) {
        return base + endpoint * stride + field;
    }
}
