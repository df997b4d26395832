package io.mraflow.report;

/** Epoch times as Zeek writes them: seconds with a six-digit fraction. */
public final class EpochTime {
    private EpochTime() {
    }

    /** Nanoseconds since the epoch as "seconds.micros" (truncated to the microsecond, as Zeek). */
    public static String seconds(long nanos) {
        long secs = Math.floorDiv(nanos, 1_000_000_000L);
        long micros = Math.floorMod(nanos, 1_000_000_000L) / 1_000L;
        String frac = Long.toString(micros);
        return secs + "." + "000000".substring(frac.length()) + frac;
    }

    /** A duration in nanoseconds as seconds with a six-digit fraction. */
    public static String duration(long nanos) {
        return seconds(Math.max(0, nanos));
    }
}
