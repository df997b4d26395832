package io.mraflow.pipeline;

import io.mraflow.flow.FlowTableConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The steady-state packet path allocates nothing on any of its threads: a capture is replayed
 * many times through the pipeline (same flows, same ISNs, timeouts that never fire, so no flow
 * ends), and the allocated bytes of the capture thread and of every worker thread
 * (ThreadMXBean#getThreadAllocatedBytes) are read around the measured replays, at quiet points.
 */
class PipelineAllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @ParameterizedTest
    @CsvSource({
            "pcaps/mra-sample.pcapng, 1",
            "pcaps/mra-sample.pcapng, 2",
            "pcaps/mra-sample.pcapng, 3",
            "src/test/resources/captures/ndpi/dns_fragmented.pcap, 2",
            "src/test/resources/captures/zeek/icmp/icmp-destunreach-udp.pcap, 2",
            "src/test/resources/captures/heplify/erspan_sip_ipv4_udp.pcapng, 2"})
    void captureAndWorkerThreadsAllocateNothingPerPacket(String capture, int workers) throws Exception {
        final long never = TimeUnit.DAYS.toNanos(3650);
        final FlowTableConfig flows = FlowTableConfig.defaults().withTcpTimeouts(never, never, never).withUdpTimeout(never);
        final Pipeline pipeline = new Pipeline(flows, PipelineConfig.defaults().withWorkers(workers).withProgress(false),
                1 << 16, Path.of(System.getProperty("java.io.tmpdir")));
        final ReplaySource replay = new ReplaySource(Path.of(capture));
        final ProgressLine progress = new ProgressLine(new PrintStream(new ByteArrayOutputStream()), false);
        final int[] type = new int[1];
        pipeline.start();
        final long warmRounds = Math.max(30, 300_000 / replay.packets());
        pipeline.drain(replay.rounds(warmRounds), progress, type);
        pipeline.awaitIdle();

        final long rounds = Math.max(200, (1_000_000 + replay.packets() - 1) / replay.packets());
        final long[] before = allocated(pipeline);
        final long packetsBefore = pipeline.packets;
        pipeline.drain(replay.rounds(rounds), progress, type);
        pipeline.awaitIdle();
        final long[] after = allocated(pipeline);
        final long packets = pipeline.packets - packetsBefore;
        pipeline.finish();

        assertTrue(packets >= 1_000_000, "packets measured: " + packets);
        for (int t = 0; t < before.length; t++) {
            final long bytes = after[t] - before[t];
            final double perPacket = (double) bytes / packets;
            final String who = t == 0 ? "capture thread" : "worker " + (t - 1);
            System.out.printf("pipeline allocation, %s, %d workers, %s: %d bytes over %d packets (%.5f bytes/packet)%n",
                    capture, workers, who, bytes, packets, perPacket);
            assertTrue(perPacket < 0.01, capture + ", " + who + ": " + bytes + " bytes over " + packets + " packets");
        }
    }

    /** Allocated bytes of the capture thread (this one), then of each worker thread. */
    private static long[] allocated(Pipeline pipeline) {
        final Thread[] workers = pipeline.threads();
        final long[] bytes = new long[workers.length + 1];
        bytes[0] = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
        for (int w = 0; w < workers.length; w++) {
            bytes[w + 1] = THREADS.getThreadAllocatedBytes(workers[w].getId());
        }
        return bytes;
    }
}
