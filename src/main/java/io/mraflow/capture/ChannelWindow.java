package io.mraflow.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * An input read once, front to back, through one direct buffer that is reused: a pipe, standard
 * input, a character device, or a file read sequentially. Each read takes as much as the channel
 * gives (a pipe hands over what its writer has written), so a packet costs no system call of its
 * own. When a record runs past the end of the buffer, what is left of the buffer is moved to its
 * front; the buffer grows only for a record larger than itself (at most the 16 MiB of a pcapng
 * block or the largest captured length libpcap allows), never per packet.
 */
final class ChannelWindow implements CaptureWindow {
    /** 1 MiB: a few hundred packets between reads, and the move to the front is rare and short. */
    static final int DEFAULT_CAPACITY = 1 << 20;

    private final ReadableByteChannel channel;
    private final String kind;
    private final UnsafeBuffer view = new UnsafeBuffer(0L, 0);
    private ByteBuffer buffer;
    /** Input offset of the buffer's first byte. */
    private long base;
    /** Bytes of the buffer that hold input. */
    private int filled;
    private boolean ended;

    /**
     * Takes {@code channel} over ({@link #close()} closes it), which must be blocking.
     *
     * @param kind what the input is, for messages: "file" or "stream"
     */
    ChannelWindow(final ReadableByteChannel channel, final String kind, final int capacity) {
        this.channel = channel;
        this.kind = kind;
        this.buffer = ByteBuffer.allocateDirect(capacity);
        view.wrap(buffer);
    }

    @Override
    public int load(final long from, final int length) throws IOException {
        final long start = from - base;
        if (start < 0 || start > filled) {
            throw new IllegalArgumentException("offset " + from + " is outside [" + base + ", " + (base + filled) + "]: a stream is read forward only");
        }
        if (start + length <= filled) {
            return length;
        }
        if (start > 0) {
            buffer.limit(filled).position((int) start);
            buffer.compact();
            filled -= (int) start;
            base = from;
        }
        if (length > buffer.capacity()) {
            grow(length);
        }
        while (filled < length && !ended) {
            buffer.limit(buffer.capacity()).position(filled);
            final int read = channel.read(buffer);
            if (read < 0) {
                ended = true;
            } else {
                filled += read;
            }
        }
        return Math.min(length, filled);
    }

    private void grow(final int length) {
        final ByteBuffer larger = ByteBuffer.allocateDirect(Integer.highestOneBit(length - 1) << 1);
        buffer.limit(filled).position(0);
        larger.put(buffer);
        BufferUtil.free(buffer);
        buffer = larger;
        view.wrap(buffer);
    }

    @Override
    public UnsafeBuffer view() {
        return view;
    }

    @Override
    public int index(final long offset) {
        return (int) (offset - base);
    }

    @Override
    public String kind() {
        return kind;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // read only: nothing was lost
        }
        if (buffer != null) {
            BufferUtil.free(buffer);
            buffer = null;
            view.wrap(0L, 0);
        }
    }
}
