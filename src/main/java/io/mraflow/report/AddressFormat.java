package io.mraflow.report;

/**
 * Text forms of the 128-bit addresses the decoder and flow table carry (two longs, IPv4 held
 * as ::ffff:a.b.c.d). IPv4 prints dotted; IPv6 prints in RFC 5952's canonical compressed form,
 * the form Zeek, Suricata and tshark print.
 */
public final class AddressFormat {
    private static final long V4_MAPPED_PREFIX = 0x0000_ffff_0000_0000L;
    /** The longest text: eight groups of four hex digits and seven colons. */
    static final int MAX_CHARS = 39;

    private AddressFormat() {
    }

    /** True when the address is an IPv4 address in its mapped form. */
    public static boolean isV4(final long hi, final long lo) {
        return hi == 0 && (lo & 0xffff_ffff_0000_0000L) == V4_MAPPED_PREFIX;
    }

    public static String format(final long hi, final long lo) {
        if (isV4(hi, lo)) {
            final char[] buf = new char[MAX_CHARS];
            return new String(buf, 0, writeV4((int) lo, buf));
        }
        int[] groups = new int[8];
        for (int i = 0; i < 4; i++) {
            groups[i] = (int) (hi >>> (48 - 16 * i)) & 0xffff;
            groups[i + 4] = (int) (lo >>> (48 - 16 * i)) & 0xffff;
        }
        // RFC 5952 4.2: compress the longest run of two or more zero groups, the first on a tie.
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }

    /**
     * Writes {@link #format(long, long)} into {@code buf[0..MAX_CHARS)} and returns its length: the
     * JSON writer formats two addresses per flow without making a string for IPv4.
     */
    static int write(final long hi, final long lo, final char[] buf) {
        if (isV4(hi, lo)) {
            return writeV4((int) lo, buf);
        }
        final String s = format(hi, lo);
        s.getChars(0, s.length(), buf, 0);
        return s.length();
    }

    private static int writeV4(final int a, final char[] buf) {
        int n = 0;
        for (int shift = 24; shift >= 0; shift -= 8) {
            final int octet = (a >>> shift) & 0xff;
            if (octet >= 100) {
                buf[n++] = (char) ('0' + octet / 100);
            }
            if (octet >= 10) {
                buf[n++] = (char) ('0' + octet / 10 % 10);
            }
            buf[n++] = (char) ('0' + octet % 10);
            if (shift > 0) {
                buf[n++] = '.';
            }
        }
        return n;
    }
}
