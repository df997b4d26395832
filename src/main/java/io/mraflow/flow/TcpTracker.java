package io.mraflow.flow;

import static io.mraflow.flow.FlowRows.epI;
import static io.mraflow.flow.FlowRows.epL;
import static io.mraflow.flow.FlowSlotLayout.*;

import io.mraflow.decode.PacketView;

/**
 * Zeek's TCP analyzer over a flow's row: the endpoint states (INACTIVE, SYN_SENT, SYN_ACK_SENT,
 * PARTIAL, ESTABLISHED, CLOSED, RESET) and their transitions, the history letters with their
 * repeat rules, retransmission and zero-window counting, and payload bytes from sequence numbers
 * with 32-bit wrap ({@code TCP_Analyzer}, {@code TCP_Endpoint}). Reads and writes only the row of
 * the packet's flow. Owned by the table's thread.
 */
final class TcpTracker {
    // TCP endpoint states, Zeek's EndpointState (order matters for nothing but readability).
    static final byte INACTIVE = 0;
    static final byte SYN_SENT = 1;
    static final byte SYN_ACK_SENT = 2;
    static final byte PARTIAL = 3;
    static final byte ESTABLISHED = 4;
    static final byte CLOSED = 5;
    static final byte RESET = 6;

    static final int FIN = 0x01;
    static final int SYN = 0x02;
    static final int RST = 0x04;
    static final int ACK = 0x10;

    // Zeek's history masks (TCP_Endpoint::HistoryMasks); responder's are shifted left 16.
    static final int HIST_SYN_PKT = 0x1;
    static final int HIST_FIN_PKT = 0x2;
    static final int HIST_RST_PKT = 0x4;
    static final int HIST_FIN_RST_PKT = 0x8;
    static final int HIST_DATA_PKT = 0x10;
    static final int HIST_ACK_PKT = 0x20;
    static final int HIST_MULTI_FLAG_PKT = 0x40;

    /** Zeek's TOO_LARGE_SEQ_DELTA: SYN/RST sequence jumps larger than this are not trusted. */
    static final int TOO_LARGE_SEQ_DELTA = 1048576;
    static final long MASK32 = 0xffff_ffffL;

    private final FlowRows rows;
    // Set by relativeSeq(): the sequence number lies before the endpoint's start.
    private boolean seqUnderflow;

    TcpTracker(final FlowRows rows) {
        this.rows = rows;
    }

    static boolean isHandshake(final byte state) {
        return state == INACTIVE || state == SYN_SENT || state == SYN_ACK_SENT;
    }

    /** FIN both ways, or a RST: the states of a flow that leaves the table soon. */
    static boolean isFinished(final byte origState, final byte respState) {
        return (origState == CLOSED && respState == CLOSED) || origState == RESET || respState == RESET;
    }

    /**
     * A pure SYN with a new initial sequence number on a finished connection (FIN both ways, or
     * a RST) starts a new connection on the same 5-tuple.
     */
    boolean isReuse(final int s, final boolean isOrig, final PacketView p) {
        if ((p.tcpFlags & (SYN | ACK | RST | FIN)) != SYN) {
            return false;
        }
        if (!isFinished(rows.state(s, 0), rows.state(s, 1))) {
            return false;
        }
        return (p.tcpSeq & MASK32) != startSeq32(s, isOrig ? 0 : 1);
    }

    private long startSeq32(final int s, final int e) {
        return rows.longs[epL(s, e, EP_START_SEQ)] & MASK32;
    }

    private static int seqDelta(final long a, final long b) {
        return (int) (a - b);
    }

    private void initSeqs(final int s, final int e, final long start, final long last) {
        final long[] longs = rows.longs;
        longs[epL(s, e, EP_START_SEQ)] = start;
        longs[epL(s, e, EP_ACK_SEQ)] = start & MASK32;
        longs[epL(s, e, EP_LAST_SEQ)] = last & MASK32;
    }

