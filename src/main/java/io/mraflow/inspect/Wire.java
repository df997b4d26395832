package io.mraflow.inspect;

import org.agrona.DirectBuffer;

/**
 * Bounded reads from a payload held in a {@link DirectBuffer}: the bounds and ASCII comparisons
 * (integers through {@link io.mraflow.decode.NetworkOrder}, the one reader of network-order fields). Every protocol class first calls {@link #avail} so that no read can pass either
 * the payload's end or the buffer's capacity, whatever {@code off} and {@code len} the caller gave.
 */
final class Wire {

    private Wire() {
    }

    /**
     * Payload bytes that may be read from {@code off}: {@code len} clamped to the buffer, or 0
     * when the arguments make no sense (null buffer, negative offset or length).
     */
    static int avail(final DirectBuffer b, final int off, final int len) {
        if (b == null || off < 0 || len <= 0) {
            return 0;
        }
        final int cap = b.capacity();
        if (off >= cap) {
            return 0;
        }
        return Math.min(len, cap - off);
    }

    /** True when the {@code end - i} bytes at {@code i} start with {@code ascii} (exact case). */
    static boolean startsWith(final DirectBuffer b, final int i, final int end, final byte[] ascii) {
        if (end - i < ascii.length) {
            return false;
        }
        for (int k = 0; k < ascii.length; k++) {
            if (b.getByte(i + k) != ascii[k]) {
                return false;
            }
        }
        return true;
    }

    /** First index in {@code [from, end)} where {@code ascii} starts, or -1. */
    static int indexOf(final DirectBuffer b, final int from, final int end, final byte[] ascii) {
        final int last = end - ascii.length;
        for (int i = from; i <= last; i++) {
            if (b.getByte(i) == ascii[0] && startsWith(b, i, end, ascii)) {
                return i;
            }
        }
        return -1;
    }

    /** Like {@link #indexOf} but ASCII letters compare case-insensitively ({@code lower} is lower-case). */
    static int indexOfIgnoreCase(final DirectBuffer b, final int from, final int end, final byte[] lower) {
        final int last = end - lower.length;
        outer:
        for (int i = from; i <= last; i++) {
            for (int k = 0; k < lower.length; k++) {
                int c = b.getByte(i + k);
                if (c >= 'A' && c <= 'Z') {
                    c += 'a' - 'A';
                }
                if (c != lower[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Index of the first CR or LF in {@code [from, end)}, or -1. */
    static int lineEnd(final DirectBuffer b, final int from, final int end) {
        for (int i = from; i < end; i++) {
            final byte c = b.getByte(i);
            if (c == '\r' || c == '\n') {
                return i;
            }
        }
        return -1;
    }

    static byte[] ascii(final String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
