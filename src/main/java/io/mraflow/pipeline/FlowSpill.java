package io.mraflow.pipeline;

import io.mraflow.flow.FlowRecord;
import io.mraflow.flow.FlowRecordCodec;
import io.mraflow.flow.FlowSink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The ended flows of one worker, kept for the report with bounded memory: the first external-sort
 * pass. Flows arrive in the order they end; up to {@code chunkFlows} wait in memory, and when
 * that many have come they are sorted into {@link FileAnalysis#FLOW_ORDER} and written to a
 * temporary file as one sorted run. {@link EndedFlows} merges the runs of every worker.
 *
 * <p>A capture whose flows fit one chunk never touches the disk. The temporary file is deleted as
 * soon as it is open, so nothing is left behind whatever happens to the process; the channel is
 * closed by {@link #close}.
 *
 * <p>Written by the worker thread that owns it ({@link #flowEnded}, {@link #finish}); read after
 * that thread was joined.
 */
final class FlowSpill implements FlowSink, AutoCloseable {
    /** Bytes written to or read from the file at once. */
    static final int IO_BUFFER_BYTES = 1 << 16;

    /** A sorted run on disk. */
    record Run(long offset, long bytes, int flows) {
    }

    private final int chunkFlows;
    private final Path directory;
    /** Also told of every ended flow (the report's warm-up), or null. */
    private final FlowSink tap;
    private FlowRecord[] chunk;
    private int inChunk;
    private long count;
    private final List<Run> runs = new ArrayList<>();
    private FileChannel file;
    private long fileBytes;
    private ByteBuffer buffer;

    /**
     * @param chunkFlows flows held in memory before they are sorted and written out (at least 1)
     * @param directory  where the temporary file goes
     */
    FlowSpill(final int chunkFlows, final Path directory) {
        this(chunkFlows, directory, null);
    }

    /** As above, and {@code tap} (null for none) is told of each flow as it ends, on this worker's thread. */
    FlowSpill(final int chunkFlows, final Path directory, final FlowSink tap) {
        if (chunkFlows < 1) {
            throw new IllegalArgumentException("chunkFlows " + chunkFlows + " < 1");
        }
        this.chunkFlows = chunkFlows;
        this.directory = directory;
        this.tap = tap;
        this.chunk = new FlowRecord[Math.min(chunkFlows, 1024)];
    }

    @Override
    public void flowEnded(final FlowRecord flow) {
        if (inChunk == chunk.length) {
            if (inChunk == chunkFlows) {
                writeRun();
            } else {
                chunk = Arrays.copyOf(chunk, (int) Math.min(chunkFlows, 2L * chunk.length));
            }
        }
        chunk[inChunk++] = flow;
        count++;
        if (tap != null) {
            tap.flowEnded(flow);
        }
    }

    /** After the last flow: sorts what is still in memory (the last run, never written). */
    void finish() {
        Arrays.sort(chunk, 0, inChunk, FileAnalysis.FLOW_ORDER);
    }

    /** Flows received. */
    long count() {
        return count;
    }

    /** Runs written to disk so far. */
    List<Run> runs() {
        return runs;
    }

    /** After {@link #finish}: the flows still in memory, sorted (do not modify). */
    FlowRecord[] inMemory() {
        return chunk;
    }

    /** After {@link #finish}: how many of {@link #inMemory()} are flows. */
    int inMemoryCount() {
        return inChunk;
    }

    /** The file the runs are in (null when none was written). */
    FileChannel file() {
        return file;
    }

    private void writeRun() {
        Arrays.sort(chunk, 0, inChunk, FileAnalysis.FLOW_ORDER);
        try {
            if (file == null) {
                final Path path = Files.createTempFile(directory, "mraflow-flows-", ".spill");
                file = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
                Files.delete(path); // the open channel keeps it; nothing is left behind
                buffer = ByteBuffer.allocate(IO_BUFFER_BYTES);
            }
            final long start = fileBytes;
            for (int i = 0; i < inChunk; i++) {
                if (buffer.remaining() < FlowRecordCodec.MAX_BYTES) {
                    drain();
                }
                FlowRecordCodec.write(chunk[i], buffer);
            }
            drain();
            runs.add(new Run(start, fileBytes - start, inChunk));
        } catch (IOException e) {
            if (buffer != null) {
                buffer.clear(); // the chunk stays whole in memory: the report still has these flows
            }
            throw new UncheckedIOException("cannot write ended flows to a temporary file in " + directory
                    + ": " + e.getMessage(), e);
        }
        Arrays.fill(chunk, 0, inChunk, null);
        inChunk = 0;
    }

    private void drain() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            fileBytes += file.write(buffer, fileBytes);
        }
        buffer.clear();
    }

    @Override
    public void close() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                // already deleted; nothing to lose
            }
        }
    }
}
