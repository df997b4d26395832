package io.mraflow.synth;

/** IPv4 addresses as ints and byte arrays, and their dotted text. Stateless. */
public final class Ip {

    private Ip() {
    }

    /** Parses a dotted IPv4 address. */
    public static int v4(final String dotted) {
        final String[] p = dotted.split("\\.");
        if (p.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + dotted);
        }
        int v = 0;
        for (final String part : p) {
            final int o = Integer.parseInt(part);
            if (o < 0 || o > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + dotted);
            }
            v = v << 8 | o;
        }
        return v;
    }

    public static int v4(final byte[] a) {
        return (a[0] & 0xFF) << 24 | (a[1] & 0xFF) << 16 | (a[2] & 0xFF) << 8 | (a[3] & 0xFF);
    }

    public static byte[] bytes(final int v4) {
        return new byte[] {(byte) (v4 >>> 24), (byte) (v4 >>> 16), (byte) (v4 >>> 8), (byte) v4};
    }

    public static String text(final int v4) {
        return (v4 >>> 24) + "." + (v4 >>> 16 & 0xFF) + "." + (v4 >>> 8 & 0xFF) + "." + (v4 & 0xFF);
    }
}
