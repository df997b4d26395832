package io.mraflow.pipeline;

import io.mraflow.capture.CapturedPacket;
import io.mraflow.decode.PacketDecoder;
import io.mraflow.decode.PacketView;
import io.mraflow.flow.FlowTable;
import io.mraflow.inspect.FlowInspection;
import io.mraflow.inspect.InspectionPrefetch;
import io.mraflow.inspect.PayloadInspector;
import org.agrona.DirectBuffer;

/**
 * A worker's work on its packets, in Suricata's order: decode, the flow (the table and the TCP
 * stream state), then the application layer (the payload inspector on the flow's state).
 *
 * <p>Packets are decoded as they come ({@link #decode}) and kept ({@link #keep}) in a chunk of
 * up to {@value #CHUNK}; {@link #run} then, when the table holds {@value #PREFETCH_FROM_FLOWS}
 * flows or more, prefetches the whole chunk's flow rows and payload state before feeding the
 * packets in order. On a busy link nearly every packet belongs to
 * another flow than the one before, and its state is in memory, not in the caches: fed one by
 * one, each packet waits for several misses in a row; prefetched together, the chunk's misses
 * overlap (the batch loops of VPP and DPDK). Prefetching only reads, so the result is exactly
 * that of feeding the packets one by one.
 *
 * <p>The decoded views point into the memory the packets were read from: {@link #run} must be
 * called before that memory is released (the end of a ring message). One per worker thread;
 * allocates nothing per packet.
 */
public final class FlowStage {
    /** Packets prefetched together: enough to keep the core's outstanding misses busy, few enough to stay in L1. */
    public static final int CHUNK = 32;
    /**
     * Flows in the table from which a chunk is prefetched. Below it the flows' state is mostly in
     * the caches and prefetching costs more than it saves (InterleavedFlowsBenchmark; the figures
     * are in BENCHMARKS.md, Flow table).
     */
    public static final int PREFETCH_FROM_FLOWS = 65_536;

    private final FlowTable table;
    private final PayloadInspector inspector;
    private final int prefetchFromFlows;
    private final PacketDecoder decoder = new PacketDecoder();
    private final InspectionPrefetch inspectionPrefetch = new InspectionPrefetch();
    private final CapturedPacket[] packets = new CapturedPacket[CHUNK];
    private final PacketView[] views = new PacketView[CHUNK];
    private final FlowInspection[] inspections = new FlowInspection[CHUNK];
    private final boolean[] fromOrig = new boolean[CHUNK];
    private int pending;
    /** What the prefetch loads read, kept so that they cannot be optimised away. */
    private long touched;

    /**
     * @param table     the worker's table, made with inspections when {@code inspector} is given
     * @param inspector the worker's payload inspector, or null to follow flows only
     */
    public FlowStage(final FlowTable table, final PayloadInspector inspector) {
        this(table, inspector, PREFETCH_FROM_FLOWS);
    }

    /** As above, prefetching once the table holds {@code prefetchFromFlows} flows (0: always; tests). */
    public FlowStage(final FlowTable table, final PayloadInspector inspector, final int prefetchFromFlows) {
        this.table = table;
        this.inspector = inspector;
        this.prefetchFromFlows = prefetchFromFlows;
        for (int k = 0; k < CHUNK; k++) {
            packets[k] = new CapturedPacket();
            views[k] = new PacketView();
        }
    }

    /**
     * Decodes a packet of {@code capLen} bytes at {@code offset} in {@code buffer} into the next
     * free view and returns it; the packet is fed only if {@link #keep} follows. The view and its
     * payload stay valid until {@link #run}.
     */
    public PacketView decode(final DirectBuffer buffer, final int offset, final int capLen, final long tsNanos,
                             final int wireLen, final int linkType) {
        final CapturedPacket p = packets[pending];
        p.bytes.wrap(buffer, offset, capLen);
        p.tsNanos = tsNanos;
        p.capLen = capLen;
        p.wireLen = wireLen;
        p.linkType = linkType;
        final PacketView v = views[pending];
        decoder.decode(p, v);
        return v;
    }

    /**
     * The next free view, for a caller that fills it from a packet decoded elsewhere (a routed
     * record) and then sets its bytes with {@link #nextBytes}; fed only if {@link #keep} follows.
     */
    public PacketView nextView() {
        return views[pending];
    }

    /** Points {@code view} (from {@link #nextView}) at its packet's {@code capLen} bytes at native {@code address}. */
    public void nextBytes(final long address, final int capLen, final PacketView view) {
        final CapturedPacket p = packets[pending];
        p.bytes.wrap(address, capLen);
        view.buffer = p.bytes;
    }

    /** Keeps the packet {@link #decode} just returned, for the table; runs the chunk when it is full. */
    public void keep() {
        if (++pending == CHUNK) {
            run();
        }
    }

    /** Feeds every kept packet: prefetch the chunk, then table and inspector packet by packet. */
    public void run() {
        final int n = pending;
        pending = 0;
        if (n == 0) {
            return;
        }
        if (n > 1 && table.size() >= prefetchFromFlows) {
            long t = table.prefetch(views, n, inspections, fromOrig);
            if (inspector != null) {
                t += inspectionPrefetch.touch(inspections, fromOrig, n);
            }
            touched += t;
        }
        for (int k = 0; k < n; k++) {
            onPacket(views[k]);
            inspections[k] = null;
        }
    }

    /** One decoded packet through the table and then, when it carries payload, the inspector. */
    public void onPacket(final PacketView v) {
        final int flow = table.onPacket(v);
        if (flow != FlowTable.NO_FLOW && inspector != null && v.payloadCapLen > 0 && v.fragOffset == 0) {
            final int row = FlowTable.row(flow);
            inspector.inspect(table.inspection(row), FlowTable.fromOrig(flow), v.buffer, v.payloadOffset,
                    v.payloadCapLen, v.tsNanos);
        }
    }

    /** The sum of what prefetching read (only so that it is used). */
    long touched() {
        return touched;
    }

    public FlowTable table() {
        return table;
    }
}
