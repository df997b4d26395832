package io.mraflow.inspect;

import org.agrona.DirectBuffer;

/**
 * The text request line that SIP and HTTP share ({@code METHOD SP target SP version CRLF}, RFC 3261
 * section 7.1, RFC 9112 section 3): both {@link Sip} and {@link Http} read it here and differ only in
 * their method lists and version strings, so {@code OPTIONS * HTTP/1.1} is HTTP and
 * {@code OPTIONS sip:a SIP/2.0} is SIP whatever the port.
 */
final class RequestLine {

    /** A request line longer than this is not looked at further (both protocols' lines are short). */
    static final int MAX_LINE = 2048;
    /** Longest method token considered (SUBSCRIBE, OPTIONS, CONNECT are 7-9). */
    static final int MAX_METHOD = 16;

    /** Returned by {@link #versionStart} when the line does not end within the captured bytes. */
    static final int INCOMPLETE = -2;

    private RequestLine() {
    }

    /** Index in {@code methods} of the method at {@code off} followed by a space, or -1. */
    static int method(final DirectBuffer b, final int off, final int end, final byte[][] methods) {
        final int limit = Math.min(end, off + MAX_METHOD + 1);
        int sp = -1;
        for (int i = off; i < limit; i++) {
            final byte c = b.getByte(i);
            if (c == ' ') {
                sp = i;
                break;
            }
            if (c < 'A' || c > 'Z') {
                return -1;
            }
        }
        if (sp <= off) {
            return -1;
        }
        final int n = sp - off;
        for (int m = 0; m < methods.length; m++) {
            final byte[] name = methods[m];
            if (name.length == n && Wire.startsWith(b, off, sp, name)) {
                return m;
            }
        }
        return -1;
    }

    /**
     * Start of the version token of the request line whose target starts at {@code targetStart}:
     * the byte after the last space before the line's CR/LF. -1 when the line has no such space,
     * or contains a control byte; {@link #INCOMPLETE} when no CR/LF is found in the captured bytes
     * (or within {@link #MAX_LINE}).
     */
    static int versionStart(final DirectBuffer b, final int targetStart, final int end) {
        final int limit = Math.min(end, targetStart + MAX_LINE);
        int lastSp = -1;
        for (int i = targetStart; i < limit; i++) {
            final byte c = b.getByte(i);
            if (c == '\r' || c == '\n') {
                return lastSp > targetStart ? lastSp + 1 : -1;
            }
            if (c == ' ') {
                lastSp = i;
            } else if ((c & 0xff) < 0x20 || c == 0x7f) {
                return -1;
            }
        }
        return INCOMPLETE;
    }

    /** True when {@code [from, from + token.length)} equals {@code token} and a CR or LF follows. */
    static boolean tokenEndsLine(final DirectBuffer b, final int from, final int end, final byte[] token) {
        if (!Wire.startsWith(b, from, end, token)) {
            return false;
        }
        final int after = from + token.length;
        if (after >= end) {
            return false;
        }
        final byte c = b.getByte(after);
        return c == '\r' || c == '\n';
    }

    static byte[][] table(final String... names) {
        final byte[][] t = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            t[i] = Wire.ascii(names[i]);
        }
        return t;
    }
}
