package io.mraflow.inspect;

import org.agrona.DirectBuffer;

/**
 * SIP (RFC 3261) by its first line: a request line {@code METHOD SP Request-URI SP SIP/2.0} with one
 * of the methods of RFC 3261 and its extensions, or a status line {@code SIP/2.0 SP 3DIGIT SP}.
 * Leading CRLFs (the RFC 5626 keep-alive ping over TCP) are skipped. Only the first line is read.
 *
 * <p>Stateless; any thread.
 */
public final class Sip {

    private static final byte[][] METHODS = RequestLine.table(
        "INVITE", "REGISTER", "OPTIONS", "ACK", "BYE", "CANCEL", "SUBSCRIBE", "NOTIFY", "PUBLISH",
        "MESSAGE", "INFO", "PRACK", "UPDATE", "REFER");
    private static final byte[] VERSION = Wire.ascii("SIP/2.0");
    private static final byte[] STATUS = Wire.ascii("SIP/2.0 ");
    private static final byte[] SCHEME_SIP = Wire.ascii("sip:");
    private static final byte[] SCHEME_SIPS = Wire.ascii("sips:");
    private static final byte[] SCHEME_TEL = Wire.ascii("tel:");
    /** How many leading CR/LF bytes are skipped (a double-CRLF keep-alive, then a message). */
    private static final int MAX_LEADING_CRLF = 8;

    private Sip() {
    }

    /**
     * {@link Confidence#STRONG} for a complete SIP request line or a status line;
     * {@link Confidence#WEAK} for a SIP method and a {@code sip:}/{@code sips:}/{@code tel:} URI whose
     * line is cut off by the capture; otherwise {@link Confidence#NONE}.
     */
    public static int identify(final DirectBuffer b, final int off, final int length) {
        final int len = Wire.avail(b, off, length);
        final int end = off + len;
        int p = off;
        while (p < end && p - off < MAX_LEADING_CRLF && (b.getByte(p) == '\r' || b.getByte(p) == '\n')) {
            p++;
        }
        if (end - p < 12) {
            return Confidence.NONE;
        }
        if (Wire.startsWith(b, p, end, STATUS)) {
            final int d = p + STATUS.length;
            return d + 3 < end && digit(b, d) && digit(b, d + 1) && digit(b, d + 2) && b.getByte(d + 3) == ' '
                ? Confidence.STRONG : Confidence.NONE;
        }
        final int m = RequestLine.method(b, p, end, METHODS);
        if (m < 0) {
            return Confidence.NONE;
        }
        final int target = p + METHODS[m].length + 1;
        final int v = RequestLine.versionStart(b, target, end);
        if (v == RequestLine.INCOMPLETE) {
            return Wire.startsWith(b, target, end, SCHEME_SIP) || Wire.startsWith(b, target, end, SCHEME_SIPS)
                || Wire.startsWith(b, target, end, SCHEME_TEL) ? Confidence.WEAK : Confidence.NONE;
        }
        return v > 0 && RequestLine.tokenEndsLine(b, v, end, VERSION) ? Confidence.STRONG : Confidence.NONE;
    }

    private static boolean digit(final DirectBuffer b, final int i) {
        final byte c = b.getByte(i);
        return c >= '0' && c <= '9';
    }
}
