package io.mraflow.inspect;

import io.mraflow.decode.NetworkOrder;
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
    static final int SR = 200;
    static final int RR = 201;
    /** SSRC, fraction lost, cumulative lost, extended highest sequence, jitter, LSR, DLSR. */
    static final int REPORT_BLOCK = 24;

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
        int p = off + 4 * (NetworkOrder.u16(b, off + 2) + 1);
        if (p > end) {
            return Confidence.NONE;
        }
        for (int i = 1; i < MAX_PACKETS && p < end; i++) {
            if (end - p < 4 || !header(b, p, 200, 207)) {
                return Confidence.WEAK;
            }
            final int next = p + 4 * (NetworkOrder.u16(b, p + 2) + 1);
            if (next > end) {
                return Confidence.WEAK;
            }
            p = next;
        }
        return p == end ? Confidence.STRONG : Confidence.WEAK;
    }

    /**
     * Reads the report blocks of the SR and RR packets (RFC 3550 6.4.1, 6.4.2) of a compound packet
     * that {@link #identify} found {@link Confidence#STRONG} into the streams they are about, looked
     * up by SSRC in {@code a} and {@code b} (the flow's two directions; either may be null). SRTCP
     * is left alone: its report blocks are encrypted, and its index and tag keep it from tiling.
     */
    static void readReports(final DirectBuffer buf, final int off, final int length, final RtpSources a,
                            final RtpSources b) {
        final int len = Wire.avail(buf, off, length);
        final int end = off + len;
        int p = off;
        for (int i = 0; i < MAX_PACKETS && end - p >= 8; i++) {
            final int pt = NetworkOrder.u8(buf, p + 1);
            final int next = p + 4 * (NetworkOrder.u16(buf, p + 2) + 1);
            if (next > end) {
                return;
            }
            // SR: header, sender SSRC, 20 bytes of sender info; RR: header, sender SSRC
            int block = pt == SR ? p + 28 : pt == RR ? p + 8 : next;
            for (int n = NetworkOrder.u8(buf, p) & 0x1f; n > 0 && block + REPORT_BLOCK <= next; n--) {
                final long ssrc = NetworkOrder.u32(buf, block);
                RtpStream s = a == null ? null : a.find(ssrc);
                if (s == null && b != null) {
                    s = b.find(ssrc);
                }
                if (s != null) {
                    // cumulative lost: signed 24-bit
                    s.report(NetworkOrder.u8(buf, block + 4), (NetworkOrder.u24(buf, block + 5) << 8) >> 8, NetworkOrder.u32(buf, block + 12));
                }
                block += REPORT_BLOCK;
            }
            p = next;
        }
    }

    private static boolean header(final DirectBuffer b, final int p, final int minPt, final int maxPt) {
        final int pt = NetworkOrder.u8(b, p + 1);
        return (NetworkOrder.u8(b, p) >> 6) == 2 && pt >= minPt && pt <= maxPt;
    }
}
