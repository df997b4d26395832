package io.mraflow.inspect;

import io.mraflow.decode.NetworkOrder;
import org.agrona.DirectBuffer;

/**
 * RTP (RFC 3550 section 5.1) by its fixed header, and per-source sequence tracking.
 *
 * <pre>
 *  V=2(2) P(1) X(1) CC(4) | M(1) PT(7) | sequence(16) | timestamp(32) | SSRC(32) | CSRC(32 x CC)
 *  [extension: profile(16) length in words(16) data] [payload] [padding, last byte = count]
 * </pre>
 *
 * One header proves little (a quarter of random bytes start with version 2), so {@link #identify}
 * is at most {@link Confidence#WEAK}; {@link #update} makes it strong once a source passes RFC 3550
 * probation (two packets, same SSRC, consecutive sequence numbers). SRTP (RFC 3711) keeps this
 * header in clear, so SRTP is tracked the same way. Stateless apart from the caller's
 * {@link RtpSources}; any thread.
 */
public final class Rtp {

    static final int HEADER = 12;
    static final int RTP_SEQ_MOD = 1 << 16;
    static final int MAX_DROPOUT = 3000;
    static final int MAX_MISORDER = 100;
    static final int MIN_SEQUENTIAL = 2;

    private Rtp() {
    }

    /**
     * {@link Confidence#WEAK} for a plausible RTP header: version 2, payload type static (0-34) or
     * dynamic (96-127) and so not the RTCP range 72-76 that the marker bit would make of RTCP types
     * 200-204, CSRC list, extension and padding within the captured bytes; otherwise none.
     */
    public static int identify(final DirectBuffer b, final int off, final int length) {
        final int len = Wire.avail(b, off, length);
        if (len < HEADER) {
            return Confidence.NONE;
        }
        final int b0 = NetworkOrder.u8(b, off);
        if ((b0 >> 6) != 2) {
            return Confidence.NONE;
        }
        final int pt = NetworkOrder.u8(b, off + 1) & 0x7f;
        if (!(pt <= 34 || pt >= 96)) {
            return Confidence.NONE;
        }
        int hdr = HEADER + 4 * (b0 & 0x0f);
        if ((b0 & 0x10) != 0) {
            if (hdr + 4 > len) {
                return Confidence.NONE;
            }
            hdr += 4 + 4 * NetworkOrder.u16(b, off + hdr + 2);
        }
        if (hdr > len) {
            return Confidence.NONE;
        }
        if ((b0 & 0x20) != 0) {
            final int pad = NetworkOrder.u8(b, off + len - 1);
            if (pad == 0 || hdr + pad > len) {
                return Confidence.NONE;
            }
        }
        return Confidence.WEAK;
    }

    /** Payload type (7 bits) of the header at {@code off}; caller has checked {@link #identify}. */
    public static int payloadType(final DirectBuffer b, final int off) {
        return NetworkOrder.u8(b, off + 1) & 0x7f;
    }

    /**
     * Feeds one packet that passed {@link #identify}, arrived at {@code nanos}, into the stream of
     * its SSRC among {@code sources}. {@code dynamicClock}: the clock rate (Hz) of dynamic payload
     * types, 0 when unknown (static ones have theirs, {@link RtpClock}).
     *
     * @return {@link Confidence#STRONG} when the packet belongs to a valid source and came in
     *     order; {@link Confidence#WEAK} otherwise (probation, out of order, no room for its source)
     */
    public static int update(final RtpSources sources, final DirectBuffer b, final int off, final int length,
                             final long nanos, final int dynamicClock) {
        return update(sources, b, off, length, nanos, dynamicClock, true);
    }

