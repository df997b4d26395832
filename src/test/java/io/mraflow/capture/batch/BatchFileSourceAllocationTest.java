package io.mraflow.capture.batch;

import io.mraflow.capture.CapturedPacket;
import io.mraflow.testing.AllocationMeter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class BatchFileSourceAllocationTest {
    private static final Path CAPTURE = GoldenCapture.CAPTURES.resolve("ndpi/teams.pcap");
    private static final int WARM_UP_READS = 200;
    private static final int READS = 1000;

    private long caplenSum;

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
    void readingPacketsAllocatesNothing() throws Exception {
        final CapturedPacket p = new CapturedPacket();
        final int perRead = GoldenCapture.load("ndpi/teams.pcap").packets();
        final AllocationMeter warmUp = AllocationMeter.currentThread();
        for (int r = 0; r < WARM_UP_READS; r++) {
            read(p, warmUp);
        }
        final AllocationMeter meter = AllocationMeter.currentThread();
        long packets = 0;
        for (int r = 0; r < READS; r++) {
            packets += read(p, meter);
        }
        assertEquals((long) READS * perRead, packets);
        assertTrue(caplenSum != 0);
        meter.assertBytesPerOpBelow("batch file source", packets, AllocationMeter.NOTHING);
    }

    /** Reads the capture through a 64 KiB buffer; the meter runs around the next() loop only. */
    private long read(CapturedPacket p, AllocationMeter meter) throws IOException {
        try (BatchFileSource source = BatchFileSource.open(CAPTURE, 64 << 10, Integer.MAX_VALUE)) {
            long packets = 0;
            meter.start();
            while (source.next(p)) {
                packets++;
                caplenSum += p.capLen + p.bytes.getByte(0);
            }
            meter.stop();
            return packets;
        }
    }
}
