package io.mraflow.inspect;

import org.agrona.DirectBuffer;

/**
 * XMPP (RFC 6120) by the opening of its XML stream: {@code <stream:stream} (optionally after an
 * XML declaration {@code <?xml ...?>}). An XML declaration alone is only a weak hint: other XML
 * over TCP starts the same way.
 *
 * <p>Stateless; any thread.
 */
public final class Xmpp {

    /** Bytes searched for the stream header after an XML declaration. */
    static final int MAX_SCAN = 512;
    private static final byte[] XML_DECL = Wire.ascii("<?xml");
    private static final byte[] STREAM = Wire.ascii("<stream:stream");
    private static final byte[] JABBER = Wire.ascii("jabber:");

    private Xmpp() {
    }

    public static int identify(final DirectBuffer b, final int off, final int length) {
        final int len = Wire.avail(b, off, length);
        final int end = off + len;
        int p = off;
        while (p < end && p - off < 4 && isSpace(b.getByte(p))) {
            p++;
        }
        if (Wire.startsWith(b, p, end, STREAM)) {
            return Confidence.STRONG;
        }
        if (!Wire.startsWith(b, p, end, XML_DECL)) {
            return Confidence.NONE;
        }
        final int scanEnd = Math.min(end, p + MAX_SCAN);
        return Wire.indexOf(b, p, scanEnd, STREAM) >= 0 || Wire.indexOf(b, p, scanEnd, JABBER) >= 0
            ? Confidence.STRONG : Confidence.WEAK;
    }

    private static boolean isSpace(final byte c) {
        return c == ' ' || c == '\r' || c == '\n' || c == '\t';
    }
}
