package io.mraflow.pipeline;

import io.mraflow.flow.FlowTableConfig;
import io.mraflow.testing.AllocationMeter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
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
        final AllocationMeter meter = AllocationMeter.of(Thread.currentThread(), pipeline.threads()); // capture, workers
        final long packetsBefore = pipeline.packets;
        meter.start();
        pipeline.drain(replay.rounds(rounds), progress, type);
        pipeline.awaitIdle();
        meter.stop();
        final long packets = pipeline.packets - packetsBefore;
        pipeline.finish();

        assertTrue(packets >= 1_000_000, "packets measured: " + packets);
        meter.assertBytesPerOpBelow("pipeline, " + capture + ", " + workers + " workers", packets, AllocationMeter.NOTHING);
    }
}
