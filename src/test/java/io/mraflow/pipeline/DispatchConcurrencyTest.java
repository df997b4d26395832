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
 * legal capacity, so the capture thread waits on full rings all the time. File input loses
 * nothing and the verdicts equal those of one worker with large rings; live input (drop when
 * full) accounts for every packet as either processed or dropped.
 */
class DispatchConcurrencyTest {
    private static final List<Path> FILES = List.of(Path.of("pcaps/mra-sample.pcapng"),
            Path.of("src/test/resources/captures/ndpi/FAX-Call-t38-CA-TDM-SIP-FB-1.pcap"),
            Path.of("src/test/resources/captures/ndpi/dns_fragmented.pcap"),
            Path.of("src/test/resources/captures/zeek/icmp/icmp-destunreach-udp.pcap"),
            Path.of("src/test/resources/captures/ndpi/whatsapp_voice_and_message.pcap"));

    @RepeatedTest(5)
    void tinyRingsManyWorkersLoseNothing() {
        final int payload = 64;
        // The same payload bound both ways: inspection sees the same bytes, only the rings differ.
        final AnalysisResult expected = run(PipelineConfig.defaults().withWorkers(1)
                .withRing(PipelineConfig.defaults().ringCapacity(), payload));
        final PipelineConfig tiny = PipelineConfig.defaults().withWorkers(7)
                .withRing(PipelineConfig.minRingCapacity(payload), payload);
        final AnalysisResult r = run(tiny);
        final PipelineStats s = r.pipeline();
        assertEquals(VerdictIdentityTest.jsonLines(expected.flows()), VerdictIdentityTest.jsonLines(r.flows()));
        assertTrue(s.ringFullWaits() > 0, "the rings were full at times: " + s.ringFullWaits());
        assertEquals(0, s.dropped());
        assertEquals(s.packetsRead() - s.notForFlows(), sum(s.dispatched()));
        for (int w = 0; w < 7; w++) {
            assertEquals(s.dispatched()[w], s.processed()[w], "worker " + w);
            assertTrue(s.dispatched()[w] > 0, "worker " + w + " got packets");
        }
    }

    @Test
    void liveInputCountsWhatItCannotQueue() {
        final int payload = 64;
        final PipelineConfig tiny = PipelineConfig.defaults().withWorkers(3)
                .withRing(PipelineConfig.minRingCapacity(payload), payload).withDropWhenFull(true);
        final PipelineStats s = run(tiny).pipeline();
        assertEquals(0, s.ringFullWaits());
        assertEquals(s.packetsRead() - s.notForFlows(), sum(s.dispatched()) + s.dropped());
        for (int w = 0; w < 3; w++) {
            assertEquals(s.dispatched()[w], s.processed()[w], "worker " + w);
        }
    }

    @Test
    void messageRoundTripKeepsEveryField() {
        final PacketView in = new PacketView();
        in.tsNanos = 1_700_000_000_123_456_789L;
        in.wireLen = 1514; in.capLen = 1500; in.status = 1; in.ipVersion = 6;
        in.srcHi = -1L; in.srcLo = 0x0123_4567_89ab_cdefL; in.dstHi = 42; in.dstLo = Long.MIN_VALUE;
        in.ipProto = 17; in.ipLen = 1480; in.tunnelDepth = 2; in.fragment = true; in.fragOffset = 0;
        in.moreFragments = true; in.fragId = 0xffff_ffffL; in.hasPorts = true; in.srcPort = 65535; in.dstPort = 5061;
        in.tcpFlags = 0xff; in.tcpSeq = 0xffff_fffeL; in.tcpAck = 7; in.tcpWindow = 65535; in.payloadLen = 1432;
        in.icmpType = 3; in.icmpCode = 13; in.icmpError = true; in.quotedProto = 6;
        in.quotedSrcHi = 1; in.quotedSrcLo = 2; in.quotedDstHi = 3; in.quotedDstLo = 4;
        in.quotedSrcPort = 40000; in.quotedDstPort = 443;
        final UnsafeBuffer packet = new UnsafeBuffer(new byte[100]);
        for (int i = 0; i < 100; i++) {
            packet.putByte(i, (byte) i);
        }
        in.buffer = packet; in.payloadOffset = 20; in.payloadCapLen = 80;
        final UnsafeBuffer ring = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
        final int payload = PacketMessageCodec.payloadBytes(in, 50);
        assertEquals(50, payload);
        PacketMessageCodec.encode(in, payload, 99, ring, 16);
        final PacketView out = new PacketView();
        PacketMessageCodec.decode(ring, 16, out);
        assertEquals(in.tsNanos, out.tsNanos);
        assertEquals(List.of(in.wireLen, in.capLen, in.status, in.ipVersion, in.ipProto, in.ipLen, in.tunnelDepth,
                        in.fragOffset, in.srcPort, in.dstPort, in.tcpFlags, in.tcpWindow, in.payloadLen, in.icmpType,
                        in.icmpCode, in.quotedProto, in.quotedSrcPort, in.quotedDstPort, 50),
                List.of(out.wireLen, out.capLen, out.status, out.ipVersion, out.ipProto, out.ipLen, out.tunnelDepth,
                        out.fragOffset, out.srcPort, out.dstPort, out.tcpFlags, out.tcpWindow, out.payloadLen, out.icmpType,
                        out.icmpCode, out.quotedProto, out.quotedSrcPort, out.quotedDstPort, out.payloadCapLen));
        assertEquals(List.of(in.srcHi, in.srcLo, in.dstHi, in.dstLo, in.fragId, in.tcpSeq, in.tcpAck,
                        in.quotedSrcHi, in.quotedSrcLo, in.quotedDstHi, in.quotedDstLo),
                List.of(out.srcHi, out.srcLo, out.dstHi, out.dstLo, out.fragId, out.tcpSeq, out.tcpAck,
                        out.quotedSrcHi, out.quotedSrcLo, out.quotedDstHi, out.quotedDstLo));
        assertEquals(List.of(true, true, true, true), List.of(out.fragment, out.moreFragments, out.hasPorts, out.icmpError));
        for (int i = 0; i < 50; i++) {
            assertEquals(packet.getByte(20 + i), out.buffer.getByte(out.payloadOffset + i));
        }
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
