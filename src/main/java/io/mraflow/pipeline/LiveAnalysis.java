package io.mraflow.pipeline;

import io.mraflow.capture.LiveCapture;
import io.mraflow.flow.FlowTableConfig;
import io.mraflow.report.FlowJsonWriter;
import io.mraflow.rules.FindingCode;
import io.mraflow.rules.Topology;

import java.util.ArrayList;
import org.HdrHistogram.Histogram;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code watch}: live interfaces analysed until stopped. Each interface has its capture thread
 * and its own pipeline (workers and flow tables), so flows seen on the outside and the inside
 * interface of an Expressway stay two flows, each naming its interface; all of them hand their
 * flows to one {@link EventStage}. Flows end by the wall clock when the link is quiet
 * ({@link LiveClock}), the tables are bounded as for files (evicting beyond), and {@link #stop}
 * ends every open flow as {@code shutdown} before the last {@code stats} event.
 */
public final class LiveAnalysis {
    private final List<Interface> interfaces = new ArrayList<>();
    private final EventStage events;
    private final Thread eventThread;
    private final long maxFlowsPerInterface;
    private final long startedNanos = System.nanoTime();
    private final CountDownLatch finished;
    private final Histogram latency = new Histogram(FlowWorker.MAX_LATENCY_NANOS, 2);

    /** One watched interface: its capture, its pipeline, its capture thread. */
    private static final class Interface {
        final LiveCapture capture;
        final Pipeline pipeline;
        final Thread thread;
        volatile String failure;
        volatile boolean ended;
        /** libpcap's counters as the capture stopped: what the last stats event reports. */
        volatile long[] libpcapAtEnd;

        Interface(final LiveCapture capture, final Pipeline pipeline, final Thread thread) {
            this.capture = capture;
            this.pipeline = pipeline;
            this.thread = thread;
        }
    }

    /**
     * @param maxFlows flows all tables of one interface hold together at most (split over its
     *                 workers); 0 sizes them to the heap
     */
    public LiveAnalysis(final List<LiveCapture> captures, final FlowTableConfig flows, final PipelineConfig config,
                        final EventStage events, final long maxFlows) {
        this.events = events;
        final MemoryBudget budget = MemoryBudget.ofThisJvm(config.workers() * captures.size());
        final FlowTableConfig bounded = maxFlows > 0
                ? flows.withCapacity(Math.min(flows.initialCapacity(), capacityFor(maxFlows / config.workers())),
                        capacityFor(maxFlows / config.workers()))
                : budget.flowTable(flows);
        this.maxFlowsPerInterface = (long) bounded.maxFlows() * config.workers();
        this.finished = new CountDownLatch(captures.size());
        for (LiveCapture c : captures) {
            final Pipeline p = new Pipeline(bounded, config.withDropWhenFull(true), w -> events.sinkFor(c.name()),
                    LiveClock.everySecond(events.sinkFor(c.name())));
            final Interface[] self = new Interface[1];
            final Thread t = new Thread(() -> capture(self[0]), "mraflow-capture-" + c.name());
            self[0] = new Interface(c, p, t);
            interfaces.add(self[0]);
        }
        eventThread = new Thread(events, "mraflow-events");
    }

    /** The slots whose load limit holds {@code flows}: maxFlows is 70 % of a power of two. */
    static int capacityFor(final long flows) {
        int cap = 16;
        while (cap < FlowTableConfig.MAX_POSSIBLE_CAPACITY && (long) cap * 70 / 100 < flows) {
            cap <<= 1;
        }
        return cap;
    }

    /** Starts the event stage, the workers and a capture thread per interface. */
    public void start() {
        eventThread.start();
        for (Interface i : interfaces) {
            i.thread.start();
        }
    }

    private void capture(final Interface i) {
        i.pipeline.start(); // on this thread: it is the pipeline's capture thread
        try {
            i.failure = i.pipeline.drainLive(i.capture);
        } catch (RuntimeException | Error e) {
            i.failure = e.toString();
        }
        i.libpcapAtEnd = i.capture.stats();
        i.ended = true;
        if (i.failure != null) {
            events.interfaceFailed(i.capture.name(), i.failure);
        }
        i.pipeline.finish(); // the workers end every open flow (shutdown) into the event stage
        finished.countDown();
    }

    /**
     * Stops every capture, waits until each interface's workers have handed over their open flows
     * and the event stage has written them and the last {@code stats} event. Call once.
     */
    public void stop() throws InterruptedException {
        for (Interface i : interfaces) {
            i.capture.breakLoop();
        }
        finished.await();
        events.stop();
        eventThread.join();
        for (Interface i : interfaces) {
            i.capture.close();
        }
    }

    /** Waits until every interface has failed or been stopped. */
    public void awaitInterfaces() throws InterruptedException {
        finished.await();
    }

    /** Interfaces that failed, with why; an interface that fails ends while the others go on. */
    public Map<String, String> failures() {
        final Map<String, String> m = new LinkedHashMap<>();
        for (Interface i : interfaces) {
            if (i.failure != null) {
                m.put(i.capture.name(), i.failure);
            }
        }
        return m;
    }

    /** Flows each interface's tables hold at most. */
    public long maxFlowsPerInterface() {
        return maxFlowsPerInterface;
    }

    /** The counters of one interface, read from what its threads published. */
    public record InterfaceCounters(String iface, long packets, long bytes, long ringDrops, long[] libpcap, long activeFlows,
                                    long evicted, boolean up) {
    }

    /** Every interface's counters now; any thread. */
    public List<InterfaceCounters> counters() {
        final List<InterfaceCounters> out = new ArrayList<>();
        for (Interface i : interfaces) {
            long active = 0;
            long evicted = 0;
            for (FlowWorker w : i.pipeline.workers()) {
                active += w.activeFlows();
                evicted += w.evicted();
            }
            out.add(new InterfaceCounters(i.capture.name(), i.pipeline.packetsRead(), i.pipeline.bytesRead(), i.pipeline.ringDrops(),
                    i.ended ? i.libpcapAtEnd : i.capture.stats(), active, evicted, i.failure == null));
        }
        return out;
    }

    /**
     * Batch latency (committed by a capture thread to taken by a worker) of all interfaces since
     * the start, nanoseconds: each call adds what the workers recorded since the last one.
     * Callers serialize (the metrics server's scrapes).
     */
    public synchronized Histogram batchLatency() {
        for (Interface i : interfaces) {
            for (FlowWorker w : i.pipeline.workers()) {
                latency.add(w.latencySinceLastCall());
            }
        }
        return latency.copy();
    }

    /** The event stage (its counters and roles). */
    public EventStage events() {
        return events;
    }

    /** A {@code stats} event's fields: packets, flows, findings, roles, per interface the counters. */
    public Map<String, Object> statsFields() {
        final Map<String, Object> m = new LinkedHashMap<>();
        final List<InterfaceCounters> counters = counters();
        long packets = 0;
        long bytes = 0;
        long active = 0;
        long evicted = 0;
        final Map<String, Object> perInterface = new LinkedHashMap<>();
        for (InterfaceCounters c : counters) {
            packets += c.packets();
            bytes += c.bytes();
            active += c.activeFlows();
            evicted += c.evicted();
            final Map<String, Object> one = new LinkedHashMap<>();
            one.put("up", c.up());
            one.put("packets", c.packets());
            one.put("bytes", c.bytes());
            one.put("libpcap_received", c.libpcap() == null ? null : c.libpcap()[0]);
            one.put("dropped_by_kernel", c.libpcap() == null ? null : c.libpcap()[1]);
            one.put("dropped_by_interface", c.libpcap() == null ? null : c.libpcap()[2]);
            one.put("dropped_by_ring", c.ringDrops());
            one.put("active_flows", c.activeFlows());
            one.put("evicted_flows", c.evicted());
            perInterface.put(c.iface(), one);
        }
        m.put("uptime_s", (System.nanoTime() - startedNanos) / 1_000_000_000L);
        m.put("packets", packets);
        m.put("bytes", bytes);
        m.put("flows", events.flows());
        m.put("active_flows", active);
        m.put("evicted_flows", evicted);
        m.put("max_flows_per_interface", maxFlowsPerInterface);
        m.put("flows_by_row", events.flowsByRow());
        final Map<String, Long> findings = new LinkedHashMap<>();
        for (Map.Entry<FindingCode, Long> e : events.findingsByCode().entrySet()) {
            findings.put(e.getKey().name(), e.getValue());
        }
        m.put("findings_by_code", findings);
        final Topology roles = events.roles();
        final Map<String, String> held = new LinkedHashMap<>();
        if (roles != null) {
            for (Topology.Entry e : roles.entries()) {
                held.merge(e.block().toString(), e.role().name(), (a, b) -> a + "|" + b);
            }
        }
        m.put("roles", held);
        m.put("interfaces", perInterface);
        return m;
    }

    /** Writes a {@code stats} event now (the event stage's thread calls this). */
    public void writeStats(final FlowJsonWriter out) {
        out.writeEvent("stats", nowNanos(), null, statsFields());
        out.flush();
    }

    static long nowNanos() {
        final java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
