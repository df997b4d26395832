package io.mraflow.flow;

/**
 * Where each per-flow field lives in the three primitive arrays of a {@link FlowTable}. A slot
 * {@code s} owns {@code LONGS} consecutive longs from {@code s * LONGS}, {@code INTS} ints from
 * {@code s * INTS} and {@code BYTES} bytes from {@code s * BYTES}; moving a flow (backward-shift
 * deletion, growth) is three {@code System.arraycopy} calls. The one place that knows offsets.
 *
 * <p>The key is canonical: endpoint A is the lower of the two (address, port) pairs, so both
 * directions of a flow find the same slot; {@code ORIG_IS_A} says which side opened it. Fields
 * marked [e] exist once per endpoint: index 0 the originator, 1 the responder.
 *
 * <pre>
 * long[] slot                                     int[] slot
 * +-----------+-----------+-----------+--------+  +------+-------+-----------+-------------+
 * | A_HI A_LO | B_HI B_LO | FIRST LAST| SERIAL |  | HASH | PORTS | HIST_SEEN | ICMP_ERRORS |
 * +-----------+-----------+-----------+--------+  +------+-------+-----------+-------------+
 * | PKTS[e] | IP_BYTES[e] | WIRE[e] | PAYLOAD[e]|  | ICMP_TYPE | ICMP_CODE |               |
 * +---------+-------------+---------+-----------+  +-----------+-----------+---------------+
 * | ICMP_FROM_HI ICMP_FROM_LO                   |  | [e] SEQ_WRAPS ACK_WRAPS FIN_CNT       |
 * +---------------------------------------------+  |     RST_CNT RXMT_CNT RXMT_THRESH      |
 * | [e] START_SEQ LAST_SEQ ACK_SEQ              |  |     WIN0_CNT WIN0_THRESH              |
 * |     HIST_LAST_SYN HIST_LAST_FIN HIST_LAST_RST| +---------------------------------------+
 * +---------------------------------------------+
 *
 * byte[] slot
 * +------+-------+-------+-----------+----------+----------------------+----------------------+
 * | USED | PROTO | IPVER | ORIG_IS_A | HIST_LEN | [e] STATE PREV_STATE | HISTORY (HIST_CAP)   |
 * +------+-------+-------+-----------+----------+----------------------+----------------------+
 * </pre>
 */
final class FlowSlotLayout {

    // ---- long[] ------------------------------------------------------------------------------
    static final int A_HI = 0;
    static final int A_LO = 1;
    static final int B_HI = 2;
    static final int B_LO = 3;
    static final int FIRST_TS = 4;
    static final int LAST_TS = 5;
    /** Creation order, to break first-time ties when flushing. */
    static final int SERIAL = 6;
    static final int PKTS = 7;          // [e]
    static final int IP_BYTES = 9;      // [e]
    static final int WIRE_BYTES = 11;   // [e]
    /** UDP payload bytes (TCP's come from sequence numbers). */
    static final int PAYLOAD = 13;      // [e]
    static final int ICMP_FROM_HI = 15;
    static final int ICMP_FROM_LO = 16;
    /** First endpoint block; the responder's follows at {@code + EP_LONGS}. */
    static final int EP_LONG_BASE = 17;
    static final int EP_START_SEQ = 0;  // signed 64-bit, as Zeek's start_seq
    static final int EP_LAST_SEQ = 1;   // unsigned 32-bit
    static final int EP_ACK_SEQ = 2;    // unsigned 32-bit
    static final int EP_HIST_LAST_SYN = 3;
    static final int EP_HIST_LAST_FIN = 4;
    static final int EP_HIST_LAST_RST = 5;
    static final int EP_LONGS = 6;
    static final int LONGS = EP_LONG_BASE + 2 * EP_LONGS;

    // ---- int[] -------------------------------------------------------------------------------
    /** Hash of the canonical key; 0 is a valid value (USED says whether the slot is taken). */
    static final int HASH = 0;
    /** {@code portA << 16 | portB}. */
    static final int PORTS = 1;
    /** Zeek's hist_seen bits: originator's in the low 16, responder's in the high 16. */
    static final int HIST_SEEN = 2;
    static final int ICMP_ERRORS = 3;
    static final int ICMP_TYPE = 4;
    static final int ICMP_CODE = 5;
    static final int EP_INT_BASE = 6;
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
    static final int USED = 0;
    static final int PROTO = 1;
    static final int IP_VERSION = 2;
    static final int ORIG_IS_A = 3;
    static final int HIST_LEN = 4;
    static final int EP_BYTE_BASE = 5;
    static final int EP_STATE = 0;
    static final int EP_PREV_STATE = 1;
    static final int EP_BYTES = 2;
    static final int HISTORY = EP_BYTE_BASE + 2 * EP_BYTES;
    /** History letters kept per flow; later letters are dropped (Zeek has no cap). */
    static final int HIST_CAP = 39;
    static final int BYTES = HISTORY + HIST_CAP;

    private FlowSlotLayout() {
    }

    static int ep(int base, int endpoint, int stride, int field) {
        return base + endpoint * stride + field;
    }
}
