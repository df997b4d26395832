package io.mraflow.report;

/** Epoch times as Zeek writes them: seconds with a six-digit fraction. */
public final class EpochTime {
    /** Room for the longest text: sign, 10 digits of seconds (Long.MAX_VALUE ns), '.', 6 digits. */
    static final int MAX_CHARS = 20;

    private EpochTime() {
    }

    /** Nanoseconds since the epoch as "seconds.micros" (truncated to the microsecond, as Zeek). */
    public static String seconds(final long nanos) {
        final char[] buf = new char[MAX_CHARS];
        final int start = write(nanos, buf);
        return new String(buf, start, MAX_CHARS - start);
    }

    /** A duration in nanoseconds as seconds with a six-digit fraction. */
    public static String duration(final long nanos) {
        return seconds(Math.max(0, nanos));
    }

    /**
     * Writes {@link #seconds(long)} right-aligned into {@code buf[0..MAX_CHARS)} and returns where
     * it starts: the JSON writer formats twice per flow without making a string.
     */
    static int write(final long nanos, final char[] buf) {
        final long secs = Math.floorDiv(nanos, 1_000_000_000L);
        int micros = (int) (Math.floorMod(nanos, 1_000_000_000L) / 1_000L);
        int i = MAX_CHARS;
        for (int d = 0; d < 6; d++) {
            buf[--i] = (char) ('0' + micros % 10);
            micros /= 10;
        }
        buf[--i] = '.';
        long s = Math.abs(secs); // |floorDiv(Long.MIN_VALUE, 1e9)| fits
        do {
            buf[--i] = (char) ('0' + s % 10);
            s /= 10;
        } while (s != 0);
        if (secs < 0) {
            buf[--i] = '-';
        }
        return i;
    }
}
