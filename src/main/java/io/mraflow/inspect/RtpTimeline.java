package io.mraflow.inspect;

import java.nio.ByteBuffer;

/**
 * One RTP stream over time, for plots: at most {@link #CAPACITY} buckets of equal width from the
 * stream's first valid packet, each with its packets, its sequence gaps (packets lost as they were
 * noticed) and the highest interarrival jitter reached in it. When a packet falls past the last
 * bucket the width doubles and neighbouring buckets merge in pairs, so a call of any length fits in
 * the same few hundred bytes and the resolution is the finest that fits.
 *
 * <p>Allocated once per stream when it passes probation; {@link #record} allocates nothing. Written
 * by the flow's owning thread, read after the hand-over (see {@link FlowInspection}).
 */
public final class RtpTimeline {

    /** Most buckets. */
    public static final int CAPACITY = 64;
    /** Width of a bucket until the stream outgrows {@link #CAPACITY} of them: a few packets of 20 ms audio each. */
    static final long INITIAL_WIDTH_NANOS = 250_000_000L;

    private final int[] packets = new int[CAPACITY];
    private final int[] lost = new int[CAPACITY];
    private final float[] maxJitterMs = new float[CAPACITY];
    private long startNanos;
    private long widthNanos = INITIAL_WIDTH_NANOS;
    private int buckets;

    RtpTimeline(final long startNanos) {
        this.startNanos = startNanos;
    }

    /** One packet that arrived at {@code nanos}, after a gap of {@code gap} sequence numbers, jitter then {@code jitterMs}. */
    void record(final long nanos, final long gap, final double jitterMs) {
        long at = Math.max(0, nanos - startNanos) / widthNanos;
        while (at >= CAPACITY) {
            halve();
            at = Math.max(0, nanos - startNanos) / widthNanos;
        }
        final int i = (int) at;
        buckets = Math.max(buckets, i + 1);
        packets[i]++;
        lost[i] = (int) Math.min(Integer.MAX_VALUE, lost[i] + gap);
        if (jitterMs > maxJitterMs[i]) {
            maxJitterMs[i] = (float) jitterMs;
        }
    }

    /** Doubles the width: bucket i becomes the merge of 2i and 2i+1. */
    private void halve() {
        for (int i = 0; i < CAPACITY / 2; i++) {
            packets[i] = packets[2 * i] + packets[2 * i + 1];
            lost[i] = (int) Math.min(Integer.MAX_VALUE, (long) lost[2 * i] + lost[2 * i + 1]);
            maxJitterMs[i] = Math.max(maxJitterMs[2 * i], maxJitterMs[2 * i + 1]);
        }
        for (int i = CAPACITY / 2; i < CAPACITY; i++) {
            packets[i] = 0;
            lost[i] = 0;
            maxJitterMs[i] = 0;
        }
        buckets = (buckets + 1) / 2;
        widthNanos *= 2;
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
    public int packets(final int i) {
        return packets[i];
    }

    /** Sequence numbers skipped by the packets of bucket {@code i} (late arrivals are not subtracted). */
    public int lost(final int i) {
        return lost[i];
    }

    /** Highest interarrival jitter (RFC 3550 A.8, ms) reached in bucket {@code i}; 0 when the clock rate is unknown. */
    public double maxJitterMs(final int i) {
        return maxJitterMs[i];
    }

    /** Bytes {@link #writeTo} writes at most. */
    static final int MAX_ENCODED_BYTES = 8 + 8 + 4 + CAPACITY * 12;

    void writeTo(final ByteBuffer out) {
        out.putLong(startNanos).putLong(widthNanos).putInt(buckets);
        for (int i = 0; i < buckets; i++) {
            out.putInt(packets[i]).putInt(lost[i]).putFloat(maxJitterMs[i]);
        }
    }

    static RtpTimeline readFrom(final ByteBuffer in) {
        final RtpTimeline t = new RtpTimeline(in.getLong());
        t.widthNanos = in.getLong();
        t.buckets = in.getInt();
        for (int i = 0; i < t.buckets; i++) {
            t.packets[i] = in.getInt();
            t.lost[i] = in.getInt();
            t.maxJitterMs[i] = in.getFloat();
        }
        return t;
    }

    /** Empties it for a stream starting at {@code nanos} (flow state reuse). */
    void reset(final long nanos) {
        java.util.Arrays.fill(packets, 0);
        java.util.Arrays.fill(lost, 0);
        java.util.Arrays.fill(maxJitterMs, 0);
        startNanos = nanos;
        widthNanos = INITIAL_WIDTH_NANOS;
        buckets = 0;
    }
}
