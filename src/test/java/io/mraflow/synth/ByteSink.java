package io.mraflow.synth;

import java.util.Arrays;
import java.util.SplittableRandom;

/** A growable big-endian byte array for building payloads, with length back-patching. Single-threaded. */
final class ByteSink {

    private byte[] b = new byte[512];
    private int n;

    int size() {
        return n;
    }

    private void ensure(final int more) {
        if (n + more > b.length) {
            b = Arrays.copyOf(b, Math.max(b.length * 2, n + more));
        }
    }

    ByteSink u8(final int v) {
        ensure(1);
        b[n++] = (byte) v;
        return this;
    }

    ByteSink u16(final int v) {
        ensure(2);
        b[n++] = (byte) (v >>> 8);
        b[n++] = (byte) v;
        return this;
    }

    ByteSink u24(final int v) {
        ensure(3);
        b[n++] = (byte) (v >>> 16);
        b[n++] = (byte) (v >>> 8);
        b[n++] = (byte) v;
        return this;
    }

    ByteSink u32(final int v) {
        ensure(4);
        b[n++] = (byte) (v >>> 24);
        b[n++] = (byte) (v >>> 16);
        b[n++] = (byte) (v >>> 8);
        b[n++] = (byte) v;
        return this;
    }

    ByteSink bytes(final byte[] src) {
        return bytes(src, 0, src.length);
    }

    ByteSink bytes(final byte[] src, final int off, final int len) {
        ensure(len);
        System.arraycopy(src, off, b, n, len);
        n += len;
        return this;
    }

    ByteSink random(final SplittableRandom rng, final int len) {
        ensure(len);
        for (int i = 0; i < len; i++) {
            b[n++] = (byte) rng.nextInt(256);
        }
        return this;
    }

    ByteSink zeros(final int len) {
        ensure(len);
        n += len;
        return this;
    }

    /** Writes {@code v} as a {@code width}-byte big-endian length at {@code at}. */
    void patch(final int at, final int width, final int v) {
        for (int i = 0; i < width; i++) {
            b[at + i] = (byte) (v >>> (8 * (width - 1 - i)));
        }
    }

    byte[] array() {
        return b;
    }

    byte[] toArray() {
        return Arrays.copyOf(b, n);
    }
}
