package io.mraflow.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;

/**
 * The heap bytes threads allocate, as HotSpot counts them for
 * {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}: every object that is really
 * allocated, none that escape analysis replaced by registers. The proof of DESIGN.md's rule that
 * the per-packet path allocates nothing.
 *
 * <p>A loop on this thread: {@link #assertAllocatesNothing}, which runs it once unmeasured (the
 * JIT compiles it and escape analysis settles) and once measured. Anything else (worker threads,
 * or rounds with set-up that is not to be counted, such as opening a file): a meter, started and
 * stopped around each measured part (the counts add up), then {@link #assertBytesPerOpBelow}.
 * A JVM that does not count allocation per thread skips the test, with the reason.
 */
public final class AllocationMeter {
    /**
     * Bytes per operation below which code allocates nothing: over a million operations, one
     * 16-byte object every 1,600 of them fails, while a one-off of a few KB (class loading, a
     * deoptimisation) passes.
     */
    public static final double NOTHING = 0.01;

    /** The code under measurement. */
    @FunctionalInterface
    public interface Loop {
        /** Performs {@code ops} operations. */
        void run(int ops) throws Exception;
    }

    private final com.sun.management.ThreadMXBean mx;
    private final Thread[] threads;
    private final long[] startedAt;
    private final long[] bytes;
    private boolean running;

    private AllocationMeter(final Thread[] threads) {
        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean
                && ((com.sun.management.ThreadMXBean) bean).isThreadAllocatedMemorySupported(),
            "this JVM does not count the bytes each thread allocates");
        mx = (com.sun.management.ThreadMXBean) bean;
        if (!mx.isThreadAllocatedMemoryEnabled()) {
            mx.setThreadAllocatedMemoryEnabled(true);
        }
        this.threads = threads;
        startedAt = new long[threads.length];
        bytes = new long[threads.length];
    }

    /** A meter of this thread. */
    public static AllocationMeter currentThread() {
        return new AllocationMeter(new Thread[] {Thread.currentThread()});
    }

    /** A meter of these threads, each counted apart; they must be alive when it starts and stops. */
    public static AllocationMeter of(final Thread first, final Thread... more) {
        final Thread[] threads = new Thread[1 + more.length];
        threads[0] = first;
        System.arraycopy(more, 0, threads, 1, more.length);
        return new AllocationMeter(threads);
    }

    /**
     * Runs {@code loop} over {@code ops} operations on this thread to warm up, then over
     * {@code ops} more, measured; fails unless they allocate under {@link #NOTHING} bytes each.
     */
    public static void assertAllocatesNothing(final String what, final int ops, final Loop loop) throws Exception {
        loop.run(ops);
        final AllocationMeter meter = currentThread();
        meter.start();
        loop.run(ops);
        meter.stop();
        meter.assertBytesPerOpBelow(what, ops, NOTHING);
    }

    /** Reads each thread's count; what they allocate from here to {@link #stop()} is added. */
    public void start() {
        if (running) {
            throw new IllegalStateException("started twice");
        }
        for (int t = 0; t < threads.length; t++) {
            startedAt[t] = allocated(t);
        }
        running = true;
    }

    /** Adds what each thread allocated since {@link #start()}. */
    public void stop() {
        if (!running) {
            throw new IllegalStateException("stopped before it started");
        }
        for (int t = 0; t < threads.length; t++) {
            bytes[t] += allocated(t) - startedAt[t];
        }
        running = false;
    }

    /** The bytes {@code thread} allocated while the meter ran. */
    public long bytes(final Thread thread) {
        for (int t = 0; t < threads.length; t++) {
            if (threads[t] == thread) {
                return bytes[t];
            }
        }
        throw new IllegalArgumentException(thread + " is not measured");
    }

    /** The bytes all the measured threads allocated while the meter ran. */
    public long bytes() {
        long sum = 0;
        for (final long b : bytes) {
            sum += b;
        }
        return sum;
    }

    /**
     * Prints each thread's bytes per operation, and fails unless every thread's are under
     * {@code limit}: {@code ops} is how many operations ran while the meter ran.
     */
    public void assertBytesPerOpBelow(final String what, final long ops, final double limit) {
        if (running || ops <= 0) {
            throw new IllegalStateException(running ? "still running" : ops + " operations measured");
        }
        final StringBuilder failures = new StringBuilder();
        for (int t = 0; t < threads.length; t++) {
            final double perOp = (double) bytes[t] / ops;
            final String line = String.format("%s, thread %s: %.5f bytes/op (%d bytes over %d ops), limit %s bytes/op",
                what, threads[t].getName(), perOp, bytes[t], ops, limit);
            System.out.println("allocation, " + line);
            if (!(perOp < limit)) {
                failures.append(failures.length() == 0 ? "" : "; ").append(line);
            }
        }
        if (failures.length() > 0) {
            fail(failures.toString());
        }
    }

    private long allocated(final int t) {
        final long b = mx.getThreadAllocatedBytes(threads[t].getId());
        if (b < 0) {
            throw new IllegalStateException(threads[t].getName() + " has ended: its allocation is not counted");
        }
        return b;
    }
}
