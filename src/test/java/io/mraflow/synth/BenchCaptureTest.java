package io.mraflow.synth;

import io.mraflow.capture.CaptureFrames;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchCaptureTest {

    private static byte[] bench(final long packets, final long seed) throws Exception {
        return bench(packets, seed, BenchCapture.Mix.DEFAULT);
    }

    private static byte[] bench(final long packets, final long seed, final BenchCapture.Mix mix) throws Exception {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PcapngWriter w = new PcapngWriter(out)) {
            BenchCapture.generate(w, packets, seed, mix);
        }
        return out.toByteArray();
    }

    /** Source and destination address and port of an IPv4 UDP frame, the same either way round; null otherwise. */
    private static String udpFlow(final byte[] f) {
        if (f.length < 42 || (f[12] & 0xFF) != 0x08 || f[13] != 0 || f[23] != 17) {
            return null;
        }
        final int ihl = (f[14] & 0x0F) * 4;
        final long a = (f[26] & 0xFFL) << 40 | (f[27] & 0xFFL) << 32 | (f[28] & 0xFFL) << 24 | (f[29] & 0xFFL) << 16
            | (f[14 + ihl] & 0xFF) << 8 | f[15 + ihl] & 0xFF;
        final long b = (f[30] & 0xFFL) << 40 | (f[31] & 0xFFL) << 32 | (f[32] & 0xFFL) << 24 | (f[33] & 0xFFL) << 16
            | (f[16 + ihl] & 0xFF) << 8 | f[17 + ihl] & 0xFF;
        return Math.min(a, b) + "-" + Math.max(a, b);
    }

    @Test
    void sameSeedSameBytes() throws Exception {
        assertArrayEquals(bench(20_000, 3), bench(20_000, 3));
    }

    @Test
    void framesAreWellFormedAndInTimeOrder() throws Exception {
        final List<CaptureFrames.Frame> frames = CaptureFrames.read(bench(100_000, 1));
        assertEquals(100_000, frames.size());
        final FrameChecker checker = new FrameChecker();
        checker.checkAll(frames);
        assertTrue(checker.udp > 70_000, "udp " + checker.udp);
    }

    @Test
    void mixIsMostlyRtpWithAMeanFrameNearTwoHundredEightyFiveBytes() throws Exception {
        final ByteArrayOutputStream sink = new ByteArrayOutputStream();
        final BenchCapture.Stats stats;
        try (PcapngWriter w = new PcapngWriter(sink)) {
            stats = BenchCapture.generate(w, 300_000, 1);
        }
        assertEquals(300_000, stats.packets());
        assertTrue(stats.rtpPackets() > 0.75 * stats.packets(), stats.describe());
        assertTrue(stats.meanFrameLength() > 250 && stats.meanFrameLength() < 320, stats.describe());
        assertTrue(stats.flows() > 3000, stats.describe());
    }

    @Test
    void busyMixSameSeedSameBytesOtherSeedOtherBytes() throws Exception {
        final BenchCapture.Mix mix = BenchCapture.Mix.busy(300);
        assertArrayEquals(bench(20_000, 3, mix), bench(20_000, 3, mix));
        assertTrue(!Arrays.equals(bench(20_000, 3, mix), bench(20_000, 4, mix)));
    }

    @Test
    void defaultMixIsTheMixWithoutStreams() throws Exception {
        assertArrayEquals(bench(20_000, 5), bench(20_000, 5, new BenchCapture.Mix("default", 0, BenchCapture.SLOTS)));
    }

    /**
     * The busy mix on the wire: well-formed frames in time order; in a 20 ms tick every call sends
     * (at least nine in ten of the streams seen as distinct UDP flows); consecutive packets seldom
     * belong to the same flow (random phases); and the streams turn over (more calls than streams).
     */
    @Test
    void busyMixHoldsItsStreamsConcurrentInterleavedAndTurningOver() throws Exception {
        final int streams = 500; // 100,000 packets: about 1.8 s of traffic, longer than the shortest calls
        final ByteArrayOutputStream sink = new ByteArrayOutputStream();
        final BenchCapture.Stats stats;
        try (PcapngWriter w = new PcapngWriter(sink)) {
            stats = BenchCapture.generate(w, 100_000, 1, BenchCapture.Mix.busy(streams));
        }
        final List<CaptureFrames.Frame> frames = CaptureFrames.read(sink.toByteArray());
        assertEquals(100_000, frames.size());
        final FrameChecker checker = new FrameChecker();
        checker.checkAll(frames);

        final long t0 = frames.get(0).tsNanos();
        final long from = t0 + 200_000_000L;
        final Set<String> inTick = new HashSet<>();
        int pairs = 0;
        int sameFlowPairs = 0;
        String previous = null;
        for (CaptureFrames.Frame f : frames) {
            final String flow = udpFlow(f.data());
            if (f.tsNanos() >= from && f.tsNanos() < from + 20_000_000L) {
                if (flow != null) {
                    inTick.add(flow);
                }
                pairs++;
                if (flow != null && flow.equals(previous)) {
                    sameFlowPairs++;
                }
            }
            previous = flow;
        }
        assertTrue(inTick.size() >= streams * 9 / 10, inTick.size() + " UDP flows in a 20 ms tick");
        assertTrue(pairs > 1_000 && sameFlowPairs < pairs / 20, sameFlowPairs + " of " + pairs + " consecutive");
        assertTrue(stats.flowsByKind()[BenchCapture.RTP] > streams, stats.describe());
        assertTrue(stats.rtpPackets() > 0.85 * stats.packets(), stats.describe());
        assertEquals("busy", stats.mix());
    }
}
