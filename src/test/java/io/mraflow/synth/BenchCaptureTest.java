package io.mraflow.synth;

import io.mraflow.capture.CaptureFrames;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchCaptureTest {

    private static byte[] bench(final long packets, final long seed) throws Exception {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PcapngWriter w = new PcapngWriter(out)) {
            BenchCapture.generate(w, packets, seed);
        }
        return out.toByteArray();
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
}
