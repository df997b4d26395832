package io.mraflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mraflow.capture.batch.NativeBatch;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.junit.jupiter.api.Test;

class ThreadCpuClockTest {

    @Test
    void theNativeClockReadsTheSameThreadCpuTimeAsJava() {
        assumeTrue(NativeBatch.isAvailable(), () -> "native batch reader not built: " + NativeBatch.unavailableReason());
        final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long spin = 0;
        for (int i = 0; i < 5; i++) {
            final long before = mx.getCurrentThreadCpuTime();
            final long ours = ThreadCpuClock.nanos();
            final long after = mx.getCurrentThreadCpuTime();
            // both read CLOCK_THREAD_CPUTIME_ID of this thread: ours lies between Java's two readings
            assertTrue(before <= ours && ours <= after, before + " <= " + ours + " <= " + after);
            for (int j = 0; j < 1_000_000; j++) {
                spin += j ^ (spin >>> 3);
            }
        }
        assertTrue(spin != 1); // keeps the busy loop
    }
}
