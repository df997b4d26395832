package io.mraflow.inspect;

import org.agrona.DirectBuffer;

/**
 * RTCP (RFC 3550 section 6.4) by its compound-packet structure:
 *
 * <pre>
 *  V=2(2) P(1) count(5) | PT(8) | length in 32-bit words minus one(16) | ...
 * </pre>
 *
 * The first packet must be SR, RR, SDES, BYE or APP (PT 200-204); the following ones may also be
 * feedback (205 RTPFB, 206 PSFB, RFC 4585) or extended reports (207 XR, RFC 3611). Stateless; any
 * thread.
 */
public final class Rtcp {

    static final int MAX_PACKETS = 32;

    private Rtcp() {
    }

    /**
     * {@link Confidence#STRONG} when the packets tile the captured bytes exactly;
     * {@link Confidence#WEAK} when the first packet fits but bytes remain that are not RTCP (the
     * SRTCP index and authentication tag of RFC 3711, or a capture cut); otherwise none.
     */
    public static int identify(final DirectBuffer b, final int off, final int length) {
        final int len = Wire.avail(b, off, length);
        final int end = off + len;
        if (len < 8 || !header(b, off, 200, 204)) {
            return Confidence.NONE;
        }
        int p = off + 4 * (Wire.u16(b, off + 2) + 1);
        if (p > end) {
            return Confidence.NONE;
        }
        for (int i = 1; i < MAX_PACKETS && p < end; i++) {
            if (end - p < 4 || !header(b, p, 200, 207)) {
                return Confidence.WEAK;
            }
            final int next = p + 4 * (Wire.u16(b, p + 2) + 1);
            if (next > end) {
                return Confidence.WEAK;
            }
            p = next;
        }
        return p == end ? Confidence.STRONG : Confidence.WEAK;
    }

    private static boolean header(final DirectBuffer b, final int p, final int minPt, final int maxPt) {
        final int pt = Wire.u8(b, p + 1);
        return (Wire.u8(b, p) >> 6) == 2 && pt >= minPt && pt <= maxPt;
    }
}
