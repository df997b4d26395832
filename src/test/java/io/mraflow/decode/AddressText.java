package io.mraflow.decode;

/** Formats {@link PacketView} addresses the way tshark prints them (dotted IPv4, RFC 5952 IPv6). */
final class AddressText {
    private AddressText() {
    }

    static String format(final int ipVersion, final long hi, final long lo) {
        if (ipVersion == 4) {
            return ((lo >>> 24) & 0xff) + "." + ((lo >>> 16) & 0xff) + "." + ((lo >>> 8) & 0xff) + "." + (lo & 0xff);
        }
        final int[] g = new int[8];
        for (int i = 0; i < 4; i++) {
            g[i] = (int) ((hi >>> (48 - 16 * i)) & 0xffff);
            g[i + 4] = (int) ((lo >>> (48 - 16 * i)) & 0xffff);
        }
        // RFC 5952: the longest run (first if tied) of two or more zero groups becomes "::".
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        final StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLen - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(g[i]));
        }
        return s.toString();
    }

    /** A quoted address in an ICMP error: v4-mapped values print as IPv4. */
    static String formatAny(final long hi, final long lo) {
        final boolean mapped = hi == 0 && (lo >>> 32) == 0xffffL;
        return format(mapped ? 4 : 6, hi, lo);
    }
}
