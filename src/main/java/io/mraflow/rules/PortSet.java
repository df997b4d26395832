package io.mraflow.rules;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An immutable set of TCP/UDP ports (0..65535) held as sorted, merged, inclusive ranges.
 *
 * <p>Text form: ranges {@code N} or {@code N-M} separated by {@code |} or {@code ,}, e.g.
 * {@code 2776-2777|36000-36011}. {@link #toString()} writes the same form with {@code |}.
 */
public final class PortSet {
    /** Every port. */
    public static final PortSet ALL = new PortSet(new int[] {0}, new int[] {65535});

    private final int[] lows;
    private final int[] highs;

    private PortSet(final int[] lows, final int[] highs) {
        this.lows = lows;
        this.highs = highs;
    }

    /** A single range {@code low..high} inclusive. */
    public static PortSet range(final int low, final int high) {
        check(low);
        check(high);
        if (low > high) {
            throw new IllegalArgumentException("port range " + low + "-" + high + " is empty (low > high)");
        }
        return new PortSet(new int[] {low}, new int[] {high});
    }

    /**
     * Parses the text form.
     *
     * @throws IllegalArgumentException saying what was expected
     */
    public static PortSet parse(final String text) {
        final String t = text.trim();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty port list, expected ports like 5061 or 36000-59999");
        }
        PortSet s = null;
        for (String part : t.split("[|,]")) {
            final String p = part.trim();
            final int dash = p.indexOf('-');
            final PortSet r;
            try {
                r = dash < 0 ? range(Integer.parseInt(p), Integer.parseInt(p))
                        : range(Integer.parseInt(p.substring(0, dash).trim()), Integer.parseInt(p.substring(dash + 1).trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(Quote.of(p) + " is not a port or port range (expected N or N-M, 0..65535)");
            }
            s = s == null ? r : s.union(r);
        }
        return s;
    }

    private static void check(final int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 0..65535");
        }
    }

    /** The union of this set and {@code other}. */
    public PortSet union(final PortSet other) {
        final List<int[]> all = new ArrayList<>();
        for (int i = 0; i < lows.length; i++) {
            all.add(new int[] {lows[i], highs[i]});
        }
        for (int i = 0; i < other.lows.length; i++) {
            all.add(new int[] {other.lows[i], other.highs[i]});
        }
        all.sort((a, b) -> Integer.compare(a[0], b[0]));
        final List<int[]> merged = new ArrayList<>();
        for (int[] r : all) {
            final int[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && r[0] <= last[1] + 1) {
                last[1] = Math.max(last[1], r[1]);
            } else {
                merged.add(new int[] {r[0], r[1]});
            }
        }
        final int[] lo = new int[merged.size()];
        final int[] hi = new int[merged.size()];
        for (int i = 0; i < lo.length; i++) {
            lo[i] = merged.get(i)[0];
            hi[i] = merged.get(i)[1];
        }
        return new PortSet(lo, hi);
    }

    /** True when {@code port} is in the set. */
    public boolean contains(final int port) {
        for (int i = 0; i < lows.length; i++) {
            if (port >= lows[i] && port <= highs[i]) {
                return true;
            }
        }
        return false;
    }

    /** How many ports the set holds. */
    public int size() {
        int n = 0;
        for (int i = 0; i < lows.length; i++) {
            n += highs[i] - lows[i] + 1;
        }
        return n;
    }

    /** Number of ranges. */
    public int rangeCount() {
        return lows.length;
    }

    /** Low end of range {@code i}. */
    public int low(final int i) {
        return lows[i];
    }

    /** High end of range {@code i}. */
    public int high(final int i) {
        return highs[i];
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof PortSet && Arrays.equals(lows, ((PortSet) o).lows) && Arrays.equals(highs, ((PortSet) o).highs);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(lows) * 31 + Arrays.hashCode(highs);
    }

    @Override
    public String toString() {
        final StringBuilder b = new StringBuilder();
        for (int i = 0; i < lows.length; i++) {
            if (i > 0) {
                b.append('|');
            }
            b.append(lows[i]);
            if (highs[i] != lows[i]) {
                b.append('-').append(highs[i]);
            }
        }
        return b.toString();
    }
}
