package io.mraflow.pipeline;

import io.mraflow.capture.CaptureDamage;
import io.mraflow.capture.CaptureOpenException;
import io.mraflow.capture.LinkType;
import io.mraflow.capture.PacketSource;
import io.mraflow.capture.batch.NativeBatch;
import io.mraflow.flow.FlowRecord;
import io.mraflow.flow.FlowTableConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads capture files one after the other through the {@link Pipeline}: the calling thread is the
 * capture thread (read, copy into the rings), {@link PipelineConfig#workers()} worker threads
 * decode and keep the flow tables. Flows continue across files, as if the files were one capture (several files
 * of one rotation). Problems with one file never stop the others: they are collected in the
 * result. One run at a time per instance; instances are independent.
 *
 * <p>Files are read by the native batch reader when it is available and
 * {@link PipelineConfig#nativeBatch()} asks for it, else by libpcap's {@code pcap_next_ex} through
 * {@code CaptureFiles.open}; the verdicts are the same either way. When the native reader was
 * asked for but cannot be loaded, that is said once per process, on stderr.
 */
public final class FileAnalysis {

    /** Flow output order: first packet time, then the 5-tuple, so runs are reproducible. */
    public static final Comparator<FlowRecord> FLOW_ORDER = new FlowOrder();

    /**
     * {@link #FLOW_ORDER} as one method: a chain of {@code thenComparing} lambdas calls a
     * different class at each step, which the JIT inlines poorly (the end-of-input sort both ways:
     * BENCHMARKS.md, Report stage).
     */
    private static final class FlowOrder implements Comparator<FlowRecord> {
        @Override
        public int compare(final FlowRecord a, final FlowRecord b) {
            int c = Long.compare(a.tsNanos(), b.tsNanos());
            if (c == 0) {
                c = Integer.compare(a.ipProto(), b.ipProto());
            }
            if (c == 0) {
                c = Long.compare(a.origHi(), b.origHi());
            }
            if (c == 0) {
                c = Long.compare(a.origLo(), b.origLo());
            }
            if (c == 0) {
                c = Integer.compare(a.origPort(), b.origPort());
            }
            if (c == 0) {
                c = Long.compare(a.respHi(), b.respHi());
            }
            if (c == 0) {
                c = Long.compare(a.respLo(), b.respLo());
            }
            if (c == 0) {
                c = Integer.compare(a.respPort(), b.respPort());
            }
            return c;
        }
    }

    private static final AtomicBoolean FALLBACK_SAID = new AtomicBoolean();

    private final MemoryBudget budget;
    private final FlowTableConfig flowConfig;
    private final PipelineConfig config;
    private final PrintStream err;

    /** Default pipeline ({@link PipelineConfig#defaults()}), messages on {@code System.err}. */
    public FileAnalysis(final FlowTableConfig flowConfig) {
        this(flowConfig, PipelineConfig.defaults(), System.err);
    }

    /**
     * @param flowConfig the flow tables' timeouts and sizes; each table's largest size is bounded
     *                   further by its share of the heap ({@link MemoryBudget})
     */
    public FileAnalysis(final FlowTableConfig flowConfig, final PipelineConfig config, final PrintStream err) {
        this.budget = MemoryBudget.ofThisJvm(config.workers());
        this.flowConfig = budget.flowTable(flowConfig);
        this.config = config;
        this.err = err;
    }

    /** Flows all workers' tables hold at most; a new flow beyond that evicts one. */
    public long maxFlowsHeld() {
        return (long) flowConfig.maxFlows() * config.workers();
    }

    public AnalysisResult run(final List<Path> files) {
        return run(files, null);
    }

    /** As {@link #run(List)}, and {@code endedFlowTap} (null for none) is told of each flow as it ends. */
    public AnalysisResult run(final List<Path> files, final EndedFlowTap endedFlowTap) {
        final boolean nativeBatch = config.nativeBatch() && NativeBatch.isAvailable();
        if (config.nativeBatch() && !nativeBatch && FALLBACK_SAID.compareAndSet(false, true)) {
            err.println("mraflow: the native batch reader is not available (" + NativeBatch.unavailableReason()
                    + "); reading packets through libpcap's pcap_next_ex instead");
        }
        final List<String> problems = new ArrayList<>();
        final List<CaptureDamage> damaged = new ArrayList<>();
        final ProgressLine progress = new ProgressLine(err, config.progress());
        final int[] unsupportedType = new int[1];
        int unreadable = 0;
        long unsupportedPackets = 0;
        boolean anyBatch = false;
        boolean anyDirect = false;

        final int chunkFlows = config.spillChunkFlows() > 0 ? config.spillChunkFlows() : budget.spillChunkFlows();
        final Pipeline pipeline = new Pipeline(flowConfig, config, chunkFlows,
                Path.of(System.getProperty("java.io.tmpdir")), endedFlowTap);
        final long start = System.nanoTime();
        pipeline.start();
        for (Path file : files) {
            final PacketSource source;
            try {
                source = FileInput.open(file, nativeBatch);
            } catch (CaptureOpenException e) {
                problems.add(e.getMessage());
                unreadable++;
                continue;
            }
            progress.startFile(source.name(), sizeOf(file), isPcapng(file));
            try (source) {
                final long unsupported = pipeline.drain(source, progress, unsupportedType);
                if (source instanceof FileInput in && in.batchReader()) {
                    anyBatch = true;
                } else {
                    anyDirect = true;
                }
                unsupportedPackets += unsupported;
                if (unsupported > 0) {
                    problems.add(source.name() + ": unsupported " + LinkType.describe(unsupportedType[0])
                            + ": " + unsupported + " packets skipped");
                }
                final CaptureDamage damage = source.damage();
                if (damage != null) {
                    damaged.add(damage);
                    problems.add(damage.message());
                }
            }
        }
        progress.finish();
        if (endedFlowTap != null) {
            endedFlowTap.inputEnded();
        }
        final EndedFlows flows = pipeline.finish();
        final long elapsed = System.nanoTime() - start;
        final String reader = anyBatch && anyDirect ? "native batch reader and libpcap pcap_next_ex"
                : anyBatch ? "native batch reader" : "libpcap pcap_next_ex";
        final PipelineStats stats = pipeline.stats(reader);
        return new AnalysisResult(flows, pipeline.packets, stats.decodeStatus(), List.copyOf(problems),
                List.copyOf(damaged), unreadable, elapsed, stats, unsupportedPackets, pipeline.failure());
    }

    /** For the progress line: the file's size, or {@link ProgressLine#STREAM} for what is read only once. */
    private static long sizeOf(final Path file) {
        if (FileInput.isStream(file)) {
            return ProgressLine.STREAM;
        }
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 1;
        }
    }

    /** Sniffed from a regular file only: a second open of a stream would take bytes from its reader. */
    private static boolean isPcapng(final Path file) {
        if (FileInput.isStream(file)) {
            return false;
        }
        try (var in = Files.newInputStream(file)) {
            final byte[] b = in.readNBytes(4);
            return b.length == 4 && b[0] == 0x0A && b[1] == 0x0D && b[2] == 0x0D && b[3] == 0x0A;
        } catch (IOException e) {
            return false;
        }
    }
}