    private void updateLastSeqValue(final int s, final int e, final long seq) {
        final int i = epL(s, e, EP_LAST_SEQ);
        if (seq < rows.longs[i]) {
            rows.ints[epI(s, e, EP_SEQ_WRAPS)]++;
        }
        rows.longs[i] = seq;
    }

    private void updateAckSeqValue(final int s, final int e, final long seq) {
        final int i = epL(s, e, EP_ACK_SEQ);
        if (seq < rows.longs[i]) {
            rows.ints[epI(s, e, EP_ACK_WRAPS)]++;
        }
        rows.longs[i] = seq;
    }

    /** Zeek's get_relative_seq; sets {@link #seqUnderflow}. */
    private long relativeSeq(final int s, final int e, final long cur, final long last, final int wrapsBefore) {
        seqUnderflow = false;
        int wraps = wrapsBefore;
        final int delta = seqDelta(cur, last);
        if (delta < 0) {
            if (wraps != 0 && cur > last) {
                wraps--;
            }
        } else if (delta > 0) {
            if (cur < last) {
                wraps++;
            }
        }
        if (wraps == 0) {
            final int d = seqDelta(cur, startSeq32(s, e));
            seqUnderflow = d < 0;
            return d;
        }
        return ((wraps & MASK32) << 32) + cur - rows.longs[epL(s, e, EP_START_SEQ)];
    }

    /** One TCP packet of the flow in row {@code s}, sent by its originator when {@code isOrig}. */
    void packet(final int s, final boolean isOrig, final PacketView p) {
        final int e = isOrig ? 0 : 1;
        final int peer = 1 - e;
        final int flags = p.tcpFlags;
        final boolean syn = (flags & SYN) != 0;
        final boolean fin = (flags & FIN) != 0;
        final boolean rst = (flags & RST) != 0;
        final boolean ack = (flags & ACK) != 0;
        final int len = p.payloadLen;
        final long seq = p.tcpSeq & MASK32;
        final long ackSeq = p.tcpAck & MASK32;

        int segLen = len;
        if (syn) {
            segLen++;
        }
        if (fin) {
            segLen++;
        }
        if (rst) {
            segLen -= len;
        }
        final long seqEnd = (seq + segLen) & MASK32;

        initEndpoint(s, e, syn, seq, seqEnd);
        final long relSeq = relativeSeq(s, e, seq, rows.longs[epL(s, e, EP_LAST_SEQ)],
                rows.ints[epI(s, e, EP_SEQ_WRAPS)]);
        updateHistory(s, isOrig, e, syn, fin, rst, ack, relSeq, len);

        // Zero window (Zeek's update_window): boring with or after a RST, or after the peer's FIN.
        if (p.tcpWindow == 0 && !rst && rows.state(s, peer) != CLOSED && rows.state(s, e) != RESET) {
            rows.scaledHistory(s, e, EP_WIN0_CNT, EP_WIN0_THRESH, 'W');
        }
        if (fin) {
            rows.ints[epI(s, e, EP_FIN_CNT)]++;
        }
        if (rst) {
            rows.ints[epI(s, e, EP_RST_CNT)]++;
        }
        if (ack) {
            if (rows.state(s, peer) == INACTIVE) {
                // Number the peer's bytes as though its SYN had been seen.
                initSeqs(s, peer, (ackSeq - 1) & MASK32, ackSeq - 1);
            } else {
                relativeSeq(s, peer, ackSeq, rows.longs[epL(s, peer, EP_ACK_SEQ)],
                        rows.ints[epI(s, peer, EP_ACK_WRAPS)]);
                if (!seqUnderflow && !rst) {
                    final int deltaAck = seqDelta(ackSeq, rows.longs[epL(s, peer, EP_ACK_SEQ)]);
                    if (!(ackSeq == 0 && deltaAck > TOO_LARGE_SEQ_DELTA) && deltaAck > 0) {
                        updateAckSeqValue(s, peer, ackSeq);
                    }
                }
            }
        }
        updateLastSeq(s, e, seqEnd, syn, fin, rst, len);
        updateStateMachine(s, e, peer, isOrig, syn, fin, rst, ack, len);
    }

