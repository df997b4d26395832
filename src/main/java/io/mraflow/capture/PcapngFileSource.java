package io.mraflow.capture;

import static io.mraflow.capture.CaptureFileFormat.BLOCK_OVERHEAD;
import static io.mraflow.capture.CaptureFileFormat.PCAPNG_SHB_TYPE;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A pcapng file read in Java ({@link PcapngReader}) over a memory-mapped view of the file: the
 * reader for what libpcap 1.10 refuses in a well-formed file, from its start or from where libpcap
 * stopped. Not thread-safe: one thread reads it (the {@link PacketSource} contract).
 *
 * <p>The file is mapped in windows of at most {@link #DEFAULT_WINDOW_BYTES} (1 GiB), so a file of
 * any size can be read; per packet nothing is allocated.
 */
public final class PcapngFileSource implements PacketSource {
    /** Largest mapped window. */
    static final long DEFAULT_WINDOW_BYTES = 1L << 30;

    private final PcapngReader reader;

    /** Opens {@code path}, which must start with a Section Header Block. */
    public PcapngFileSource(final Path path) throws CaptureOpenException {
        this(path, DEFAULT_WINDOW_BYTES);
    }

    /** As {@link #PcapngFileSource(Path)}, with a smaller window for tests of the remapping. */
    PcapngFileSource(final Path path, final long windowBytes) throws CaptureOpenException {
        final String name = path.toString();
        final MappedFileWindow window;
        try {
            window = new MappedFileWindow(FileChannel.open(path, StandardOpenOption.READ), windowBytes);
        } catch (IOException e) {
            throw new CaptureOpenException(name, 0, "cannot read the file: " + e.getMessage());
        }
        boolean pcapng;
        try {
            pcapng = window.load(0, BLOCK_OVERHEAD) == BLOCK_OVERHEAD && window.view().getInt(window.index(0)) == PCAPNG_SHB_TYPE;
        } catch (IOException e) {
            window.close();
            throw new CaptureOpenException(name, 0, "cannot map the file: " + e.getMessage());
        }
        if (!pcapng) {
            window.close();
            throw new CaptureOpenException(name, 0, "not a pcapng file (no Section Header Block at the start)");
        }
        this.reader = new PcapngReader(name, window);
    }

    @Override
    public boolean next(final CapturedPacket out) {
        return reader.next(out);
    }

    /** Reads and skips {@code count} packets (after a switch from libpcap, which delivered them). */
    boolean skip(final long count) {
        return reader.skip(count);
    }

    /** Packets delivered so far. */
    long packetsRead() {
        return reader.packetsRead();
    }

    /** File offset of the block after the last one read. */
    long position() {
        return reader.position();
    }

    @Override
    public CaptureDamage damage() {
        return reader.damage();
    }

    @Override
    public String name() {
        return reader.name();
    }

    @Override
    public void close() {
        reader.close();
    }
}
