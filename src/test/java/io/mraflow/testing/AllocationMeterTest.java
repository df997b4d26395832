package io.mraflow.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The meter sees an allocation per operation, on this thread or another, and fails on it; and sees none where there is none. */
class AllocationMeterTest {
    private static final int OPS = 1_000_000;

    /** Where the arrays escape to: a field, so escape analysis cannot remove them. */
    private byte[] escaped = new byte[0];
    private long sum;

    private void allocate(final int ops) {
        for (int i = 0; i < ops; i++) {
            escaped = new byte[64];
        }
    }

    private void add(final int ops) {
        for (int i = 0; i < ops; i++) {
            sum += i ^ (sum >>> 3);
        }
    }

    @Test
    void anArrayPerOperationIsCountedAndFails() throws Exception {
        allocate(OPS);
        final AllocationMeter meter = AllocationMeter.currentThread();
        meter.start();
        allocate(OPS);
        meter.stop();
        // 64 bytes of data and the array's header
        assertTrue(meter.bytes() >= 64L * OPS, meter.bytes() + " bytes over " + OPS + " arrays of 64 bytes");

        final AssertionFailedError failure = assertThrows(AssertionFailedError.class,
            () -> AllocationMeter.assertAllocatesNothing("new byte[64] per op", OPS, this::allocate));
        assertTrue(failure.getMessage().startsWith("new byte[64] per op, thread ")
            && failure.getMessage().contains(" over " + OPS + " ops), limit 0.01 bytes/op"), failure.getMessage());
        assertEquals(64, escaped.length);
    }

    @Test
    void aLoopThatAllocatesNothingPasses() throws Exception {
        AllocationMeter.assertAllocatesNothing("arithmetic", OPS, this::add);
        assertTrue(sum != 1); // keeps the loop
    }

    @Test
    void anotherThreadIsCountedApart() throws Exception {
        final CountDownLatch go = new CountDownLatch(1);
        final CountDownLatch done = new CountDownLatch(1);
        final CountDownLatch measured = new CountDownLatch(1);
        final Thread other = new Thread(() -> {
            try {
                go.await();
                allocate(OPS);
                done.countDown();
                measured.await(); // alive until the meter has stopped
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "allocating");
        other.start();
        final AllocationMeter meter = AllocationMeter.of(Thread.currentThread(), other);
        meter.start();
        go.countDown();
        done.await();
        meter.stop();
        measured.countDown();
        other.join();

        assertTrue(meter.bytes(other) >= 64L * OPS, meter.bytes(other) + " bytes on the other thread");
        assertTrue(meter.bytes(Thread.currentThread()) < 64L * OPS / 100,
            meter.bytes(Thread.currentThread()) + " bytes on this thread, which only waited");
        final AssertionFailedError failure = assertThrows(AssertionFailedError.class,
            () -> meter.assertBytesPerOpBelow("two threads", OPS, AllocationMeter.NOTHING));
        assertTrue(failure.getMessage().startsWith("two threads, thread allocating: "), failure.getMessage());
    }
}
