package io.mraflow.inspect;

import org.agrona.DirectBuffer;

/**
 * HTTP/1.x (RFC 9112) by its first line: a request line {@code METHOD SP target SP HTTP/1.x} or a
 * status line {@code HTTP/1.x SP 3DIGIT}. Only the first line is read. HTTP/2 with prior knowledge
 * is recognised by its connection preface {@code PRI * HTTP/2.0}.
 *
 * <p>Stateless; any thread.
 */
public final class Http {

    private static final byte[][] METHODS = RequestLine.table(
        "GET", "POST", "PUT", "HEAD", "DELETE", "OPTIONS", "PATCH", "CONNECT", "TRACE", "PRI");
    private static final byte[] HTTP10 = Wire.ascii("HTTP/1.0");
    private static final byte[] HTTP11 = Wire.ascii("HTTP/1.1");
    private static final byte[] HTTP20 = Wire.ascii("HTTP/2.0");
    private static final byte[] STATUS = Wire.ascii("HTTP/1.");

    private Http() {
    }

    /**
     * {@link Confidence#STRONG} for a complete request line with an HTTP version or a status line;
     * {@link Confidence#WEAK} for a known method followed by an origin-form target ({@code /...})
     * whose line is cut off by the capture; otherwise {@link Confidence#NONE}.
     */
    public static int identify(final DirectBuffer b, final int off, final int length) {
        final int len = Wire.avail(b, off, length);
        final int end = off + len;
        if (len < 12) {
            return Confidence.NONE;
        }
        if (Wire.startsWith(b, off, end, STATUS)) {
            final byte minor = b.getByte(off + 7);
            return (minor == '0' || minor == '1') && b.getByte(off + 8) == ' '
                && digit(b, off + 9) && digit(b, off + 10) && digit(b, off + 11)
                ? Confidence.STRONG : Confidence.NONE;
        }
        final int m = RequestLine.method(b, off, end, METHODS);
        if (m < 0) {
            return Confidence.NONE;
        }
        final int target = off + METHODS[m].length + 1;
        final int v = RequestLine.versionStart(b, target, end);
        if (v == RequestLine.INCOMPLETE) {
            return target < end && b.getByte(target) == '/' ? Confidence.WEAK : Confidence.NONE;
        }
        return v > 0 && (RequestLine.tokenEndsLine(b, v, end, HTTP11) || RequestLine.tokenEndsLine(b, v, end, HTTP10)
            || RequestLine.tokenEndsLine(b, v, end, HTTP20)) ? Confidence.STRONG : Confidence.NONE;
    }

    private static boolean digit(final DirectBuffer b, final int i) {
        final byte c = b.getByte(i);
        return c >= '0' && c <= '9';
    }
}
