package io.mraflow.synth;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;

/**
 * The buffered little-endian output shared by {@link PcapngWriter} and {@link PcapWriter}: one
 * reused 1 MiB buffer drained to a channel when full, so that writing a frame is a few puts
 * and, once per megabyte, one system call. Single-threaded.
 */
final class CaptureOutput {

    private static final int CAPACITY = 1 << 20;

    private final WritableByteChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(CAPACITY).order(ByteOrder.LITTLE_ENDIAN);

    CaptureOutput(final WritableByteChannel channel) {
        this.channel = channel;
    }

    /** Makes room for {@code bytes} more bytes and returns the buffer to put them into. */
    ByteBuffer reserve(final int bytes) throws IOException {
        if (buffer.remaining() < bytes) {
            drain();
            if (bytes > CAPACITY) {
                throw new IOException("record of " + bytes + " bytes exceeds the output buffer");
            }
        }
        return buffer;
    }

    /** Pads with zero bytes to the next multiple of four (pcapng block alignment). */
    void pad4(final int written) {
        for (int i = written; (i & 3) != 0; i++) {
            buffer.put((byte) 0);
        }
    }

    void drain() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    void close() throws IOException {
        try {
            drain();
        } finally {
            channel.close();
        }
    }
}
