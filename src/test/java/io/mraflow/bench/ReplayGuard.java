package io.mraflow.bench;

import io.mraflow.flow.FlowRecord;
import io.mraflow.flow.FlowSink;
import io.mraflow.flow.FlowTable;

/**
 * Keeps a replay benchmark honest: the flow table it measures must neither start nor end a flow
 * while packets are replayed (otherwise flow creation, not the steady state, is measured).
 * Used as the table's sink; {@link #start} after warm-up, {@link #check} at tear-down.
 */
final class ReplayGuard implements FlowSink {
    private long flowsEnded;
    private int flowsAtStart;

    @Override
    public void flowEnded(FlowRecord flow) {
        flowsEnded++;
    }

    void start(FlowTable table) {
        flowsAtStart = table.size();
    }

    void check(FlowTable table) {
        if (flowsEnded != 0 || table.size() != flowsAtStart) {
            throw new IllegalStateException("replay changed the flows: " + flowsEnded + " ended, "
                    + table.size() + " open, " + flowsAtStart + " at start");
        }
    }
}