    /** {@code timeline}: a stream that passes probation keeps its timeline ({@link RtpTimeline}). */
    public static int update(final RtpSources sources, final DirectBuffer b, final int off, final int length,
                             final long nanos, final int dynamicClock, final boolean timeline) {
        final int len = Wire.avail(b, off, length);
        if (len < HEADER) {
            return Confidence.NONE;
        }
        final RtpStream s = sources.streamFor(NetworkOrder.u32(b, off + 8));
        if (s == null) {
            return Confidence.WEAK;
        }
        final int seq = NetworkOrder.u16(b, off + 2);
        if (s.packets++ == 0) {
            start(s, seq);
        }
        final boolean wasValid = s.valid;
        final boolean inOrder = updateSeq(s, seq);
        if (s.valid && !wasValid) {
            sources.becameValid(s, nanos, timeline);
        }
        final int b1 = NetworkOrder.u8(b, off + 1);
        final int pt = b1 & 0x7f;
        final int clock = pt < 96 ? RtpClock.ofStatic(pt) : dynamicClock;
        s.arrival(nanos, NetworkOrder.u32(b, off + 4), pt, (b1 & 0x80) != 0, clock);
        return inOrder && s.valid ? Confidence.STRONG : Confidence.WEAK;
    }

    /** A source's first packet: probation starts (RFC 3550 A.1 {@code init_seq}, then MIN_SEQUENTIAL). */
    private static void start(final RtpStream s, final int seq) {
        initSeq(s, seq);
        s.maxSeq = (seq - 1) & 0xffff;
        s.probation = MIN_SEQUENTIAL;
    }

    private static void initSeq(final RtpStream s, final int seq) {
        s.baseSeq = seq;
        s.maxSeq = seq;
        s.badSeq = RTP_SEQ_MOD + 1;
        s.cycles = 0;
        s.received = 0;
        s.seqWindow = 1;
    }

    /**
     * RFC 3550 A.1 {@code update_seq}, verbatim apart from Java's unsigned arithmetic, and what it
     * leaves implicit counted: the gap a packet in order skips, duplicates (a sequence number among
     * the last 64 seen again), sequence errors (late packets and jumps A.1 refuses).
     */
    private static boolean updateSeq(final RtpStream s, final int seq) {
        final int udelta = (seq - s.maxSeq) & 0xffff;
        s.gap = 0;
        if (s.probation > 0) {
            if (seq == ((s.maxSeq + 1) & 0xffff)) {
                s.probation--;
                s.maxSeq = seq;
                if (s.probation == 0) {
                    initSeq(s, seq);
                    s.received++;
                    s.valid = true;
                    return true;
                }
            } else {
                s.probation = MIN_SEQUENTIAL - 1;
                s.maxSeq = seq;
            }
            return false;
        } else if (udelta < MAX_DROPOUT) {
            // A.1's "if (seq < max_seq) cycles += RTP_SEQ_MOD", without a branch: a stream wraps
            // once in 65,536 packets, and a branch the JIT has not yet seen taken is compiled as a
            // trap that discards the whole compiled per-packet path the first time a stream wraps.
            s.cycles += (long) ((seq - s.maxSeq) >>> 31) * RTP_SEQ_MOD;
            s.maxSeq = seq;
            // udelta 0 is the latest packet again; shifting by 64 or more clears the window
            s.duplicates += (udelta - 1) >>> 31;
            s.seqWindow = (udelta < 64 ? s.seqWindow << udelta : 0) | 1;
            s.gap = Math.max(0, udelta - 1);
        } else if (udelta <= RTP_SEQ_MOD - MAX_MISORDER) {
            s.seqErrors++;
            if (seq == s.badSeq) {
                // Two sequential packets after a big jump: the source restarted; keep counting from here.
                initSeq(s, seq);
            } else {
                s.badSeq = (seq + 1) & 0xffff;
                return false;
            }
        } else {
            // duplicate or reordered packet: counted as received, as in A.1
            final int back = RTP_SEQ_MOD - udelta;
            final long bit = back < 64 ? 1L << back : 0;
            if ((s.seqWindow & bit) != 0) {
                s.duplicates++;
            } else {
                s.seqWindow |= bit;
                s.seqErrors++;
            }
        }
        s.received++;
        return true;
    }
}
