package io.mraflow.pipeline;

import io.mraflow.decode.IpProto;
import io.mraflow.flow.FlowEnd;
import io.mraflow.flow.FlowRecord;
import io.mraflow.report.FlowJsonWriter;
import io.mraflow.rules.FindingCode;
import io.mraflow.rules.ResolvedNames;
import io.mraflow.rules.RoleInference;
import io.mraflow.rules.Topology;
import io.mraflow.rules.Verdict;
import io.mraflow.rules.VerdictBuilder;

import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * The verdict and event stage of a live capture, on a thread of its own: the workers of every
 * interface hand it flows as they end and, about once a second, the flows that changed as they
 * stand; it gives each its verdict with the roles known then, writes a {@code finding} event the
 * first time a flow earns each finding and a {@code flow} event when it ends, and counts what the
 * {@code stats} events and the metrics show. Workers never wait for it unless its queue is full
 * (then the rings fill and the capture threads count drops): the packet path takes no lock.
 *
 * <p>Findings that only an ended flow can show (an unanswered SYN, one-way media, RTP loss) are
 * not raised from a flow as it stands: a SYN a millisecond old is not unanswered. They come with
 * the flow's end, as a {@code finding} event just before its {@code flow} event.
 *
 * <p>A flow's {@code server_name} comes, without SNI, from a DNS answer handled before it that was
 * seen before the flow started ({@link ResolvedNames}): a flow whose first snapshot comes before
 * the lookup's does not get it, so {@code watch} names fewer flows than {@code analyze} would.
 *
 * <p>Without a topology, roles are inferred again every {@code inferEveryNanos} from the flows
 * that may carry evidence, a bounded window of the latest ones, and the verdicts use the roles
 * held then.
 */
public final class EventStage implements Runnable {
    /** Findings a flow as it stands cannot earn yet. */
    static final EnumSet<FindingCode> AT_END_ONLY = EnumSet.of(FindingCode.TCP_UNANSWERED,
            FindingCode.ONE_WAY_MEDIA, FindingCode.RTP_LOSS, FindingCode.RTP_JITTER);
    /** Flows kept as evidence for role inference. */
    static final int EVIDENCE_WINDOW = 100_000;

    /** A flow of an interface, or (flow null) the interface's failure. */
    private record Item(String iface, FlowRecord flow, String failure) {
    }

    private record FlowKey(String iface, int proto, long oHi, long oLo, int oPort, long rHi, long rLo, int rPort, long ts) {
        static FlowKey of(final String iface, final FlowRecord f) {
            return new FlowKey(iface, f.ipProto(), f.origHi(), f.origLo(), f.origPort(), f.respHi(), f.respLo(),
                    f.respPort(), f.tsNanos());
        }
    }

    private final ManyToOneConcurrentArrayQueue<Item> queue = new ManyToOneConcurrentArrayQueue<>(1 << 16);
    private final IdleStrategy producerIdle = new BackoffIdleStrategy(64, 16, 1_000, 100_000);
    private final FlowJsonWriter events;
    private final Analysis analysis;
    private final long inferEveryNanos;
    private final Consumer<FlowJsonWriter> onTick;
    private final long tickEveryNanos;
    /** No topology given and not ports alone: roles come from the evidence. */
    private final boolean inferRoles;
    private final Map<FlowKey, EnumSet<FindingCode>> raised = new HashMap<>();
    private final ArrayDeque<RoleInference.Observation> evidence = new ArrayDeque<>();
    private VerdictBuilder assessment;
    /**
     * Names from the DNS answers of the flows handled so far (snapshots of open flows included,
     * so an answer is known about a second after it is seen), for the flows that start after them.
     */
    private final ResolvedNames names = new ResolvedNames();
    private volatile Topology roles;
    private volatile boolean stopping;
    private long nextInference;
    private long nextTick;

    // Counters, written by this thread only, read by any (stats events, metrics).
    private final AtomicLong flows = new AtomicLong();
    private final Map<String, AtomicLong> flowsByRow = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicLongArray findings = new AtomicLongArray(FindingCode.COUNT);
    private final AtomicLong evicted = new AtomicLong();

    /**
     * @param analysis how flows are judged; without roles given, they are inferred every
     *                 {@code inferEveryNanos} as evidence accumulates
     * @param onTick   called on this thread every {@code tickEveryNanos} with the event writer (the
     *                 {@code stats} events), and once more at the end
     */
    public EventStage(final FlowJsonWriter events, final Analysis analysis, final long inferEveryNanos,
                      final Consumer<FlowJsonWriter> onTick, final long tickEveryNanos) {
        this.events = events;
        this.analysis = analysis;
        final Analysis.Roles given = analysis.givenRoles();
        this.roles = given.topology();
        this.inferEveryNanos = inferEveryNanos;
        this.onTick = onTick;
        this.tickEveryNanos = tickEveryNanos;
        this.inferRoles = analysis.infersRoles();
        this.assessment = analysis.assessment(given);
    }

