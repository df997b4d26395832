package io.mraflow.pipeline;

import io.mraflow.flow.FlowSink;

/**
 * What a worker of a live capture does by the wall clock besides its packets: expire idle flows
 * when the link is quiet, and hand over the flows that changed so that findings come out before
 * the flows end. Packet times of a live capture are epoch nanoseconds, so the flow table's
 * capture-time timeouts run on the wall clock here.
 *
 * @param expiryEveryNanos   how often the table is swept for idle flows
 * @param expiryTicksPerWalk sweeps that walk the whole table once (each examines its share of rows)
 * @param snapshotEveryNanos how often the flows that changed are handed to {@code snapshots}
 * @param snapshots          receives those flows as they stand ({@code FlowEnd.OPEN}); null for none
 */
public record LiveClock(long expiryEveryNanos, int expiryTicksPerWalk, long snapshotEveryNanos, FlowSink snapshots) {
    /** Sweep every 100 ms, the whole table each second; snapshots every second. */
    public static LiveClock everySecond(final FlowSink snapshots) {
        return new LiveClock(100_000_000L, 10, 1_000_000_000L, snapshots);
    }

    /** Now, as a packet time: epoch nanoseconds. */
    long nowNanos() {
        final java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