    private void initEndpoint(final int s, final int e, final boolean syn, final long seq, final long seqEnd) {
        switch (rows.state(s, e)) {
            case INACTIVE -> {
                if (syn) {
                    initSeqs(s, e, seq, seqEnd);
                } else {
                    // Partial connection: number as though a SYN had been seen, and make
                    // sure the first packet does not look like a retransmission.
                    initSeqs(s, e, (seq - 1) & MASK32, seq);
                }
            }
            case SYN_SENT, SYN_ACK_SENT -> {
                if (syn && seq != startSeq32(s, e)) {
                    initSeqs(s, e, seq, seqEnd);
                }
            }
            case ESTABLISHED, PARTIAL -> {
                if (syn) {
                    initSeqs(s, e, seq, seqEnd);
                }
            }
            case RESET -> {
                if (syn && rows.prevState(s, e) == INACTIVE) {
                    initSeqs(s, e, seq, seqEnd);
                }
            }
            default -> {
            }
        }
    }

    /** Zeek's update_history. */
    private void updateHistory(final int s, final boolean isOrig, final int e, final boolean syn, final boolean fin,
                               final boolean rst, final boolean ack, final long relSeq, final int len) {
        final int bitsSet = (syn ? 1 : 0) + (fin ? 1 : 0) + (rst ? 1 : 0);
        final long[] longs = rows.longs;
        if (bitsSet > 1) {
            if (fin && rst) {
                rows.checkHistory(s, isOrig, HIST_FIN_RST_PKT, 'I');
            } else {
                rows.checkHistory(s, isOrig, HIST_MULTI_FLAG_PKT, 'Q');
            }
        } else if (bitsSet == 1) {
            if (syn) {
                final char code = ack ? 'H' : 'S';
                final int i = epL(s, e, EP_HIST_LAST_SYN);
                if (rows.checkHistory(s, isOrig, HIST_SYN_PKT, code) && relSeq != longs[i]) {
                    rows.addEndpointHistory(s, isOrig, code);
                }
                longs[i] = relSeq;
            } else if (fin) {
                // A FIN's sequence number is at the end of any data it carries.
                final int i = epL(s, e, EP_HIST_LAST_FIN);
                if (rows.checkHistory(s, isOrig, HIST_FIN_PKT, 'F') && relSeq + len != longs[i]) {
                    rows.addEndpointHistory(s, isOrig, 'F');
                }
                longs[i] = relSeq + len;
            } else {
                final int i = epL(s, e, EP_HIST_LAST_RST);
                if (rows.checkHistory(s, isOrig, HIST_RST_PKT, 'R') && relSeq != longs[i]) {
                    rows.addEndpointHistory(s, isOrig, 'R');
                }
                longs[i] = relSeq;
            }
        } else if (len > 0) {
            rows.checkHistory(s, isOrig, HIST_DATA_PKT, 'D');
        } else if (ack) {
            rows.checkHistory(s, isOrig, HIST_ACK_PKT, 'A');
        }
    }

    /** Zeek's update_last_seq, with its retransmission ('T') detection. */
    private void updateLastSeq(final int s, final int e, final long seqEnd, final boolean syn, final boolean fin,
                               final boolean rst, final int len) {
        final long last = rows.longs[epL(s, e, EP_LAST_SEQ)];
        final int deltaLast = seqDelta(seqEnd, last);
        if ((syn || rst) && (deltaLast > TOO_LARGE_SEQ_DELTA || deltaLast < -TOO_LARGE_SEQ_DELTA)) {
            return; // not trusted
        }
        if (fin && last == ((startSeq32(s, e) + 1) & MASK32)) {
            updateLastSeqValue(s, e, seqEnd); // > 2 GB connections seen only by SYN and FIN
        } else if (rows.state(s, e) == RESET) {
            return; // nothing after a RST is trusted
        } else if (deltaLast > 0) {
            updateLastSeqValue(s, e, seqEnd);
        } else if (len > 0) {
            rows.scaledHistory(s, e, EP_RXMT_CNT, EP_RXMT_THRESH, 'T');
        }
    }

