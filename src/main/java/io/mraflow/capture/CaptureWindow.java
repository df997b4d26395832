package io.mraflow.capture;

import java.io.IOException;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The bytes of a capture, addressed by their offset in the input, made readable a record or block
 * at a time: the one thing the Java readers ({@link PcapReader}, {@link PcapngReader}) need from
 * where the bytes come from. A file is mapped ({@link MappedFileWindow}); a pipe or standard input
 * is read once, forward only, into a buffer that is reused ({@link ChannelWindow}).
 *
 * <p>Offsets only go forward: after {@code load(from, ...)} the bytes before {@code from} may be
 * gone. One thread uses a window.
 */
interface CaptureWindow extends AutoCloseable {

    /**
     * Makes {@code [from, from + length)} readable through {@link #view()} at {@link #index}
     * {@code (from)}, as much of it as the input holds.
     *
     * @return how many of those bytes the input holds: {@code length}, or fewer at its end
     * @throws IOException when the input cannot be read
     */
    int load(long from, int length) throws IOException;

    /** The buffer the loaded bytes are read through; the same object for the window's life, rewrapped by {@link #load}. */
    UnsafeBuffer view();

    /** The index in {@link #view()} of the input's byte at {@code offset}, valid until the next {@link #load}. */
    int index(long offset);

    /** What the input is, for messages about its end: "file" or "stream". */
    String kind();

    @Override
    void close();
}
