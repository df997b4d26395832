package io.mraflow.inspect;

import org.agrona.DirectBuffer;

/**
 * SSH by its identification string (RFC 4253 section 4.2): {@code SSH-protoversion-softwareversion}.
 * A server may send other lines before it, so every line start in the first
 * {@link #MAX_SCAN} bytes is tried.
 *
 * <p>Stateless; any thread.
 */
public final class Ssh {

    /** Bytes of a payload searched for a banner line (RFC 4253 caps lines at 255 bytes). */
    static final int MAX_SCAN = 1024;
    private static final byte[] SSH = Wire.ascii("SSH-");
    private static final byte[] V2 = Wire.ascii("2.0-");
    private static final byte[] V199 = Wire.ascii("1.99-");
    private static final byte[] V1 = Wire.ascii("1.");

    private Ssh() {
    }

    /**
     * {@link Confidence#STRONG} for an {@code SSH-2.0-}, {@code SSH-1.99-} or {@code SSH-1.x}
     * banner at a line start; {@link Confidence#WEAK} for {@code SSH-} and a digit; otherwise none.
     */
    public static int identify(final DirectBuffer b, final int off, final int length) {
        final int len = Wire.avail(b, off, length);
        final int end = off + Math.min(len, MAX_SCAN);
        int best = Confidence.NONE;
        int p = off;
        while (p < end) {
            final int c = banner(b, p, end);
            if (c == Confidence.STRONG) {
                return c;
            }
            best = Math.max(best, c);
            final int le = Wire.lineEnd(b, p, end);
            if (le < 0) {
                break;
            }
            p = le + 1;
        }
        return best;
    }

    private static int banner(final DirectBuffer b, final int p, final int end) {
        if (!Wire.startsWith(b, p, end, SSH)) {
            return Confidence.NONE;
        }
        final int v = p + SSH.length;
        if (Wire.startsWith(b, v, end, V2) || Wire.startsWith(b, v, end, V199) || Wire.startsWith(b, v, end, V1)) {
            return Confidence.STRONG;
        }
        return v < end && b.getByte(v) >= '0' && b.getByte(v) <= '9' ? Confidence.WEAK : Confidence.NONE;
    }
}
