package io.mraflow.e2e;

import io.mraflow.cli.ExitCode;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mraflow.synth.PcapWriter;
import io.mraflow.synth.RtpPackets;
import io.mraflow.synth.ScriptedCapture;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code RTP_JITTER} on a generated call: three bidirectional G.711 streams of 10 s, 20 ms apart,
 * one delivered steadily (each packet up to 0.5 ms late), one with each packet up to 100 ms late
 * (reordered at times, as a congested path delivers it), and one as late but with dynamic payload
 * type 96, whose clock rate only {@code --rtp-clock} gives. On the jittery call the originator
 * changes its SSRC halfway, and the responder sends an RTCP receiver report about it every 50
 * packets (multiplexed, RFC 5761). The finding names the jitter and the threshold, comes on the
 * jittery stream and not the steady one, follows {@code --rtp-jitter-max}, and the jitter it
 * reports is tshark's "Max Jitter" for the same stream; the report block is read back.
 */
class RtpJitterTest {
    static final long START = 1_772_442_000_000_000_000L;
    static final int PACKETS = 500;

    @TempDir
    static Path tmp;
    static Path capture;

    /** One packet to send: when, on which flow, which way. */
    private record Send(long nanos, ScriptedCapture.Udp flow, boolean fromOrig, byte[] payload) {
    }

    @BeforeAll
    static void writeCapture() throws IOException {
        capture = tmp.resolve("jitter.pcap");
        writeCall(capture);
    }

