package io.mraflow.pipeline;

import io.mraflow.capture.batch.NativeBatch;
import java.lang.management.ManagementFactory;

/**
 * CPU time of the calling thread, for the per-thread figures of {@code --stats}. Read through the
 * native helper when it is loaded (one call, no set-up); otherwise through
 * {@code java.lang.management}, whose first use lengthens start-up (BENCHMARKS.md, Start-up and JIT).
 */
public final class ThreadCpuClock {
    private ThreadCpuClock() {
    }

    /** Nanoseconds of CPU the calling thread has used. */
    public static long nanos() {
        if (NativeBatch.isAvailable()) {
            final long nanos = NativeBatch.mfb_thread_cpu_nanos();
            if (nanos >= 0) {
                return nanos;
            }
        }
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }
}
