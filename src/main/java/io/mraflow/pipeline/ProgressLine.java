package io.mraflow.pipeline;

import java.io.PrintStream;

/**
 * A progress line on stderr for long files: packets, Mpps, percent of the file, rewritten in place
 * twice a second. For the capture thread only. Per packet it costs one counter and one addition;
 * the clock is read once per 65,536 packets.
 *
 * <p>A stream (standard input, a pipe) has no size: its line gives packets and Mpps alone.
 *
 * <p>The percent is estimated from the bytes of the records handed out (captured bytes plus the
 * format's record overhead: 16 bytes for classic pcap, 32 for a pcapng enhanced packet block with
 * its padding), since the native reader does not expose its file position per packet.
 */
final class ProgressLine {
    private static final long CHECK_MASK = (1 << 16) - 1;
    private static final long INTERVAL_NANOS = 500_000_000L;
    /** The size of an input read as a stream: unknown. */
    static final long STREAM = -1;

    private final PrintStream err;
    private final boolean enabled;
    private final long startNanos = System.nanoTime();
    private long lastPrint = startNanos;
    private long packets;
    private long fileBytes;
    private long bytesRead;
    private int overhead;
    private String fileName = "";
    private boolean printed;

    ProgressLine(final PrintStream err, final boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    /** @param size the file's size in bytes, or {@link #STREAM} */
    void startFile(final String name, final long size, final boolean pcapng) {
        fileName = name;
        fileBytes = size == STREAM ? STREAM : Math.max(1, size);
        bytesRead = pcapng ? 28 : 24;
        overhead = pcapng ? 32 : 16;
    }

    void packet(final int capLen) {
        bytesRead += capLen + overhead;
        if ((++packets & CHECK_MASK) == 0 && enabled) {
            final long now = System.nanoTime();
            if (now - lastPrint >= INTERVAL_NANOS) {
                lastPrint = now;
                print(now);
            }
        }
    }

    /** A batch of {@code count} packets holding {@code capturedBytes} bytes of packet data. */
    void packets(final int count, final long capturedBytes) {
        bytesRead += capturedBytes + (long) count * overhead;
        final long before = packets;
        packets += count;
        if ((before & ~CHECK_MASK) != (packets & ~CHECK_MASK) && enabled) {
            final long now = System.nanoTime();
            if (now - lastPrint >= INTERVAL_NANOS) {
                lastPrint = now;
                print(now);
            }
        }
    }

    private void print(final long now) {
        final double secs = (now - startNanos) / 1e9;
        if (fileBytes == STREAM) {
            err.printf("\rmraflow: %d packets, %.2f Mpps from %s ", packets, packets / secs / 1e6, fileName);
        } else {
            final long percent = Math.min(100, bytesRead * 100 / fileBytes);
            err.printf("\rmraflow: %d packets, %.2f Mpps, %d%% of %s ", packets, packets / secs / 1e6, percent, fileName);
        }
        err.flush();
        printed = true;
    }

    /** Ends the line, if one was printed. */
    void finish() {
        if (printed) {
            err.println();
            printed = false;
        }
    }
}
