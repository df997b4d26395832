package io.mraflow.inspect;

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
 * {@link RtpStream}; any thread.
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
        final int b0 = Wire.u8(b, off);
        if ((b0 >> 6) != 2) {
            return Confidence.NONE;
        }
        final int pt = Wire.u8(b, off + 1) & 0x7f;
        if (!(pt <= 34 || pt >= 96)) {
            return Confidence.NONE;
        }
        int hdr = HEADER + 4 * (b0 & 0x0f);
        if ((b0 & 0x10) != 0) {
            if (hdr + 4 > len) {
                return Confidence.NONE;
            }
            hdr += 4 + 4 * Wire.u16(b, off + hdr + 2);
        }
        if (hdr > len) {
            return Confidence.NONE;
        }
        if ((b0 & 0x20) != 0) {
            final int pad = Wire.u8(b, off + len - 1);
            if (pad == 0 || hdr + pad > len) {
                return Confidence.NONE;
            }
        }
        return Confidence.WEAK;
    }

    /** Payload type (7 bits) of the header at {@code off}; caller has checked {@link #identify}. */
    public static int payloadType(final DirectBuffer b, final int off) {
        return Wire.u8(b, off + 1) & 0x7f;
    }

    /**
     * Feeds one packet that passed {@link #identify} into {@code s}.
     *
     * @return {@link Confidence#STRONG} when the packet belongs to the followed, valid source;
     *     {@link Confidence#WEAK} otherwise (probation, other source, out of range)
     */
    public static int update(final RtpStream s, final DirectBuffer b, final int off, final int length) {
        final int len = Wire.avail(b, off, length);
        if (len < HEADER) {
            return Confidence.NONE;
        }
        final int seq = Wire.u16(b, off + 2);
        final long ssrc = Wire.u32(b, off + 8);
        s.packets++;
        // One test for both a stream's first packet (frequent) and a second source (rare): a
        // branch the JIT has seen taken is not compiled as a trap (see the wrap in updateSeq).
        if (!s.started || ssrc != s.ssrc) {
            if (!newSource(s, ssrc, seq)) {
                s.otherSsrcPackets++;
                return Confidence.WEAK;
            }
        }
        return updateSeq(s, seq) && s.valid ? Confidence.STRONG : Confidence.WEAK;
    }

    /**
     * The stream's first packet, or one from a source other than the one followed: follows that
     * source from now on while the stream has no valid source yet (true); else leaves the stream
     * as it is (false).
     */
    private static boolean newSource(final RtpStream s, final long ssrc, final int seq) {
        if (s.started && s.valid) {
            return false;
        }
        s.started = true;
        s.ssrc = ssrc;
        initSeq(s, seq);
        s.maxSeq = (seq - 1) & 0xffff;
        s.probation = MIN_SEQUENTIAL;
        return true;
    }

    private static void initSeq(final RtpStream s, final int seq) {
        s.baseSeq = seq;
        s.maxSeq = seq;
        s.badSeq = RTP_SEQ_MOD + 1;
        s.cycles = 0;
        s.received = 0;
    }

    /** RFC 3550 A.1 {@code update_seq}, verbatim apart from Java's unsigned arithmetic. */
    private static boolean updateSeq(final RtpStream s, final int seq) {
        final int udelta = (seq - s.maxSeq) & 0xffff;
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
        } else if (udelta <= RTP_SEQ_MOD - MAX_MISORDER) {
            if (seq == s.badSeq) {
                // Two sequential packets after a big jump: the source restarted; keep counting from here.
                initSeq(s, seq);
            } else {
                s.badSeq = (seq + 1) & 0xffff;
                return false;
            }
        }
        // else duplicate or reordered packet: counted as received, as in A.1
        s.received++;
        return true;
    }
}