    /** Writes the three calls to {@code file} (the packet path's allocation test replays it too). */
    static void writeCall(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); PcapWriter pcap = new PcapWriter(out, false)) {
            final ScriptedCapture s = new ScriptedCapture(pcap, START, 13);
            final SplittableRandom rng = new SplittableRandom(13);
            final List<Send> sends = new ArrayList<>();
            stream(sends, s.udp("198.51.100.23", 52000, "203.0.113.10", 36002, 1000, "-", "-", "steady"),
                    RtpPackets.PT_PCMU, 500_000, false, rng);
            stream(sends, s.udp("198.51.100.23", 52002, "203.0.113.10", 36004, 1000, "-", "-", "jittery"),
                    RtpPackets.PT_PCMU, 100_000_000, true, rng);
            stream(sends, s.udp("198.51.100.23", 52004, "203.0.113.10", 36006, 1000, "-", "-", "jittery, dynamic"),
                    RtpPackets.PT_H264, 100_000_000, false, rng);
            sends.sort(Comparator.comparingLong(Send::nanos));
            for (Send x : sends) {
                x.flow().sendAt(x.nanos(), x.fromOrig(), x.payload(), x.payload().length);
            }
        }
    }

    /** RTCP receiver reports' block: 5/256 lost, 16 in all, jitter 160 (20 ms at 8 kHz). */
    static final int RR_FRACTION = 5;
    static final int RR_CUMULATIVE = 16;
    static final int RR_JITTER = 160;

    /**
     * Both ways of one call: packet i sent at 20 ms * i, arriving up to {@code maxLateNanos} later;
     * with {@code changes} the originator's SSRC changes halfway and the responder reports on it.
     */
    private static void stream(List<Send> sends, ScriptedCapture.Udp flow, int pt, long maxLateNanos, boolean changes,
                               SplittableRandom rng) {
        final int[] origSsrc = {rng.nextInt(), rng.nextInt()};
        final int respSsrc = rng.nextInt();
        for (boolean orig : new boolean[] {true, false}) {
            for (int i = 0; i < PACKETS; i++) {
                final int half = changes && i >= PACKETS / 2 ? 1 : 0;
                final int ssrc = orig ? origSsrc[half] : respSsrc;
                final byte[] p = RtpPackets.packet(pt, i == 0, 1000 + i, 160L * i, ssrc, RtpPackets.G711_FRAME);
                final long at = START + i * 20_000_000L + rng.nextLong(maxLateNanos);
                sends.add(new Send(at, flow, orig, p));
                if (changes && !orig && i % 50 == 49) {
                    sends.add(new Send(at + 1000, flow, false, RtpPackets.receiverReport(respSsrc, origSsrc[half],
                            RR_FRACTION, RR_CUMULATIVE, 1000 + i, RR_JITTER)));
                }
            }
        }
    }

    private static Map<String, Map<String, Object>> flowsByOrigPort(String... options) {
        final String[] args = new String[options.length + 4];
        System.arraycopy(options, 0, args, 0, options.length);
        System.arraycopy(new String[] {"--ports-only", "--format", "json", capture.toString()}, 0, args, options.length, 4);
        final AnalyzeDamagedInputTest.Run run = AnalyzeDamagedInputTest.analyze(args);
        assertEquals(ExitCode.OK, run.exit(), run.err());
        final Map<String, Map<String, Object>> flows = new HashMap<>();
        for (Map<String, Object> f : JsonLines.parse(run.out())) {
            if ("flow".equals(f.get("event_type"))) {
                // the flow's opener is whichever side's first packet came first: key by the caller's port
                flows.put(((String) f.get("orig_p")).startsWith("5200") ? (String) f.get("orig_p") : (String) f.get("resp_p"), f);
            }
        }
        assertEquals(3, flows.size());
        return flows;
    }

    private static String jitterMessage(Map<String, Object> flow) {
        for (Object x : (List<?>) flow.get("findings")) {
            final Map<?, ?> f = (Map<?, ?>) x;
            if ("RTP_JITTER".equals(f.get("code"))) {
                return (String) f.get("message");
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> streams(Map<String, Object> flow) {
        return (List<Map<String, Object>>) ((Map<String, Object>) flow.get("rtp")).get("streams");
    }

    @Test
    void jitteryRtpRaisesRtpJitterWithItsFigureAndTheThresholdAndSteadyRtpDoesNot() {
        final Map<String, Map<String, Object>> flows = flowsByOrigPort();
        assertNull(jitterMessage(flows.get("52000")), "steady: " + flows.get("52000"));
        final String msg = jitterMessage(flows.get("52002"));
        assertNotNull(msg, "jittery: " + flows.get("52002"));
        assertTrue(msg.contains("from the flow's first sender") && msg.contains("from the other side")
                && msg.endsWith("(reported from 30.0 ms on)"), msg);
        for (Map<String, Object> s : streams(flows.get("52002"))) {
            final String max = String.format(java.util.Locale.ROOT, "max %.1f ms (SSRC %s)",
                    Double.parseDouble((String) s.get("jitter_max_ms")), s.get("ssrc"));
            assertTrue(msg.contains(max), msg + " lacks " + max);
        }
        final List<Map<String, Object>> jittery = streams(flows.get("52002"));
        assertEquals(3, jittery.size(), "two sources from the originator, one back");
        assertEquals("1", ((Map<?, ?>) flows.get("52002").get("rtp")).get("ssrc_changes"));
        final String caller = "198.51.100.23".equals(flows.get("52002").get("orig_h")) ? "orig" : "resp";
        for (Map<String, Object> s : jittery) {
            final Map<?, ?> rtcp = (Map<?, ?>) s.get("rtcp");
            if (s.get("direction").equals(caller)) {
                assertEquals(List.of(Integer.toString(RR_FRACTION), Integer.toString(RR_CUMULATIVE), "20.0"),
                        List.of(rtcp.get("fraction_lost"), rtcp.get("cumulative_lost"), rtcp.get("jitter_ms")), s.toString());
            } else {
                assertNull(rtcp, "nothing reports on the responder's source");
            }
        }
        for (Map<String, Object> s : streams(flows.get("52000"))) {
            assertTrue(Double.parseDouble((String) s.get("jitter_max_ms")) < 1, s.toString());
            assertEquals(Integer.toString(PACKETS), s.get("packets"));
            assertEquals("0", s.get("lost"));
        }
        // PT 96: no clock rate, no jitter measured, no finding
        assertNull(jitterMessage(flows.get("52004")));
        assertNull(streams(flows.get("52004")).get(0).get("jitter_max_ms"));
    }

    @Test
    void rtpClockGivesDynamicPayloadTypesTheirJitterAndTheThresholdIsAnOption() {
        final Map<String, Map<String, Object>> clocked = flowsByOrigPort("--rtp-clock", "8000");
        assertNotNull(jitterMessage(clocked.get("52004")));
        assertEquals("8000", streams(clocked.get("52004")).get(0).get("clock_rate"));
        final Map<String, Map<String, Object>> lenient = flowsByOrigPort("--rtp-jitter-max", "500");
        assertNull(jitterMessage(lenient.get("52002")));
    }

    @Test
    void theJitterReportedIsTsharksMaxJitter() throws Exception {
        final Process p;
        try {
            p = new ProcessBuilder("tshark", "-n", "-q", "-r", capture.toString(), "-o", "rtp.heuristic_rtp:TRUE",
                    "-z", "rtp,streams").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            assumeTrue(false, "tshark is not installed (scripts/install-deps --test installs it)");
            throw e;
        }
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        final Map<String, Double> tsharkMax = new HashMap<>();
        for (String line : out.lines().toList()) {
            final String[] f = line.trim().split("\\s+");
            if (f.length > 7 && f[6].startsWith("0x") && !f[f.length - 2].equals("-1.000")) {
                // ... Min Jitter, Mean Jitter, Max Jitter [Problems?]
                final int last = f[f.length - 1].matches("-?[0-9.]+") ? f.length - 1 : f.length - 2;
                tsharkMax.put(f[6].toUpperCase(Locale.ROOT).replace("0X", "0x"), Double.parseDouble(f[last]));
            }
        }
        final Map<String, Map<String, Object>> flows = flowsByOrigPort();
        int compared = 0;
        for (String port : new String[] {"52000", "52002"}) {
            for (Map<String, Object> s : streams(flows.get(port))) {
                final Double theirs = tsharkMax.get((String) s.get("ssrc"));
                assertNotNull(theirs, s.get("ssrc") + " in " + out);
                final double ours = Double.parseDouble((String) s.get("jitter_max_ms"));
                assertTrue(Math.abs(ours - theirs) <= Math.max(0.1, theirs * 0.01), s.get("ssrc") + ": " + ours + " vs tshark " + theirs);
                compared++;
            }
        }
        assertEquals(5, compared);
    }
}
