package io.mraflow.inspect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mraflow.synth.RtpPackets;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The per-stream timeline: a minute of 20 ms G.711 with every 100th packet dropped and a burst of
 * jitter in its 40th second fits {@link RtpTimeline#CAPACITY} buckets of 1 s (0.25 s doubled twice),
 * the buckets add up to the stream, the loss and the jitter sit in the buckets where they happened;
 * and the stream, its histogram and its timeline come back the same from the spill's encoding.
 */
class RtpTimelineTest {

    static final long START = 1_700_000_000_000_000_000L;
    static final int PACKETS = 3000;

    /** Feeds the minute of RTP; returns the flow state. */
    static FlowInspection minuteOfRtp() {
        final FlowInspection s = new FlowInspection(17);
        final PayloadInspector inspector = new PayloadInspector();
        for (int i = 0; i < PACKETS; i++) {
            if (i % 100 == 50) {
                continue; // lost
            }
            final byte[] p = RtpPackets.packet(RtpPackets.PT_PCMU, false, i, 160L * i, 0x1234, RtpPackets.G711_FRAME);
            // 40 s to 41 s: every other packet 15 ms late
            final long late = i >= 2000 && i < 2050 && (i & 1) == 0 ? 15_000_000L : 0;
            inspector.inspect(s, true, new UnsafeBuffer(p), 0, p.length, START + i * 20_000_000L + late);
        }
        return s;
    }

    @Test
    void aMinuteFitsInBucketsThatAddUpToTheStream() {
        final RtpStream st = minuteOfRtp().rtp(true);
        final RtpTimeline t = st.timeline();
        assertNotNull(t);
        assertEquals(1_000_000_000L, t.bucketWidthNanos());
        assertEquals(60, t.buckets());
        long packets = 0;
        long lost = 0;
        for (int i = 0; i < t.buckets(); i++) {
            packets += t.packets(i);
            lost += t.lost(i);
            // from the packet that ended probation, the second
            assertEquals(START + 20_000_000L + i * 1_000_000_000L, t.bucketStartNanos(i));
            // lost packet 100k + 50 is noticed when 100k + 51 arrives, 2k + 1 s after the timeline starts
            assertEquals(i % 2 == 1 ? 1 : 0, t.lost(i), "bucket " + i);
        }
        assertEquals(st.packets - 1, packets, "every packet from probation on");
        assertEquals(st.lost(), lost);
        assertEquals(30, lost);
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < t.buckets(); i++) {
            if (t.maxJitterMs(i) > worst) {
                worst = t.maxJitterMs(i);
                worstAt = i;
            }
        }
        assertEquals(40, worstAt);
        assertEquals(st.maxJitterMs(), worst, 0.05);
        assertTrue(t.maxJitterMs(10) < 1, "steady second: " + t.maxJitterMs(10));
    }

    @Test
    void noTimelineBeforeProbation() {
        final FlowInspection s = new FlowInspection(17);
        final byte[] p = RtpPackets.packet(RtpPackets.PT_PCMU, false, 1, 160, 0x1234, RtpPackets.G711_FRAME);
        new PayloadInspector().inspect(s, true, new UnsafeBuffer(p), 0, p.length, START);
        assertNull(s.rtpSources(true).stream(0).timeline());
        assertNull(s.rtpSources(true).stream(0).jitterHistogram());
    }

    @Test
    void theSpillCarriesTheStreamItsHistogramAndItsTimeline() {
        final FlowInspection s = minuteOfRtp();
        final RtpStream a = s.rtp(true);
        final RtpStream b = s.copy().rtp(true);
        assertEquals(java.util.List.of(a.ssrc, a.packets, a.expected(), a.lost(), a.duplicates(), a.seqErrors(), a.payloadType(),
                a.clockRate(), a.jitterMs(), a.maxJitterMs(), a.meanJitterMs(), a.maxDeltaMs(), a.meanDeltaMs()),
            java.util.List.of(b.ssrc, b.packets, b.expected(), b.lost(), b.duplicates(), b.seqErrors(), b.payloadType(),
                b.clockRate(), b.jitterMs(), b.maxJitterMs(), b.meanJitterMs(), b.maxDeltaMs(), b.meanDeltaMs()));
        assertEquals(a.jitterHistogram(), b.jitterHistogram());
        assertEquals(a.jitterPercentileMs(99), b.jitterPercentileMs(99));
        final RtpTimeline ta = a.timeline();
        final RtpTimeline tb = b.timeline();
        assertEquals(ta.buckets(), tb.buckets());
        assertEquals(ta.bucketWidthNanos(), tb.bucketWidthNanos());
        for (int i = 0; i < ta.buckets(); i++) {
            assertArrayEquals(new double[] {ta.bucketStartNanos(i), ta.packets(i), ta.lost(i), ta.maxJitterMs(i)},
                new double[] {tb.bucketStartNanos(i), tb.packets(i), tb.lost(i), tb.maxJitterMs(i)});
        }
    }
}
