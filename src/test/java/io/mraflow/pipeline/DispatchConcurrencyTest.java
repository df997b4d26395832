package io.mraflow.pipeline;

import io.mraflow.decode.PacketView;
import io.mraflow.flow.FlowTableConfig;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dispatch under back-pressure: many workers (more than cores) behind rings of the smallest
 * legal capacity and the fewest slabs, so the capture thread waits on the workers all the time.
 * File input loses nothing, each packet reaches one worker only, and the verdicts equal those of
 * one worker with large rings; live input (drop when full) accounts for every packet as either
 * processed by one worker, not for the flow table, or dropped.
 */
class DispatchConcurrencyTest {
    private static final List<Path> FILES = List.of(Path.of("pcaps/mra-sample.pcapng"),
            Path.of("src/test/resources/captures/ndpi/FAX-Call-t38-CA-TDM-SIP-FB-1.pcap"),
            Path.of("src/test/resources/captures/ndpi/dns_fragmented.pcap"),
            Path.of("src/test/resources/captures/zeek/icmp/icmp-destunreach-udp.pcap"),
            Path.of("src/test/resources/captures/ndpi/whatsapp_voice_and_message.pcap"));

    @RepeatedTest(5)
    void tinyRingsManyWorkersLoseNothing() {
        final AnalysisResult expected = run(PipelineConfig.defaults().withWorkers(1));
        final int batch = 2048;
        final PipelineConfig tiny = PipelineConfig.defaults().withWorkers(7)
                .withRing(PipelineConfig.minRingCapacity(batch), batch);
        final AnalysisResult r = run(tiny);
        final PipelineStats s = r.pipeline();
        assertEquals(VerdictIdentityTest.jsonLines(expected.flows()), VerdictIdentityTest.jsonLines(r.flows()));
        assertTrue(s.ringFullWaits() > 0, "the capture thread waited for the workers at times: " + s.ringFullWaits());
        assertEquals(0, s.dropped());
        assertEquals(s.packetsRead() - s.notForFlows(), sum(s.dispatched()), "every flow packet has one owner");
        assertEquals(s.packetsRead() - s.notForFlows(), sum(s.processed()), "no packet reached two workers");
        for (int w = 0; w < 7; w++) {
            assertEquals(s.dispatched()[w], s.processed()[w], "worker " + w + " took only the packets it owns");
            assertTrue(s.dispatched()[w] > 0, "worker " + w + " owned packets");
        }
    }

    @Test
    void liveInputCountsWhatItCannotQueue() {
        final int batch = 2048;
        final PipelineConfig tiny = PipelineConfig.defaults().withWorkers(3)
                .withRing(PipelineConfig.minRingCapacity(batch), batch).withDropWhenFull(true);
        final PipelineStats s = run(tiny).pipeline();
        assertEquals(0, s.ringFullWaits());
        assertEquals(s.packetsRead(), sum(s.processed()) + s.notForFlows() + s.dropped(),
                "each packet reached its worker, was not for the flow table, or was dropped");
    }


    @Test
    void bothDirectionsHashAlike() {
        final java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 10_000; i++) {
            final long aHi = random.nextLong(), aLo = random.nextLong(), bHi = random.nextLong(), bLo = random.nextLong();
            final int ap = random.nextInt(65536), bp = random.nextInt(65536);
            final int h = FlowHash.of(17, aHi, aLo, ap, bHi, bLo, bp);
            assertEquals(h, FlowHash.of(17, bHi, bLo, bp, aHi, aLo, ap));
            assertTrue(h >= 0);
        }
    }

    private static AnalysisResult run(PipelineConfig config) {
        return new FileAnalysis(FlowTableConfig.defaults(), config.withProgress(false), VerdictIdentityTest.quiet()).run(FILES);
    }

    private static long sum(long[] values) {
        long s = 0;
        for (long v : values) {
            s += v;
        }
        return s;
    }
}
