package io.mraflow.report;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * {@code watch --events FILE}: an append-only event file. Written by one thread (the event
 * stage), whose writer flushes after each whole line ({@link FlowJsonWriter#flush}): there the file is rotated when it
 * has grown past its bound ({@code FILE} becomes {@code FILE.1}, {@code FILE.1} becomes
 * {@code FILE.2}, ... up to {@code keep} old files); and before the next event's first byte it is
 * reopened when {@link #reopen} was asked (SIGHUP, after logrotate moved it away). No event is
 * ever split between two files.
 */
public final class EventFile extends OutputStream {
    private final Path path;
    private final long maxBytes;
    private final int keep;
    private FileOutputStream out;
    private long size;
    private volatile boolean reopenAsked;
    private boolean atLineStart = true;

    /**
     * @param maxBytes rotate past this size; 0 never rotates
     * @param keep     rotated files kept
     */
    public EventFile(final Path path, final long maxBytes, final int keep) throws IOException {
        this.path = path;
        this.maxBytes = maxBytes;
        this.keep = keep;
        open();
    }

    private void open() throws IOException {
        out = new FileOutputStream(path.toFile(), true);
        size = Files.size(path);
    }

    @Override
    public void write(final int b) throws IOException {
        startOfEvent();
        out.write(b);
        size++;
    }

    @Override
    public void write(final byte[] b, final int off, final int len) throws IOException {
        startOfEvent();
        out.write(b, off, len);
        size += len;
    }

    /** The first bytes of an event: a reopen asked for since the last one happens here, so the event goes to the new file. */
    private void startOfEvent() throws IOException {
        if (atLineStart) {
            atLineStart = false;
            if (reopenAsked) {
                reopenAsked = false;
                out.close();
                open();
            }
        }
    }

    /** Asks for the file to be reopened before the next event (any thread: a signal handler). */
    public void reopen() {
        reopenAsked = true;
    }

    /** Between two lines: rotates or reopens when due. */
    private void endOfEvent() throws IOException {
        atLineStart = true;
        if (maxBytes > 0 && size >= maxBytes) {
            out.close();
            for (int k = keep - 1; k >= 1; k--) {
                final Path older = rotated(k);
                if (Files.exists(older)) {
                    Files.move(older, rotated(k + 1), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            if (keep > 0) {
                Files.move(path, rotated(1), StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.delete(path);
            }
            open();
        }
    }

    private Path rotated(final int k) {
        return path.resolveSibling(path.getFileName() + "." + k);
    }

    /** Called at the end of each event's line: hands the line on, then rotates or reopens when due. */
    @Override
    public void flush() throws IOException {
        out.flush();
        endOfEvent();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
