package io.mraflow.kafka;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code --spool-dir}: events kept on disk, in order, while the broker cannot take them, and handed
 * back oldest first when it can. Segment files {@code NNNNNNNNNNNNNNNNNNNN.spool} are read in the
 * order of their numbers: appends go to the last, the sender replays the first and then removes it
 * or rewrites it with what it could not send; events that failed in flight before everything spooled
 * go into a new first segment. A record is {@code type, key, length, value}; a record cut short by a
 * crash is where its segment ends.
 *
 * <p>Bounded by {@code maxBytes}: past 90 % of it, events other than findings are refused; past
 * 100 % findings too. What is refused is counted by type. One process at a time: a lock file in the
 * directory. Used by the Kafka sender's thread only.
 */
final class Spool implements AutoCloseable {
    private static final String SUFFIX = ".spool";
    /** First segment number of an empty spool: room below it for segments put first. */
    private static final long FIRST = 1L << 40;

    private final Path dir;
    private final long maxBytes;
    private final long segmentBytes;
    private final FileChannel lockChannel;
    private final FileLock lock;
    /** Segment number to its size in bytes and its events. */
    private final TreeMap<Long, long[]> segments = new TreeMap<>();
    private DataOutputStream tail;
    private long tailNumber = -1;
    private long bytes;
    private long events;
    private final TreeMap<String, Long> dropped = new TreeMap<>();
    private long spooledTotal;

    /**
     * Opens (creating it) the spool in {@code dir}; what an earlier run left there is kept, to be sent first.
     *
     * @throws IOException naming what failed: the directory cannot be made or written, or another process holds it
     */
    Spool(final Path dir, final long maxBytes) throws IOException {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.segmentBytes = Math.max(64 << 10, Math.min(4 << 20, maxBytes / 8));
        Files.createDirectories(dir);
        if (!Files.isWritable(dir)) {
            throw new IOException(dir + " is not writable");
        }
        lockChannel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            lockChannel.close();
            throw new IOException(dir + " is in use by another mraflow process (give each its own --spool-dir)");
        }
        lock = l;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                final String name = p.getFileName().toString();
                if (name.endsWith(SUFFIX) && name.length() == 20 + SUFFIX.length()) {
                    final long n = Long.parseLong(name.substring(0, 20));
                    final List<Event> in = read(p);
                    long size = 0;
                    for (Event e : in) {
                        size += e.spoolBytes();
                    }
                    segments.put(n, new long[] {size, in.size()});
                    bytes += size;
                    events += in.size();
                }
            }
        }
    }

    boolean isEmpty() {
        return events == 0;
    }

    long bytes() {
        return bytes;
    }

    long events() {
        return events;
    }

    /** Events written to the spool since it was opened. */
    long spooledTotal() {
        return spooledTotal;
    }

    /** Events refused because the spool was full, by type. */
    TreeMap<String, Long> dropped() {
        return dropped;
    }

    /** Appends {@code e} at the end; false (counted) when the bound refuses it. */
    boolean append(final Event e) throws IOException {
        final int size = e.spoolBytes();
        final long limit = e.isFinding() ? maxBytes : maxBytes * 9 / 10;
        if (bytes + size > limit) {
            dropped.merge(e.type(), 1L, Long::sum);
            return false;
        }
        if (tail == null || segments.get(tailNumber)[0] >= segmentBytes) {
            closeTail();
            tailNumber = segments.isEmpty() ? FIRST : segments.lastKey() + 1;
            segments.put(tailNumber, new long[2]);
            tail = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(segment(tailNumber),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND), 1 << 16));
        }
        write(tail, e);
        final long[] s = segments.get(tailNumber);
        s[0] += size;
        s[1]++;
        bytes += size;
        events++;
        spooledTotal++;
        return true;
    }

    /** Pushes what was appended to the file (after each batch of appends). */
    void flush() throws IOException {
        if (tail != null) {
            tail.flush();
        }
    }

    /** The events of the first segment, in order (empty when the spool is). */
    List<Event> head() throws IOException {
        if (segments.isEmpty()) {
            return List.of();
        }
        final long n = segments.firstKey();
        if (n == tailNumber) {
            closeTail(); // the next append starts a new segment after it
        }
        return read(segment(n));
    }

    /** Replaces the first segment with {@code rest} (what could not be sent of it), or removes it when empty. */
    void replaceHead(final List<Event> rest) throws IOException {
        final long n = segments.firstKey();
        final long[] s = segments.remove(n);
        bytes -= s[0];
        events -= s[1];
        if (rest.isEmpty()) {
            Files.deleteIfExists(segment(n));
        } else {
            writeSegment(n, rest);
        }
    }

    /** Puts {@code first} before everything spooled (events that failed in flight, older than the spool's). */
    void prepend(final List<Event> first) throws IOException {
        if (!first.isEmpty()) {
            writeSegment(segments.isEmpty() ? FIRST : segments.firstKey() - 1, first);
            spooledTotal += first.size();
        }
    }

    private void writeSegment(final long n, final List<Event> list) throws IOException {
        final Path tmp = dir.resolve(String.format("%020d", n) + ".tmp");
        long size = 0;
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
            for (Event e : list) {
                write(out, e);
                size += e.spoolBytes();
            }
        }
        Files.move(tmp, segment(n), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        segments.put(n, new long[] {size, list.size()});
        bytes += size;
        events += list.size();
    }

    private Path segment(final long n) {
        return dir.resolve(String.format("%020d", n) + SUFFIX);
    }

    private static void write(final DataOutputStream out, final Event e) throws IOException {
        out.writeUTF(e.type());
        out.writeUTF(e.key());
        out.writeInt(e.value().length);
        out.write(e.value());
    }

    private static List<Event> read(final Path p) throws IOException {
        final List<Event> list = new ArrayList<>();
        try (InputStream raw = Files.newInputStream(p);
             DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
            while (true) {
                try {
                    final String type = in.readUTF();
                    final String key = in.readUTF();
                    final int len = in.readInt();
                    if (len < 0 || len > (64 << 20)) {
                        break; // not a record: the segment ends here
                    }
                    final byte[] v = new byte[len];
                    in.readFully(v);
                    list.add(new Event(type, key, v));
                } catch (EOFException e) {
                    break; // a record cut short by a crash: the segment ends before it
                }
            }
        }
        return list;
    }

    private void closeTail() throws IOException {
        if (tail != null) {
            tail.close();
            tail = null;
            tailNumber = -1;
        }
    }

    @Override
    public void close() throws IOException {
        closeTail();
        lock.release();
        lockChannel.close();
    }
}
