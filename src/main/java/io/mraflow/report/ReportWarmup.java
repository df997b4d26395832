package io.mraflow.report;

import io.mraflow.flow.FlowRecord;
import io.mraflow.pipeline.Analysis;
import io.mraflow.pipeline.EndedFlowTap;
import io.mraflow.pipeline.ThreadCpuClock;
import io.mraflow.rules.DiagnosisBuilder;
import io.mraflow.rules.Verdict;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs the report's code on flows that end while the packets are still being read, on a thread
 * of its own, output thrown away: the report after the last packet is a one-shot stage, and cold,
 * it spends most of its time loading classes and in the interpreter. Here role inference, the
 * verdicts ({@link VerdictPass}, the very code the report runs) and the writer are loaded,
 * initialised and compiled by the JIT before the end of input. Nothing here changes what the report
 * says: every pass has its own assessment, names, totals and diagnosis, and the flows are only read.
 *
 * <p>Bounded: it keeps a sample of at most {@link #FLOWS_KEPT} ended flows (which the spills keep
 * anyway) and stops after {@link #VERDICTS} verdicts, or when {@link #stop} is called, whichever
 * comes first.
 * {@link #flowEnded} is called by the worker threads; the rest by the thread that made it.
 */
public final class ReportWarmup implements EndedFlowTap, AutoCloseable {
    /** Ended flows kept to warm on, a sample of all; more say nothing new to the JIT. */
    static final int FLOWS_KEPT = 4096;
    /**
     * Verdicts judged in all: past the threshold at which C2 compiles a method called once a flow
     * (5,000 calls). More took the bench capture's report no lower, for more CPU (BENCHMARKS.md,
     * Report stage).
     */
    static final int VERDICTS = 6_000;
    /** Verdicts per pass: a pass also warms its end (diagnosis, the event lines). */
    private static final int PASS = 1024;
    /** How long to wait for new ended flows before judging the ones kept again. */
    private static final long WAIT_MS = 20;
    private static final Consumer<Verdict> IGNORED = v -> { };

    private final Analysis analysis;
    private final FileReport.Format format;
    private final boolean findingsOnly;
    private final ArrayBlockingQueue<FlowRecord> ended = new ArrayBlockingQueue<>(FLOWS_KEPT);
    /** Set once the queue refused a flow: the workers stop offering. */
    private volatile boolean full;
    private volatile boolean stop;
    private final Thread thread;
    // Written by the warm-up thread, read after it was joined.
    private long flowsSeen;
    /** Volatile for {@link #verdicts()} only: one thread writes it, once a chunk. */
    private volatile long verdicts;
    private long cpuNanos;
    private Throwable failure;
    /** Why this warm-up was never started, or null. */
    private String offReason;

    private ReportWarmup(final Analysis analysis, final FileReport.Format format, final boolean findingsOnly) {
        this.analysis = analysis;
        this.format = format;
        this.findingsOnly = findingsOnly;
        this.thread = new Thread(this::run, "mraflow-report-warmup");
        thread.setDaemon(true);
    }

    /** Starts warming the report that {@code analysis} will write in {@code format}. */
    public static ReportWarmup start(final Analysis analysis, final FileReport.Format format, final boolean findingsOnly) {
        final ReportWarmup w = new ReportWarmup(analysis, format, findingsOnly);
        w.thread.start();
        return w;
    }

    /**
     * {@link #start}, when the machine has a core the capture leaves free ({@code busyThreads}: the
     * capture thread and the workers); otherwise a warm-up that does nothing. On a machine whose
     * cores the capture already fills, warming the report would take CPU from the packets and
     * lengthen the run by more than it shortens the report.
     */
    public static ReportWarmup startOnSpareCore(final Analysis analysis, final FileReport.Format format,
                                                final boolean findingsOnly, final int busyThreads) {
        final int cores = Runtime.getRuntime().availableProcessors();
        if (cores > busyThreads) {
            return start(analysis, format, findingsOnly);
        }
        final ReportWarmup off = new ReportWarmup(analysis, format, findingsOnly);
        off.stop = true;
        off.full = true;
        off.offReason = cores + " cores, all taken by the capture thread and the workers";
        return off;
    }

    /** A worker's flow ended: kept while there is room, else ignored (one volatile read). */
    @Override
    public void flowEnded(final FlowRecord flow) {
        if (!full && !ended.offer(flow)) {
            full = true;
        }
    }

    /** The packets ended: the warm-up ends with the flow or step it is on (the workers need the CPU to flush). */
    @Override
    public void inputEnded() {
        stop = true;
        full = true;
    }

    /**
     * Ends the warm-up and waits for its thread: at most the flow it is judging. Called when the
     * input ended, before the report reads the flows; after it, nothing here runs.
     */
    public void stop() {
        stop = true;
        full = true;
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        ended.clear();
    }

    @Override
    public void close() {
        stop();
    }

    /** Verdicts judged so far (any thread; for tests). */
    long verdicts() {
        return verdicts;
    }

    /** After {@link #stop}: what it did, for {@code --stats}. */
    public String describe() {
        if (offReason != null) {
            return "report warm-up: off (" + offReason + ")";
        }
        return String.format(java.util.Locale.ROOT,
                "report warm-up (during the capture, on a thread of its own, output thrown away): %d verdicts on a sample of"
                        + " %d ended flows, %d ms of CPU%s", verdicts, flowsSeen, cpuNanos / 1_000_000,
                failure == null ? "" : "; stopped by " + failure);
    }

    private void run() {
        final long cpuStart = ThreadCpuClock.nanos();
        try {
            warm();
        } catch (RuntimeException | LinkageError | InterruptedException e) {
            // Only the warm-up is lost: the report runs the same code cold.
            failure = e;
        } finally {
            cpuNanos = ThreadCpuClock.nanos() - cpuStart;
        }
    }

    private void warm() throws InterruptedException {
        // The writer is made first: its classes (Jackson's among them) load and initialise even
        // when no flow ends before the input does.
        final FlowJsonWriter json = format == FileReport.Format.JSON ? new FlowJsonWriter(OutputStream.nullOutputStream()) : null;
        final FlowRecord[] chunk = new FlowRecord[FileReport.CHUNK];
        final FlowTextWriter text = format == FileReport.Format.TEXT
                ? new FlowTextWriter(new PrintStream(OutputStream.nullOutputStream())) : null;
        // A sample of every flow ended so far (reservoir sampling), not the first ones: those are
        // all of one kind (the short TCP flows), and code compiled for them alone is thrown away
        // when the report meets the media flows. Seeded: the same capture warms the same way.
        final List<FlowRecord> sample = new ArrayList<>(FLOWS_KEPT);
        final SplittableRandom random = new SplittableRandom(FLOWS_KEPT);
        final List<FlowRecord> arrived = new ArrayList<>(FLOWS_KEPT);
        long seen = 0;
        int at = 0;
        while (!stop && verdicts < VERDICTS) {
            arrived.clear();
            if (ended.drainTo(arrived) == 0) {
                final FlowRecord f = ended.poll(WAIT_MS, TimeUnit.MILLISECONDS);
                if (f != null) {
                    arrived.add(f);
                }
            }
            for (FlowRecord f : arrived) {
                seen++;
                if (sample.size() < FLOWS_KEPT) {
                    sample.add(f);
                } else {
                    final long slot = random.nextLong(seen);
                    if (slot < FLOWS_KEPT) {
                        sample.set((int) slot, f);
                    }
                }
            }
            flowsSeen = seen;
            // Paced by the flows that end: at most one verdict per flow ended so far, so that the
            // JIT compiles for a sample of much of the capture, not of its first seconds. A pass
            // waits for PASS new flows, or for a pause in them (a small capture).
            final long due = seen - verdicts;
            if (due <= 0 || (due < PASS && !arrived.isEmpty())) {
                continue;
            }
            if (at >= sample.size()) {
                at = 0;
            }
            final int end = Math.min(sample.size(), at + (int) Math.min(PASS, due));
            pass(sample.subList(at, end), json, text, chunk);
            at = end;
        }
        full = true; // no more flows wanted
    }

    /** One report pass over {@code batch}, with roles inferred from it. */
    @SuppressWarnings("NonAtomicVolatileUpdate") // verdicts has one writer, this thread; readers only need a fresh value
    private void pass(final List<FlowRecord> batch, final FlowJsonWriter json, final FlowTextWriter text,
                      final FlowRecord[] chunk) {
        final Analysis.Roles roles = analysis.infersRoles() ? analysis.roles(batch) : analysis.givenRoles();
        final VerdictTotals totals = new VerdictTotals();
        final DiagnosisBuilder diagnosis = FileReport.diagnosisBuilder(analysis);
        final VerdictPass pass = new VerdictPass(analysis.assessment(roles), totals, diagnosis);
        for (int at = 0; at < batch.size(); at += chunk.length) {
            if (stop) {
                return;
            }
            final int n = Math.min(chunk.length, batch.size() - at);
            for (int i = 0; i < n; i++) {
                chunk[i] = batch.get(at + i);
            }
            if (json != null) {
                FileReport.listJson(pass, chunk, n, findingsOnly, json, IGNORED);
            } else {
                FileReport.listText(pass, chunk, n, findingsOnly, text, IGNORED);
            }
            verdicts += n;
        }
        if (json != null) {
            json.writeEvent("diagnosis", totals.lastNanos(), null, DiagnosisFields.of(diagnosis.finish()));
        } else {
            text.writeDiagnosis(diagnosis.finish());
        }
    }
}
