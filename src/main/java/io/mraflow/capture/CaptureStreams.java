package io.mraflow.capture;

import static io.mraflow.capture.CaptureFileFormat.PCAPNG_SHB_TYPE;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Captures that can be read only once, front to back: standard input, FIFOs, process
 * substitution, character devices; anything that is not a regular file. Each is opened once and
 * read once, pcap or pcapng, by the Java readers ({@link PcapReader}, {@link PcapngReader}) over
 * one reused buffer ({@link ChannelWindow}); the format is told from the first bytes read, which
 * stay in the buffer for the reader, never by a second open (a second reader of a pipe takes bytes
 * from the first, or waits for a writer that has gone).
 *
 * <p>Why not libpcap on the descriptor ({@code pcap_fopen_offline}): it reads a pipe too, but
 * when it stops it cannot say where (its messages have no offset, and the bytes are gone, so
 * {@link DamageLocator} cannot walk them again), and from a pcapng block it refuses nothing can go
 * on without reading the bytes a second time. Reading in Java keeps the offset of every record as
 * it goes, and the pcapng reader is the one files fall back to.
 *
 * <p>Thread safety: stateless; any thread. Each source it returns is read by one thread.
 */
public final class CaptureStreams {
    /** How standard input is named in messages. */
    public static final String STANDARD_INPUT = "standard input";

    private CaptureStreams() {
    }

    /** Opens standard input (file descriptor 0, read without Java's buffering in between). */
    public static PacketSource openStandardInput() throws CaptureOpenException {
        return open(new FileInputStream(FileDescriptor.in).getChannel(), STANDARD_INPUT);
    }

    /** Opens {@code path}, which is not a regular file: a FIFO waits here for its writer. */
    static PacketSource open(final Path path) throws CaptureOpenException {
        final FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new CaptureOpenException(path.toString(), 0, "cannot read it: " + e.getMessage());
        }
        return open(channel, path.toString());
    }

    /**
     * Opens a capture read from {@code channel} (blocking), which the source takes over.
     *
     * @throws CaptureOpenException when the stream is empty, not a capture, damaged in its file
     *                              header or unreadable; the message names it, the offset and why
     */
    public static PacketSource open(final ReadableByteChannel channel, final String name) throws CaptureOpenException {
        return open(channel, name, ChannelWindow.DEFAULT_CAPACITY);
    }

    /** As {@link #open(ReadableByteChannel, String)} with a buffer of {@code capacity} bytes to start with (tests). */
    static PacketSource open(final ReadableByteChannel channel, final String name, final int capacity) throws CaptureOpenException {
        final ChannelWindow window = new ChannelWindow(channel, "stream", capacity);
        PacketSource source = null;
        try {
            final int held = window.load(0, 4);
            if (held == 0) {
                throw new CaptureOpenException(name, 0, "empty stream");
            }
            if (held < 4) {
                throw new CaptureOpenException(name, 0, "stream of " + held + " bytes is too short for a capture file header");
            }
            final int magic = window.view().getInt(window.index(0), ByteOrder.BIG_ENDIAN);
            if (magic == PCAPNG_SHB_TYPE) {
                final PcapngReader pcapng = new PcapngReader(name, window);
                final CaptureDamage header = pcapng.readHeader();
                if (header != null) {
                    throw new CaptureOpenException(name, header.byteOffset(), header.reason());
                }
                source = pcapng;
            } else if (PcapReader.recordHeaderLength(magic) != 0) {
                source = PcapReader.open(name, window);
            } else {
                throw new CaptureOpenException(name, 0, String.format("not a pcap or pcapng file (magic 0x%08x)", magic));
            }
            return source;
        } catch (CaptureOpenException e) {
            throw e;
        } catch (IOException e) {
            throw new CaptureOpenException(name, 0, "cannot read the stream: " + e.getMessage());
        } finally {
            if (source == null) {
                window.close();
            }
        }
    }
}