    /** A worker's flow sink for interface {@code iface}: ended flows and snapshots alike. */
    io.mraflow.flow.FlowSink sinkFor(final String iface) {
        return f -> {
            final Item item = new Item(iface, f, null);
            while (!queue.offer(item)) {
                producerIdle.idle(); // back-pressure: the ring fills, the capture thread counts drops
            }
            producerIdle.reset();
        };
    }

    /** An interface that stopped capturing (down, removed): an {@code interface} event says so. */
    void interfaceFailed(final String iface, final String reason) {
        while (!queue.offer(new Item(iface, null, reason))) {
            Thread.onSpinWait();
        }
    }

    /** Ends {@link #run} once the queue is empty (after the workers have handed over their last flows). */
    public void stop() {
        stopping = true;
    }

    @Override
    public void run() {
        final IdleStrategy idle = new BackoffIdleStrategy(64, 16, 1_000, 1_000_000);
        nextTick = System.nanoTime() + tickEveryNanos;
        nextInference = System.nanoTime() + inferEveryNanos;
        while (true) {
            final int n = queue.drain(this::handle, 4096);
            final long now = System.nanoTime();
            if (inferRoles && now - nextInference >= 0) {
                nextInference = now + inferEveryNanos;
                infer();
            }
            if (now - nextTick >= 0) {
                nextTick = now + tickEveryNanos;
                onTick.accept(events);
            }
            if (n == 0) {
                if (stopping && queue.isEmpty()) {
                    break;
                }
                idle.idle();
            } else {
                idle.reset();
            }
        }
        if (inferRoles) {
            infer();
        }
        onTick.accept(events);
    }

    private void handle(final Item item) {
        final FlowRecord f = item.flow();
        if (f == null) {
            events.writeEvent("interface", LiveAnalysis.nowNanos(), item.iface(),
                    new java.util.LinkedHashMap<>(Map.of("up", false, "reason", item.failure())));
            events.flush();
            return;
        }
        final FlowKey key = FlowKey.of(item.iface(), f);
        final Verdict v = assessment.assess(f, names);
        names.learn(f);
        final boolean open = f.ended() == FlowEnd.OPEN;
        EnumSet<FindingCode> done = open ? raised.get(key) : raised.remove(key);
        for (Verdict.Finding x : v.findings()) {
            if ((done == null || !done.contains(x.code())) && !(open && AT_END_ONLY.contains(x.code()))) {
                if (done == null) {
                    done = EnumSet.noneOf(FindingCode.class);
                    if (open) {
                        raised.put(key, done);
                    }
                }
                done.add(x.code());
                findings.incrementAndGet(x.code().ordinal());
                events.write(v, "finding", item.iface(), x);
                events.flush();
            }
        }
        if (open) {
            return;
        }
        flows.incrementAndGet();
        flowsByRow.computeIfAbsent(v.row() == null ? "none" : v.row(), k -> new AtomicLong()).incrementAndGet();
        if (f.ended() == FlowEnd.EVICTED) {
            evicted.incrementAndGet();
        }
        if (inferRoles && mayBeEvidence(f)) {
            if (evidence.size() == EVIDENCE_WINDOW) {
                evidence.removeFirst();
            }
            evidence.addLast(RoleInference.Observation.of(f));
        }
        events.write(v, "flow", item.iface(), null);
        events.flush();
    }

    /** Whether role inference could read anything from the flow: TCP to a fixed port below 10000, or UDP. */
    private static boolean mayBeEvidence(final FlowRecord f) {
        return f.ipProto() == IpProto.UDP || f.respPort() < 10_000;
    }

    private void infer() {
        final Analysis.Roles inferred = analysis.rolesFromObservations(evidence);
        final Topology t = inferred.topology();
        if (t != null && (roles == null || !t.entries().equals(roles.entries()))) {
            roles = t;
            assessment = analysis.assessment(inferred);
        }
    }

    /** The roles the verdicts use now (given or inferred so far), or null when there are none. */
    public Topology roles() {
        return roles;
    }

    /** Flows ended so far (flow events written). */
    public long flows() {
        return flows.get();
    }

    /** Flows ended so far per row id ("none" for no row), a copy. */
    public Map<String, Long> flowsByRow() {
        final Map<String, Long> m = new TreeMap<>();
        flowsByRow.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    /** Finding events written so far per code, a copy. */
    public Map<FindingCode, Long> findingsByCode() {
        final Map<FindingCode, Long> m = new EnumMap<>(FindingCode.class);
        for (FindingCode c : FindingCode.values()) {
            final long n = findings.get(c.ordinal());
            if (n > 0) {
                m.put(c, n);
            }
        }
        return m;
    }

    /** Flow events of evicted flows so far. */
    public long evicted() {
        return evicted.get();
    }
}
