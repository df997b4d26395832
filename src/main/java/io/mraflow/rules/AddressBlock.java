package io.mraflow.rules;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An address or CIDR block in {@code PacketView}'s 128-bit form; immutable. An IPv4 address
 * {@code a.b.c.d} is {@code ::ffff:a.b.c.d} ({@code hi = 0}, {@code lo = 0x0000ffff00000000L | addr}),
 * and an IPv4 {@code /n} is the 128-bit prefix {@code /(96 + n)}. The address bits beyond the
 * prefix are always zero.
 *
 * @param hi        high 64 bits
 * @param lo        low 64 bits
 * @param prefixLen 0..128 (128 for a single address)
 */
public record AddressBlock(long hi, long lo, int prefixLen) {

    private static final long V4_MAPPED = 0x0000_ffff_0000_0000L;

    public AddressBlock {
        if (prefixLen < 0 || prefixLen > 128) {
            throw new IllegalArgumentException("prefix length " + prefixLen + " outside 0..128");
        }
        hi = maskHi(hi, prefixLen);
        lo = maskLo(lo, prefixLen);
    }

    /** {@code hi} with the bits beyond {@code prefixLen} cleared. */
    public static long maskHi(final long hi, final int prefixLen) {
        return prefixLen >= 64 ? hi : prefixLen == 0 ? 0 : hi & (-1L << (64 - prefixLen));
    }

    /** {@code lo} with the bits beyond {@code prefixLen} cleared. */
    public static long maskLo(final long lo, final int prefixLen) {
        return prefixLen <= 64 ? 0 : prefixLen == 128 ? lo : lo & (-1L << (128 - prefixLen));
    }

    /** The 128-bit form of an IPv4 address given as an unsigned 32-bit int. */
    public static long v4Lo(final int addr) {
        return V4_MAPPED | (addr & 0xffff_ffffL);
    }

    /** True when {@code (hi, lo)} is in this block. */
    public boolean contains(final long addrHi, final long addrLo) {
        return maskHi(addrHi, prefixLen) == hi && maskLo(addrLo, prefixLen) == lo;
    }

    /** True for an IPv4 (mapped) address or block. */
    public boolean isV4() {
        return hi == 0 && (lo >>> 32) == 0xffffL && prefixLen >= 96;
    }

    /**
     * Parses {@code ADDRESS} or {@code ADDRESS/LEN}, IPv4 or IPv6 literal (no host names).
     *
     * @throws IllegalArgumentException saying what was expected
     */
    public static AddressBlock parse(final String text) {
        final String t = text.trim();
        final int slash = t.indexOf('/');
        final String addr = slash < 0 ? t : t.substring(0, slash);
        final long[] a = new long[2];
        final boolean v4 = parseAddress(addr, a);
        int len = v4 ? 32 : 128;
        if (slash >= 0) {
            try {
                len = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                len = -1;
            }
            if (len < 0 || len > (v4 ? 32 : 128)) {
                throw new IllegalArgumentException(Quote.of(t) + ": prefix length must be 0.." + (v4 ? 32 : 128));
            }
        }
        return new AddressBlock(a[0], a[1], v4 ? 96 + len : len);
    }

    /** Parses an address literal into {@code out[0..1]}; true when it was IPv4 (or IPv4-mapped). */
    public static boolean parseAddress(final String addr, final long[] out) {
        if (addr.indexOf(':') < 0) {
            final String[] parts = addr.split("\\.", -1);
            if (parts.length != 4) {
                throw bad(addr);
            }
            long v = 0;
            for (String p : parts) {
                if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                    throw bad(addr);
                }
                final int octet = Integer.parseInt(p);
                if (octet > 255) {
                    throw bad(addr);
                }
                v = (v << 8) | octet;
            }
            out[0] = 0;
            out[1] = V4_MAPPED | v;
            return true;
        }
        if (!addr.chars().allMatch(ch -> Character.digit(ch, 16) >= 0 || ch == ':' || ch == '.')) {
            throw bad(addr);
        }
        final InetAddress ia;
        try {
            ia = InetAddress.getByName(addr); // a literal: no name lookup happens
        } catch (UnknownHostException e) {
            throw bad(addr);
        }
        final byte[] b = ia.getAddress();
        if (ia instanceof Inet4Address) {
            long v = 0;
            for (byte x : b) {
                v = (v << 8) | (x & 0xff);
            }
            out[0] = 0;
            out[1] = V4_MAPPED | v;
            return true;
        }
        long h = 0;
        long l = 0;
        for (int i = 0; i < 8; i++) {
            h = (h << 8) | (b[i] & 0xff);
            l = (l << 8) | (b[i + 8] & 0xff);
        }
        out[0] = h;
        out[1] = l;
        return false;
    }

    private static IllegalArgumentException bad(final String addr) {
        return new IllegalArgumentException(Quote.of(addr) + " is not an IPv4 or IPv6 address (expected a.b.c.d or an IPv6 literal,"
                + " optionally /LEN)");
    }

    /** An address (hi, lo) as text: dotted quad for IPv4-mapped, otherwise IPv6. */
    public static String format(final long hi, final long lo) {
        if (hi == 0 && (lo >>> 32) == 0xffffL) {
            return ((lo >>> 24) & 0xff) + "." + ((lo >>> 16) & 0xff) + "." + ((lo >>> 8) & 0xff) + "." + (lo & 0xff);
        }
        final byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (hi >>> (56 - 8 * i));
            b[i + 8] = (byte) (lo >>> (56 - 8 * i));
        }
        try {
            final String s = InetAddress.getByAddress(b).getHostAddress();
            return compress(s);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Java writes IPv6 uncompressed; collapse the longest run of zero groups as RFC 5952. */
    private static String compress(final String full) {
        final String[] g = full.split(":");
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < g.length;) {
            if (g[i].equals("0")) {
                int j = i;
                while (j < g.length && g[j].equals("0")) {
                    j++;
                }
                if (j - i > bestLen) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        if (bestStart < 0) {
            return full;
        }
        final StringBuilder b = new StringBuilder();
        for (int i = 0; i < bestStart; i++) {
            b.append(i > 0 ? ":" : "").append(g[i]);
        }
        b.append("::");
        for (int i = bestStart + bestLen; i < g.length; i++) {
            b.append(i > bestStart + bestLen ? ":" : "").append(g[i]);
        }
        return b.toString();
    }

    @Override
    public String toString() {
        final String a = format(hi, lo);
        if (isV4()) {
            return prefixLen == 128 ? a : a + "/" + (prefixLen - 96);
        }
        return prefixLen == 128 ? a : a + "/" + prefixLen;
    }
}
