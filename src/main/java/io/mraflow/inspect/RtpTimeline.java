package io.mraflow.inspect;

import java.nio.ByteBuffer;

/**
 * One RTP stream over time, for plots: at most {@link #CAPACITY} buckets of equal width from the
 * stream's first valid packet, each with its packets, its sequence gaps (packets lost as they were
 * noticed) and the highest interarrival jitter reached in it. When a packet falls past the last
 * bucket the width doubles and neighbouring buckets merge in pairs, so a call of any length fits in
 * the same few hundred bytes and the resolution is the finest that fits.
 *
 * <p>Each bucket is one {@code long}, so that 10,000 streams' timelines take 5 MB:
 *
 * <pre>
 *  63            48 47            32 31                              0
 * | max jitter    | lost           | packets                          |
 * | 0.1 ms, <= 6553.5 | <= 65535 (saturating) | <= 2^32 - 1 (saturating) |
 * </pre>
 *
 * <p>Allocated once per stream when it passes probation; {@link #record} allocates nothing. Written
 * by the flow's owning thread, read after the hand-over (see {@link FlowInspection}).
 */
public final class RtpTimeline {

    /** Most buckets. */
    public static final int CAPACITY = 64;
    /** Width of a bucket until the stream outgrows {@link #CAPACITY} of them: a dozen packets of 20 ms audio each. */
    static final long INITIAL_WIDTH_NANOS = 250_000_000L;

    private static final long PACKETS = 0xffff_ffffL;
    private static final int LOST_SHIFT = 32;
    private static final long FIELD16 = 0xffffL;
    private static final int JITTER_SHIFT = 48;
    private static final double JITTER_UNITS_PER_MS = 10;

    private final long[] bucket = new long[CAPACITY];
    private long startNanos;
    private long widthNanos = INITIAL_WIDTH_NANOS;
    private int buckets;

    RtpTimeline(final long startNanos) {
        this.startNanos = startNanos;
    }

    /** One packet that arrived at {@code nanos}, after a gap of {@code gap} sequence numbers, jitter then {@code jitterMs}. */
    void record(final long nanos, final long gap, final double jitterMs) {
        final long offset = nanos - startNanos;
        final long lastStart = (buckets - 1) * widthNanos;
        final int i;
        if (buckets > 0 && offset >= lastStart && offset < lastStart + widthNanos) {
            i = buckets - 1; // the bucket of the packet before: no division
        } else {
            long at = Math.max(0, offset) / widthNanos;
            while (at >= CAPACITY) {
                halve();
                at = Math.max(0, offset) / widthNanos;
            }
            i = (int) at;
            buckets = Math.max(buckets, i + 1);
        }
        bucket[i] = pack(packetsOf(bucket[i]) + 1, lostOf(bucket[i]) + gap,
            Math.max(jitterOf(bucket[i]), Math.round(jitterMs * JITTER_UNITS_PER_MS)));
    }

    /** Doubles the width: bucket i becomes the merge of 2i and 2i+1. */
    private void halve() {
        for (int i = 0; i < CAPACITY / 2; i++) {
            final long a = bucket[2 * i];
            final long b = bucket[2 * i + 1];
            bucket[i] = pack(packetsOf(a) + packetsOf(b), lostOf(a) + lostOf(b), Math.max(jitterOf(a), jitterOf(b)));
        }
        java.util.Arrays.fill(bucket, CAPACITY / 2, CAPACITY, 0L);
        buckets = (buckets + 1) / 2;
        widthNanos *= 2;
    }

    private static long pack(final long packets, final long lost, final long jitter) {
        return Math.min(packets, PACKETS) | Math.min(lost, FIELD16) << LOST_SHIFT | Math.min(jitter, FIELD16) << JITTER_SHIFT;
    }

    private static long packetsOf(final long b) {
        return b & PACKETS;
    }

    private static long lostOf(final long b) {
        return b >>> LOST_SHIFT & FIELD16;
    }

    private static long jitterOf(final long b) {
        return b >>> JITTER_SHIFT;
    }

    /** Buckets in use: the last one holds the stream's latest packet. */
    public int buckets() {
        return buckets;
    }

    /** Capture time (epoch nanoseconds) where bucket {@code i} starts. */
    public long bucketStartNanos(final int i) {
        return startNanos + i * widthNanos;
    }

    /** Width of every bucket, nanoseconds. */
    public long bucketWidthNanos() {
        return widthNanos;
    }

    /** Packets that arrived in bucket {@code i}. */
    public long packets(final int i) {
        return packetsOf(bucket[i]);
    }

    /** Sequence numbers skipped by the packets of bucket {@code i} (late arrivals are not subtracted; at most 65,535). */
    public int lost(final int i) {
        return (int) lostOf(bucket[i]);
    }

    /** Highest interarrival jitter (RFC 3550 A.8, ms, to 0.1 ms) reached in bucket {@code i}; 0 when the clock rate is unknown. */
    public double maxJitterMs(final int i) {
        return jitterOf(bucket[i]) / JITTER_UNITS_PER_MS;
    }

    /** Bytes {@link #writeTo} writes at most. */
    static final int MAX_ENCODED_BYTES = 8 + 8 + 4 + CAPACITY * 8;

    /** Bytes {@link #writeTo} writes for this timeline. */
    int encodedBytes() {
        return 8 + 8 + 4 + buckets * 8;
    }

    void writeTo(final ByteBuffer out) {
        out.putLong(startNanos).putLong(widthNanos).putInt(buckets);
        for (int i = 0; i < buckets; i++) {
            out.putLong(bucket[i]);
        }
    }

    static RtpTimeline readFrom(final ByteBuffer in) {
        final RtpTimeline t = new RtpTimeline(in.getLong());
        t.widthNanos = in.getLong();
        t.buckets = in.getInt();
        for (int i = 0; i < t.buckets; i++) {
            t.bucket[i] = in.getLong();
        }
        return t;
    }

    /** Moves {@code in} past what {@link #writeTo} wrote. */
    static void skip(final ByteBuffer in) {
        final int buckets = in.getInt(in.position() + 16);
        in.position(in.position() + 20 + buckets * 8);
    }

    /** Empties it for a stream starting at {@code nanos} (flow state reuse). */
    void reset(final long nanos) {
        java.util.Arrays.fill(bucket, 0L);
        startNanos = nanos;
        widthNanos = INITIAL_WIDTH_NANOS;
        buckets = 0;
    }
}
