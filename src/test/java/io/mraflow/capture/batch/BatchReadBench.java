package io.mraflow.capture.batch;

import io.mraflow.capture.CapturedPacket;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;

/**
 * Times {@link BatchFileSource} over one capture: every packet read through {@code next()}, its
 * captured length summed and its first byte touched; wall time and this thread's CPU time. The Java side of the comparison with
 * {@code native/bench/pcap_count}; not a unit test (surefire does not run it).
 *
 * <pre>java -cp CLASSPATH io.mraflow.capture.batch.BatchReadBench FILE [REPEATS] [CAPACITY]</pre>
 */
public final class BatchReadBench {
    private BatchReadBench() {
    }

    public static void main(final String[] args) throws Exception {
        final Path file = Path.of(args[0]);
        final int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        final int capacity = args.length > 2 ? Integer.parseInt(args[2]) : BatchFileSource.DEFAULT_CAPACITY;
        final CapturedPacket p = new CapturedPacket();
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int r = 0; r < repeats; r++) {
            final long start = System.nanoTime();
            final long cpuStart = threads.getCurrentThreadCpuTime();
            long packets = 0;
            long bytes = 0;
            long touched = 0;
            try (BatchFileSource source = BatchFileSource.open(file, capacity, Integer.MAX_VALUE)) {
                while (source.next(p)) {
                    packets++;
                    bytes += p.capLen;
                    touched += p.bytes.getByte(0);
                }
                if (source.damage() != null) {
                    System.err.println(source.damage().message());
                }
            }
            final double seconds = (System.nanoTime() - start) / 1e9;
            final double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
            System.out.printf("packets=%d caplen_sum=%d seconds=%.3f mpps=%.2f cpu_seconds=%.3f cpu_mpps=%.2f (touched %d)%n",
                packets, bytes, seconds, packets / seconds / 1e6, cpuSeconds, packets / cpuSeconds / 1e6, touched);
        }
    }
}
