package io.mraflow.pipeline;

import io.mraflow.flow.FlowRecord;
import io.mraflow.flow.FlowRecordCodec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * Every flow of an analysis in {@link FileAnalysis#FLOW_ORDER}, read as often as the report
 * needs (role inference, then the verdicts): the merge pass of the external sort whose runs the
 * workers' {@link FlowSpill}s wrote. Each iteration merges the runs afresh, holding one buffer per
 * run and one record per run at a time, so memory does not grow with the number of flows.
 *
 * <p>Iterated by one thread at a time; {@link #close} releases the temporary files.
 */
public final class EndedFlows implements Iterable<FlowRecord>, AutoCloseable {
    private final List<FlowSpill> spills;
    private final long count;

    EndedFlows(final List<FlowSpill> spills) {
        this.spills = spills;
        long n = 0;
        for (FlowSpill s : spills) {
            n += s.count();
        }
        this.count = n;
    }

    /** How many flows there are. */
    public long count() {
        return count;
    }

    /** Runs written to temporary files (0 when every flow fitted in memory). */
    public int runsOnDisk() {
        int n = 0;
        for (FlowSpill s : spills) {
            n += s.runs().size();
        }
        return n;
    }

    /** Every flow in a list: for tests and small captures only (it holds every flow at once). */
    public List<FlowRecord> toList() {
        final List<FlowRecord> all = new ArrayList<>((int) Math.min(count, Integer.MAX_VALUE - 8));
        forEach(all::add);
        return all;
    }

    @Override
    public Iterator<FlowRecord> iterator() {
        // In the order the flows ended within each spill (runs on disk, then memory), so that the
        // merge breaks ties as a stable sort of everything would.
        final List<Cursor> cursors = new ArrayList<>();
        for (FlowSpill s : spills) {
            for (FlowSpill.Run r : s.runs()) {
                cursors.add(new RunCursor(s.file(), r, cursors.size()));
            }
            if (s.inMemoryCount() > 0) {
                cursors.add(new MemoryCursor(s.inMemory(), s.inMemoryCount(), cursors.size()));
            }
        }
        if (cursors.isEmpty()) {
            return new MemoryCursor(new FlowRecord[0], 0, 0);
        }
        if (cursors.size() == 1) {
            return cursors.get(0);
        }
        return new Merge(cursors);
    }

    @Override
    public void close() {
        spills.forEach(FlowSpill::close);
    }

    /** A sorted sequence of flows with its next one in view. */
    private abstract static class Cursor implements Iterator<FlowRecord> {
        /** Place among the cursors: breaks ties in the merge. */
        final int rank;
        FlowRecord head;

        Cursor(final int rank) {
            this.rank = rank;
        }

        @Override
        public boolean hasNext() {
            return head != null;
        }

        @Override
        public FlowRecord next() {
            if (head == null) {
                throw new NoSuchElementException();
            }
            final FlowRecord f = head;
            head = advance();
            return f;
        }

        abstract FlowRecord advance();
    }

    private static final class MemoryCursor extends Cursor {
        private final FlowRecord[] flows;
        private final int end;
        private int at;

        MemoryCursor(final FlowRecord[] flows, final int end, final int rank) {
            super(rank);
            this.flows = flows;
            this.end = end;
            head = advance();
        }

        @Override
        FlowRecord advance() {
            return at < end ? flows[at++] : null;
        }
    }

    /** One sorted run on disk, read through a buffer of its own by positional reads. */
    private static final class RunCursor extends Cursor {
        private final FileChannel file;
        private final ByteBuffer buffer = ByteBuffer.allocate(FlowSpill.IO_BUFFER_BYTES);
        private long position;
        private final long end;
        private int left;

        RunCursor(final FileChannel file, final FlowSpill.Run run, final int rank) {
            super(rank);
            this.file = file;
            this.position = run.offset();
            this.end = run.offset() + run.bytes();
            this.left = run.flows();
            buffer.limit(0);
            head = advance();
        }

        @Override
        FlowRecord advance() {
            if (left == 0) {
                return null;
            }
            left--;
            if (buffer.remaining() < 2 || buffer.remaining() < FlowRecordCodec.length(buffer)) {
                refill();
            }
            return FlowRecordCodec.read(buffer);
        }

        private void refill() {
            buffer.compact();
            try {
                while (buffer.hasRemaining() && position < end) {
                    final int want = (int) Math.min(buffer.remaining(), end - position);
                    buffer.limit(buffer.position() + want);
                    final int n = file.read(buffer, position);
                    if (n < 0) {
                        throw new IOException("the temporary file of ended flows ends early");
                    }
                    position += n;
                    buffer.limit(buffer.capacity());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read back ended flows: " + e.getMessage(), e);
            }
            buffer.flip();
        }
    }

    /** The k-way merge: the least head of all cursors next. */
    private static final class Merge implements Iterator<FlowRecord> {
        private final PriorityQueue<Cursor> queue;

        Merge(final List<Cursor> cursors) {
            queue = new PriorityQueue<>(cursors.size(), (a, b) -> {
                final int c = FileAnalysis.FLOW_ORDER.compare(a.head, b.head);
                return c != 0 ? c : Integer.compare(a.rank, b.rank);
            });
            for (Cursor c : cursors) {
                if (c.hasNext()) {
                    queue.add(c);
                }
            }
        }

        @Override
        public boolean hasNext() {
            return !queue.isEmpty();
        }

        @Override
        public FlowRecord next() {
            final Cursor c = queue.poll();
            if (c == null) {
                throw new NoSuchElementException();
            }
            final FlowRecord f = c.next();
            if (c.hasNext()) {
                queue.add(c);
            }
            return f;
        }
    }
}
