package io.mraflow.pipeline;

import io.mraflow.decode.DecodeStatus;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;

/**
 * Per-stage counters of one run and the ring latency histogram. Immutable once built (the arrays
 * are not handed out for writing); made by the capture thread after the workers were joined.
 *
 * @param reader           how packets were read: "native batch reader" or "libpcap pcap_next_ex"
 * @param packetsRead      packets read from all inputs
 * @param decodeStatus     packets per {@link DecodeStatus}
 * @param notForFlows      packets no flow uses (not TCP/UDP with ports, not a fragment or ICMP error)
 * @param dispatched       packets whose flow each worker owns (the symmetric 5-tuple hash)
 * @param ringFullWaits    batches that waited for room in a full ring or, with several workers,
 *                         for a slab the workers had released (file input)
 * @param dropped          packets dropped because the workers were behind (live input only; 0 for files)
 * @param processed        packets each worker took from its ring: every packet with one worker (it
 *                         decodes them), the packets it owns with several (the capture thread decoded them)
 * @param flows            flows each worker emitted
 * @param latency          commit-to-processed time of every batch, nanoseconds, all workers
 * @param captureCpuNanos  CPU time of the capture thread from the workers' start to the end
 *                         message (reading, with several workers decoding and routing, waiting
 *                         on the workers)
 * @param workerCpuNanos   CPU time of each worker thread (idle spinning included, parking not):
 *                         with the capture thread's, how much a core each stage needs,
 *                         whatever else the machine runs
 * @param workerBusyNanos  CPU time of each worker thread handling its messages: what its packets
 *                         cost, without the spinning while it waits for the capture thread
 * @param flowsEvicted     flows ended early because a table was full ({@code FlowEnd.EVICTED})
 * @param maxFlows         flows all tables together hold at most
 */
public record PipelineStats(String reader, long packetsRead, long[] decodeStatus, long notForFlows,
                            long[] dispatched, long ringFullWaits, long dropped, long[] processed,
                            long[] flows, Histogram latency, long captureCpuNanos, long[] workerCpuNanos, long[] workerBusyNanos,
                            long flowsEvicted, long maxFlows) {

    /** One line per stage, then the latency percentiles, for {@code --stats}. */
    public List<String> lines() {
        final List<String> lines = new ArrayList<>();
        lines.add("capture: " + packetsRead + " packets read (" + reader + ")");
        final StringBuilder decode = new StringBuilder("decode:");
        for (int s = 0; s < DecodeStatus.COUNT; s++) {
            decode.append(' ').append(DecodeStatus.name(s)).append(' ').append(decodeStatus[s]);
        }
        lines.add(decode.append("; not for the flow table ").append(notForFlows).toString());
        final StringBuilder dispatch = new StringBuilder("dispatch:");
        for (int w = 0; w < dispatched.length; w++) {
            dispatch.append(" worker ").append(w).append(' ').append(dispatched[w]).append(',');
        }
        lines.add(dispatch.append(" ring-full waits ").append(ringFullWaits).append(", dropped ").append(dropped).toString());
        final StringBuilder work = new StringBuilder("flow table:");
        for (int w = 0; w < processed.length; w++) {
            work.append(" worker ").append(w).append(' ').append(processed[w]).append(" packets ")
                    .append(flows[w]).append(" flows").append(w + 1 < processed.length ? ',' : "");
        }
        lines.add(work.append("; ").append(flowsEvicted).append(" evicted (at most ").append(maxFlows)
                .append(" flows held)").toString());
        final StringBuilder cpu = new StringBuilder(String.format("cpu: capture thread %.0f ns/packet",
                captureCpuNanos / (double) Math.max(1, packetsRead)));
        for (int w = 0; w < workerCpuNanos.length; w++) {
            cpu.append(String.format(", worker %d %.0f ns/packet (%.0f handling packets)", w,
                    workerCpuNanos[w] / (double) Math.max(1, processed[w]),
                    workerBusyNanos[w] / (double) Math.max(1, processed[w])));
        }
        lines.add(cpu.toString());
        lines.add(String.format("batch latency (committed by the capture thread to processed by a worker): p50 %.1f us, p99 %.1f us, max %.1f us (%d batches)",
                latency.getValueAtPercentile(50) / 1e3, latency.getValueAtPercentile(99) / 1e3,
                latency.getMaxValue() / 1e3, latency.getTotalCount()));
        return lines;
    }
}
