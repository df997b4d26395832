package io.mraflow.flow;

/** Receives flows as they end. Called on the thread that owns the flow table. */
@FunctionalInterface
public interface FlowSink {
    void flowEnded(FlowRecord flow);
}
