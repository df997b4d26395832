package io.mraflow.inspect;

import org.HdrHistogram.IntCountsHistogram;

/**
 * The packet path's half of a stream's jitter histogram: counts in the buckets of an
 * {@code IntCountsHistogram(1, 20480, 1)} (one significant digit: exact to 31 units, then 16
 * buckets per power of two), kept in a {@code char[]} so that recording a value is one array
 * increment, with none of HdrHistogram's bookkeeping (its volatile maximum and minimum, its
 * fields: about 600 bytes a stream). {@link #toHistogram} gives the HdrHistogram the report reads,
 * with the same buckets, so its percentiles are exactly what recording into it would have given.
 * A count stops at 65,535 (with one value in four recorded, 87 minutes of 50-packet/s audio in one
 * bucket). Not thread-safe: the flow's owning thread records.
 */
final class JitterCounts {
    /** Highest value told apart; larger ones count as it. */
    static final long HIGHEST = 20_480;
    /** HdrHistogram's layout for one significant digit: 32 sub-buckets, the lower half shared. */
    private static final int SUB_BUCKET_HALF_COUNT_MAGNITUDE = 4;
    private static final int SUB_BUCKET_HALF_COUNT = 1 << SUB_BUCKET_HALF_COUNT_MAGNITUDE;
    private static final long SUB_BUCKET_MASK = 2 * SUB_BUCKET_HALF_COUNT - 1;
    private static final int LEADING_ZERO_COUNT_BASE = 64 - SUB_BUCKET_HALF_COUNT_MAGNITUDE - 1;
    static final int LENGTH = index(HIGHEST) + 1;

    private final char[] counts = new char[LENGTH];

    static int index(final long value) {
        final int bucket = LEADING_ZERO_COUNT_BASE - Long.numberOfLeadingZeros(value | SUB_BUCKET_MASK);
        final int subBucket = (int) (value >>> bucket);
        return ((bucket + 1) << SUB_BUCKET_HALF_COUNT_MAGNITUDE) + subBucket - SUB_BUCKET_HALF_COUNT;
    }

    static long valueOf(final int index) {
        int bucket = (index >> SUB_BUCKET_HALF_COUNT_MAGNITUDE) - 1;
        int subBucket = (index & (SUB_BUCKET_HALF_COUNT - 1)) + SUB_BUCKET_HALF_COUNT;
        if (bucket < 0) {
            subBucket -= SUB_BUCKET_HALF_COUNT;
            bucket = 0;
        }
        return (long) subBucket << bucket;
    }

    void record(final long value) {
        final int i = index(Math.max(0, Math.min(HIGHEST, value)));
        if (counts[i] != Character.MAX_VALUE) {
            counts[i]++;
        }
    }

    /** The count of {@code value}'s bucket (a read that brings its cache line in before {@link #record}). */
    int peek(final long value) {
        return counts[index(Math.max(0, Math.min(HIGHEST, value)))];
    }

    void reset() {
        java.util.Arrays.fill(counts, (char) 0);
    }

    static IntCountsHistogram newHistogram() {
        return new IntCountsHistogram(1, HIGHEST, 1);
    }

    /** The HdrHistogram of these counts (allocates: report time only). */
    IntCountsHistogram toHistogram() {
        return toHistogram(encode());
    }

    // ---- the sparse form: what an ended stream keeps and the spill carries -------------------------
    // One byte of how many buckets are used, then per used bucket its index (one byte: LENGTH <= 256)
    // and its count (two bytes): a steady call uses a handful of buckets, a dozen bytes.

    /** Bytes {@link #encode} gives at most. */
    static final int MAX_ENCODED_BYTES = 2 + 3 * LENGTH;

    /** The counts in the sparse form. */
    byte[] encode() {
        int used = 0;
        for (int i = 0; i < LENGTH; i++) {
            used += counts[i] != 0 ? 1 : 0;
        }
        final byte[] out = new byte[2 + 3 * used];
        out[0] = (byte) (used >> 8);
        out[1] = (byte) used;
        int at = 2;
        for (int i = 0; i < LENGTH; i++) {
            if (counts[i] != 0) {
                out[at] = (byte) i;
                out[at + 1] = (byte) (counts[i] >> 8);
                out[at + 2] = (byte) counts[i];
                at += 3;
            }
        }
        return out;
    }

    private static int used(final byte[] sparse) {
        return (sparse[0] & 0xff) << 8 | sparse[1] & 0xff;
    }

    private static int indexAt(final byte[] sparse, final int k) {
        return sparse[2 + 3 * k] & 0xff;
    }

    private static int countAt(final byte[] sparse, final int k) {
        return (sparse[3 + 3 * k] & 0xff) << 8 | sparse[4 + 3 * k] & 0xff;
    }

    /** Values counted in a sparse form. */
    static long totalCount(final byte[] sparse) {
        long n = 0;
        for (int k = 0; k < used(sparse); k++) {
            n += countAt(sparse, k);
        }
        return n;
    }

    /**
     * What {@code IntCountsHistogram.getValueAtPercentile} gives for these counts, without making
     * one: the highest value of the bucket where the count reaches the percentile (its lowest for 0).
     */
    static long valueAtPercentile(final byte[] sparse, final double percent) {
        final double p = Math.min(Math.max(percent, 0.0), 100.0);
        final long total = totalCount(sparse);
        final long wanted = Math.max(1, (long) Math.ceil(p / 100.0 * total));
        long seen = 0;
        for (int k = 0; k < used(sparse); k++) {
            seen += countAt(sparse, k);
            if (seen >= wanted) {
                final int i = indexAt(sparse, k);
                final long lowest = valueOf(i);
                return p == 0.0 ? lowest : lowest + (1L << Math.max(0, (i >> SUB_BUCKET_HALF_COUNT_MAGNITUDE) - 1)) - 1;
            }
        }
        return 0;
    }

    /** The HdrHistogram of a sparse form (allocates). */
    static IntCountsHistogram toHistogram(final byte[] sparse) {
        final IntCountsHistogram h = newHistogram();
        for (int k = 0; k < used(sparse); k++) {
            h.recordValueWithCount(valueOf(indexAt(sparse, k)), countAt(sparse, k));
        }
        return h;
    }
}
