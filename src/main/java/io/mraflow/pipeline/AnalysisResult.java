package io.mraflow.pipeline;

import io.mraflow.capture.CaptureDamage;
import io.mraflow.flow.FlowRecord;

import java.util.List;

/**
 * What one analysis run saw: the flows (ordered by first packet, then by addresses and ports),
 * packet counters, and every problem met while reading the input.
 *
 * @param flows           every flow, ordered
 * @param packets         packets read from all inputs
 * @param decodeStatus    packets per {@link io.mraflow.decode.DecodeStatus} value
 * @param problems        one line per input problem (unreadable file, damage, unsupported link)
 * @param damaged         inputs read only up to damage
 * @param inputsUnreadable inputs that could not be opened at all
 * @param elapsedNanos    wall time of the packet loop (start-up excluded)
 * @param pipeline        per-stage counters and the ring latency histogram (null when not run
 *                        through the pipeline)
 */
public record AnalysisResult(
        List<FlowRecord> flows,
        long packets,
        long[] decodeStatus,
        List<String> problems,
        List<CaptureDamage> damaged,
        int inputsUnreadable,
        long elapsedNanos,
        PipelineStats pipeline) {

    /** True when no packet could be read from any input. */
    public boolean nothingRead() {
        return packets == 0 && (inputsUnreadable > 0 || !damaged.isEmpty());
    }

    /** True when some input could not be read to its end. */
    public boolean incomplete() {
        return inputsUnreadable > 0 || !damaged.isEmpty();
    }
}