    private void updateStateMachine(final int s, final int e, final int peer, final boolean isOrig,
                                    final boolean syn, final boolean fin, final boolean rst, final boolean ack,
                                    final int len) {
        switch (rows.state(s, e)) {
            case INACTIVE -> inactiveState(s, e, peer, isOrig, syn, fin, rst, ack, len);
            case SYN_SENT, SYN_ACK_SENT -> {
                if (fin) {
                    rows.setState(s, e, CLOSED);
                }
                if (rst) {
                    rows.setState(s, e, RESET);
                }
            }
            case ESTABLISHED, PARTIAL -> {
                if (syn && rows.state(s, e) == PARTIAL && rows.state(s, peer) == INACTIVE && !ack) {
                    rows.setState(s, e, SYN_SENT);
                }
                if (fin && !rst) {
                    rows.setState(s, e, CLOSED);
                    if (rows.state(s, peer) == RESET && rows.prevState(s, peer) == CLOSED) {
                        // The peer's FIN then RST was a normal close after all.
                        rows.setState(s, peer, CLOSED);
                    }
                }
                if (rst) {
                    rows.setState(s, e, RESET);
                }
            }
            case CLOSED -> {
                // A RST after this side's FIN resets it, unless both FINs were already seen.
                if (rst && rows.state(s, peer) != CLOSED) {
                    rows.setState(s, e, RESET);
                }
            }
            default -> {
            }
        }
    }

    private void inactiveState(final int s, final int e, final int peer, final boolean isOrig, final boolean syn,
                               final boolean fin, final boolean rst, final boolean ack, final int len) {
        if (syn) {
            if (isOrig) {
                rows.setState(s, e, ack ? SYN_ACK_SENT : SYN_SENT);
            } else {
                // A SYN or SYN-ACK from the responder establishes both sides it answers.
                // (Zeek's mid-flow SYN/SYN-ACK role reversal is not done here: a SYN-ACK
                // seen first already made its receiver the originator.)
                if (rows.state(s, peer) == SYN_SENT) {
                    rows.setState(s, peer, ESTABLISHED);
                }
                rows.setState(s, e, ESTABLISHED);
            }
        }
        if (fin) {
            rows.setState(s, e, CLOSED);
        }
        if (rst) {
            rows.setState(s, e, RESET);
        }
        if (rows.state(s, e) == INACTIVE) {
            if (!isOrig && len == 0 && rows.state(s, 0) == SYN_SENT) {
                // Some stacks ACK a SYN before answering it: not a partial connection.
                return;
            } else if (ack && rows.state(s, peer) == ESTABLISHED) {
                // Missed the SYN but saw the SYN-ACK: establish rather than call it partial.
                rows.setState(s, e, ESTABLISHED);
            } else {
                rows.setState(s, e, PARTIAL);
            }
        }
    }

    /** Zeek's TCP_Endpoint::Size: endpoint {@code e}'s payload bytes from sequence numbers. */
    static long payloadBytes(final FlowRows rows, final int s, final int e) {
        final int peer = 1 - e;
        final long[] longs = rows.longs;
        final int[] ints = rows.ints;
        final long start = longs[epL(s, e, EP_START_SEQ)];
        final long ack64 = ((ints[epI(s, e, EP_ACK_WRAPS)] & MASK32) << 32) + longs[epL(s, e, EP_ACK_SEQ)];
        if (rows.prevState(s, e) == SYN_SENT && rows.state(s, e) == RESET && rows.state(s, peer) == INACTIVE
                && !(ack64 == start || ack64 == start + 1)) {
            return 0; // a half-open connection discovered and aborted
        }
        final long last64 = ((ints[epI(s, e, EP_SEQ_WRAPS)] & MASK32) << 32) + longs[epL(s, e, EP_LAST_SEQ)];
        long size = Math.max(last64, ack64) - start;
        if (size < 0) {
            return 0;
        }
        if (size != 0) {
            size--; // the SYN's octet
        }
        if (ints[epI(s, e, EP_FIN_CNT)] > 0 && size != 0) {
            size--; // the FIN's octet
        }
        return size;
    }
}
