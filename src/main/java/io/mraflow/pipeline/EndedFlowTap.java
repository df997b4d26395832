package io.mraflow.pipeline;

import io.mraflow.flow.FlowSink;

/**
 * Told of each flow of a file analysis as it ends, on the worker thread that ended it (several at
 * once with several workers), and on the capture thread of the end of input: after the last
 * packet was read, before the workers flush the flows still open.
 */
public interface EndedFlowTap extends FlowSink {
    /** The last packet was read; called once, on the capture thread. */
    void inputEnded();
}
