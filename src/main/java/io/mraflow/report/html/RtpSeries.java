package io.mraflow.report.html;

/**
 * What the page plots of one RTP stream (one source, one direction of a flow): packets, packets
 * lost and the worst jitter per time bucket. Immutable once made (the arrays are not copied: the
 * maker hands them over).
 *
 * @param label            the stream for a person: row, sender, receiver, SSRC
 * @param bucketStartNanos each bucket's start, epoch nanoseconds, ascending
 * @param endNanos         the end of the last bucket
 * @param packets          packets received per bucket
 * @param lost             packets lost per bucket (RFC 3550 A.3: expected minus received)
 * @param maxJitterMs      the largest interarrival jitter per bucket, ms; NaN where it was not measured
 */
public record RtpSeries(String label, long[] bucketStartNanos, long endNanos, long[] packets, long[] lost,
                        double[] maxJitterMs) {

    public RtpSeries {
        if (packets.length != bucketStartNanos.length || lost.length != bucketStartNanos.length
                || maxJitterMs.length != bucketStartNanos.length) {
            throw new IllegalArgumentException("one value per bucket in every array");
        }
    }

    long totalPackets() {
        long n = 0;
        for (long p : packets) {
            n += p;
        }
        return n;
    }

    long totalLost() {
        long n = 0;
        for (long l : lost) {
            n += Math.max(0, l);
        }
        return n;
    }

    /** Lost over expected, 0 when nothing was expected. */
    double lossRatio() {
        final long expected = totalPackets() + totalLost();
        return expected == 0 ? 0 : (double) totalLost() / expected;
    }

    /** The worst jitter of any bucket, NaN when none was measured. */
    double maxJitter() {
        double m = Double.NaN;
        for (double j : maxJitterMs) {
            if (!Double.isNaN(j) && (Double.isNaN(m) || j > m)) {
                m = j;
            }
        }
        return m;
    }
}
