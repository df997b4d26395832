package io.mraflow.synth;

import java.io.Closeable;
import java.io.IOException;

/**
 * A sink for Ethernet frames with their capture time, written to a capture file. Single-threaded:
 * one generator thread calls {@link #write} in timestamp order and then {@link #close}.
 */
public interface CaptureWriter extends Closeable {

    /** Writes one Ethernet frame captured at {@code epochNanos} (nanoseconds since 1970-01-01T00:00Z). */
    void write(long epochNanos, byte[] frame, int offset, int length) throws IOException;

    /** Packets written so far. */
    long packets();

    /** Frame bytes written so far (sum of the frame lengths, without file framing). */
    long frameBytes();
}
