package io.mraflow.report;

/**
 * SHA-1 (FIPS 180-4) of a message that fits one 64-byte block with its padding: at most
 * {@value #MAX_MESSAGE} bytes, which every Community ID input is (40 bytes at most). Not for
 * security: Community ID uses SHA-1 as a fixed hash that other tools compute the same way.
 *
 * <p>Why not {@code MessageDigest}: the JDK's SHA-1 reads its input through {@code VarHandle}s,
 * which are slow until C2 has compiled them, and a report computes its 50,000 IDs in well under a
 * second, mostly before that (the two compared: BENCHMARKS.md, Report stage). Checked against
 * {@code MessageDigest} for every length in {@code Sha1BlockTest}. Not thread-safe (a reused
 * schedule array); one per thread.
 */
final class Sha1Block {
    /** Longest message: 64 bytes less the 0x80 marker and the 8-byte bit length. */
    static final int MAX_MESSAGE = 55;
    static final int DIGEST_LENGTH = 20;

    private final int[] w = new int[80];

    /** Writes the 20-byte SHA-1 of {@code in[0..length)} to {@code out[0..20)}. */
    void digest(final byte[] in, final int length, final byte[] out) {
        if (length < 0 || length > MAX_MESSAGE) {
            throw new IllegalArgumentException("one-block SHA-1 takes 0.." + MAX_MESSAGE + " bytes: " + length);
        }
        final int[] w = this.w;
        java.util.Arrays.fill(w, 0, 16, 0);
        for (int i = 0; i < length; i++) {
            w[i >> 2] |= (in[i] & 0xff) << (24 - 8 * (i & 3));
        }
        w[length >> 2] |= 0x80 << (24 - 8 * (length & 3));
        w[15] = length * 8;
        for (int t = 16; t < 80; t++) {
            w[t] = Integer.rotateLeft(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
        }
        int a = 0x67452301;
        int b = 0xEFCDAB89;
        int c = 0x98BADCFE;
        int d = 0x10325476;
        int e = 0xC3D2E1F0;
        for (int t = 0; t < 80; t++) {
            final int f;
            final int k;
            if (t < 20) {
                f = (b & c) | (~b & d);
                k = 0x5A827999;
            } else if (t < 40) {
                f = b ^ c ^ d;
                k = 0x6ED9EBA1;
            } else if (t < 60) {
                f = (b & c) | (b & d) | (c & d);
                k = 0x8F1BBCDC;
            } else {
                f = b ^ c ^ d;
                k = 0xCA62C1D6;
            }
            final int tmp = Integer.rotateLeft(a, 5) + f + e + k + w[t];
            e = d;
            d = c;
            c = Integer.rotateLeft(b, 30);
            b = a;
            a = tmp;
        }
        putInt(out, 0, 0x67452301 + a);
        putInt(out, 4, 0xEFCDAB89 + b);
        putInt(out, 8, 0x98BADCFE + c);
        putInt(out, 12, 0x10325476 + d);
        putInt(out, 16, 0xC3D2E1F0 + e);
    }

    private static void putInt(final byte[] out, final int at, final int v) {
        out[at] = (byte) (v >>> 24);
        out[at + 1] = (byte) (v >>> 16);
        out[at + 2] = (byte) (v >>> 8);
        out[at + 3] = (byte) v;
    }
}
