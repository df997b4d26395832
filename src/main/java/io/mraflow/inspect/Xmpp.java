package io.mraflow.inspect;

import org.agrona.DirectBuffer;

/**
 * XMPP (RFC 6120) by the opening of its XML stream: {@code <stream:stream} (optionally after an
 * XML declaration {@code <?xml ...?>}). An XML declaration alone is only a weak hint: other XML
 * over TCP starts the same way. A capture that starts mid-stream shows stanzas instead
 * ({@code <iq}, {@code <presence}, {@code <message}) or the stream's end
 * ({@code </stream:stream>}): a stanza is a weak hint unless a {@code jabber:} namespace follows.
 *
 * <p>Stateless; any thread.
 */
public final class Xmpp {

    /** Bytes searched for the stream header after an XML declaration. */
    static final int MAX_SCAN = 512;
    private static final byte[] XML_DECL = Wire.ascii("<?xml");
    private static final byte[] STREAM = Wire.ascii("<stream:stream");
    private static final byte[] JABBER = Wire.ascii("jabber");
    private static final byte[] STREAM_END = Wire.ascii("</stream:stream>");
    private static final byte[] IQ = Wire.ascii("<iq ");
    private static final byte[] PRESENCE = Wire.ascii("<presence");
    private static final byte[] MESSAGE = Wire.ascii("<message ");

    private Xmpp() {
    }

    public static int identify(final DirectBuffer b, final int off, final int length) {
        final int len = Wire.avail(b, off, length);
        final int end = off + len;
        int p = off;
        while (p < end && p - off < 4 && isSpace(b.getByte(p))) {
            p++;
        }
        if (Wire.startsWith(b, p, end, STREAM) || Wire.startsWith(b, p, end, STREAM_END)) {
            return Confidence.STRONG;
        }
        final int scanEnd = Math.min(end, p + MAX_SCAN);
        if (Wire.startsWith(b, p, end, IQ) || Wire.startsWith(b, p, end, PRESENCE) || Wire.startsWith(b, p, end, MESSAGE)) {
            return Wire.indexOf(b, p, scanEnd, JABBER) >= 0 ? Confidence.STRONG : Confidence.WEAK;
        }
        if (!Wire.startsWith(b, p, end, XML_DECL)) {
            return Confidence.NONE;
        }
        return Wire.indexOf(b, p, scanEnd, STREAM) >= 0 || Wire.indexOf(b, p, scanEnd, JABBER) >= 0
            ? Confidence.STRONG : Confidence.WEAK;
    }

    private static boolean isSpace(final byte c) {
        return c == ' ' || c == '\r' || c == '\n' || c == '\t';
    }
}
