package io.mraflow.capture;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A regular file seen through a memory-mapped window of at most {@code windowBytes}, so a file of
 * any size can be read: when the bytes asked for do not lie wholly inside the current window, a
 * new window is mapped starting at them (one mapping object per window, nothing per packet).
 */
final class MappedFileWindow implements CaptureWindow {
    private final FileChannel channel;
    private final long fileSize;
    private final long windowBytes;
    private final UnsafeBuffer view = new UnsafeBuffer(0L, 0);
    private MappedByteBuffer window;
    private long windowStart;
    private long windowEnd;

    /** Takes {@code channel} over: {@link #close()} closes it. */
    MappedFileWindow(final FileChannel channel, final long windowBytes) throws IOException {
        this.channel = channel;
        this.fileSize = channel.size();
        this.windowBytes = windowBytes;
    }

    @Override
    public int load(final long from, final int length) throws IOException {
        final int held = (int) Math.min(length, Math.max(0, fileSize - from));
        if (held == 0 || from >= windowStart && from + held <= windowEnd) {
            return held;
        }
        final long size = Math.min(Math.max(windowBytes, held), fileSize - from);
        final MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, from, size);
        if (window != null) {
            IoUtil.unmap(window);
        }
        window = mapped;
        view.wrap(mapped);
        windowStart = from;
        windowEnd = from + size;
        return held;
    }

    @Override
    public UnsafeBuffer view() {
        return view;
    }

    @Override
    public int index(final long offset) {
        return (int) (offset - windowStart);
    }

    @Override
    public String kind() {
        return "file";
    }

    @Override
    public void close() {
        if (window != null) {
            IoUtil.unmap(window);
            window = null;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // read-only file: nothing was lost
        }
    }
}
