package io.mraflow.capture.batch;

import io.mraflow.capture.CapturedPacket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class BatchFileSourceAllocationTest {
    private static final Path CAPTURE = GoldenCapture.CAPTURES.resolve("ndpi/teams.pcap");
    private static final int WARM_UP_READS = 200;
    private static final int READS = 1000;

    /** Skips each test, with the reason in the report, only when the library could not be built or loaded. */
    @BeforeEach
    void nativeLibraryBuilt() {
        assumeTrue(NativeBatch.isAvailable(), () -> "native batch reader not built: " + NativeBatch.unavailableReason());
    }

    /**
     * Reads a capture 1000 times and counts the heap bytes this thread allocates inside the
     * next() loops only (opening a source allocates its buffers once, outside them). A 64 KiB
     * buffer makes every read refill about 40 times, so the native call is inside the count too.
     * The first reads load and link classes and compile code, which allocates once (some 8 KB
     * when this test runs first in its JVM); {@value #WARM_UP_READS} uncounted reads come first,
     * so the steady state is what is measured.
     */
    @Test
    void readingPacketsAllocatesNothing() throws IOException {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
            "this JVM does not measure per-thread allocation");
        final long tid = Thread.currentThread().getId();
        final CapturedPacket p = new CapturedPacket();
        final int perRead = GoldenCapture.load("ndpi/teams.pcap").packets();
        for (int r = 0; r < WARM_UP_READS; r++) {
            try (BatchFileSource source = BatchFileSource.open(CAPTURE, 64 << 10, Integer.MAX_VALUE)) {
                while (source.next(p)) {
                    assertTrue(p.capLen > 0);
                }
            }
        }
        long allocated = 0;
        long packets = 0;
        long caplenSum = 0;
        for (int r = 0; r < READS; r++) {
            try (BatchFileSource source = BatchFileSource.open(CAPTURE, 64 << 10, Integer.MAX_VALUE)) {
                final long before = threads.getThreadAllocatedBytes(tid);
                while (source.next(p)) {
                    packets++;
                    caplenSum += p.capLen + p.bytes.getByte(0);
                }
                allocated += threads.getThreadAllocatedBytes(tid) - before;
            }
        }
        assertEquals((long) READS * perRead, packets);
        assertTrue(caplenSum != 0);
        final double perPacket = (double) allocated / packets;
        assertTrue(perPacket < 0.01, allocated + " bytes allocated over " + packets + " packets: "
            + perPacket + " bytes/packet");
    }
}
