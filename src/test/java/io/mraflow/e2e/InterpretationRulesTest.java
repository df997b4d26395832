package io.mraflow.e2e;

import io.mraflow.cli.ExitCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.mraflow.synth.PcapWriter;
import io.mraflow.synth.RtpPackets;
import io.mraflow.synth.ScriptedCapture;
import io.mraflow.synth.StunMessages;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two rules of the port reference's Interpretation that take more than one flow: an RTCP flow
 * belongs to the side that opened its paired RTP flow, and T1.1 is claimed on ICE checks between
 * the two addresses before the flow, on whatever ports they ran. Generated captures, analysed
 * end to end with the sample's topology.
 */
class InterpretationRulesTest {
    private static final String EXPE_PRIVATE = "172.16.10.10";
    private static final String EXPC = "10.10.20.10";
    private static final String CLIENT_A = "198.51.100.23";
    private static final String CLIENT_B = "192.0.2.44";
    private static final String CLIENT_C = "192.0.2.90";
    private static final long START = 1_772_441_200_000_000_000L;

    @TempDir
    Path tmp;

    private List<Map<String, Object>> analyze(final Path capture) throws IOException {
        final Path topology = Path.of("pcaps/mra-sample.topology");
        final AnalyzeDamagedInputTest.Run run = AnalyzeDamagedInputTest.analyze("--topology", topology.toString(),
                "--format", "json", capture.toString());
        assertEquals(ExitCode.OK, run.exit(), run.err());
        return JsonLines.parse(run.out()).stream().filter(m -> "flow".equals(m.get("event_type"))).toList();
    }

    private static Map<String, Object> flow(final List<Map<String, Object>> flows, final String a, final int aPort) {
        for (Map<String, Object> f : flows) {
            if ((a.equals(f.get("orig_h")) && String.valueOf(aPort).equals(f.get("orig_p")))
                    || (a.equals(f.get("resp_h")) && String.valueOf(aPort).equals(f.get("resp_p")))) {
                return f;
            }
        }
        return null;
    }

    /** {@code n} RTP packets every 20 ms from one side of {@code u}. */
    private static void rtp(final ScriptedCapture cap, final ScriptedCapture.Udp u, final boolean fromOrig, final int n,
                            final int ssrc) {
        for (int i = 0; i < n; i++) {
            final byte[] p = RtpPackets.packet(RtpPackets.PT_PCMU, i == 0, 1000 + i, 160L * i, ssrc, RtpPackets.G711_FRAME);
            u.sendAt(cap.now() + 20_000_000L, fromOrig, p, p.length);
        }
    }

    @Test
    void anRtcpFlowBelongsToTheSideThatOpenedItsRtpFlow() throws IOException {
        final Path capture = tmp.resolve("rtcp.pcap");
        try (OutputStream os = Files.newOutputStream(capture); PcapWriter w = new PcapWriter(os, true)) {
            final ScriptedCapture cap = new ScriptedCapture(w, START, 7);
            final ScriptedCapture.Udp media = cap.udp(EXPC, 36100, EXPE_PRIVATE, 36000, 600, "T3.3", "-", "traversal RTP, C first");
            // The E's receiver report comes first: by first packet alone the RTCP flow is the E's, the wrong way.
            final ScriptedCapture.Udp rtcp = cap.udp(EXPE_PRIVATE, 36001, EXPC, 36101, 600, "T3.3", "-", "its RTCP, E first");
            rtp(cap, media, true, 5, 0x1111);
            final byte[] rrFromE = RtpPackets.senderReport(0x2222, cap.now(), 800, 5, 800, "expe@example.com");
            rtcp.sendAt(cap.now() + 1_000_000L, true, rrFromE, rrFromE.length);
            rtp(cap, media, false, 5, 0x2222);
            final byte[] srFromC = RtpPackets.senderReport(0x1111, cap.now(), 800, 5, 800, "expc@example.com");
            rtcp.sendAt(cap.now() + 1_000_000L, false, srFromC, srFromC.length);
        }
        final List<Map<String, Object>> flows = analyze(capture);
        final Map<String, Object> rtcp = flow(flows, EXPC, 36101);
        assertNotNull(rtcp);
        assertEquals("rtcp", rtcp.get("app_proto"));
        assertEquals(EXPC, rtcp.get("orig_h"), "the RTCP flow is the C's, as its RTP flow: " + rtcp);
        assertEquals("36101", rtcp.get("orig_p"));
        assertEquals("T3.3", rtcp.get("row"));
        assertEquals(List.of(), rtcp.get("findings"), "no WRONG_DIRECTION: " + rtcp);
    }

    @Test
    void t11IsClaimedOnIceChecksBetweenTheTwoAddressesBeforeTheFlow() throws IOException {
        final Path capture = tmp.resolve("ice.pcap");
        try (OutputStream os = Files.newOutputStream(capture); PcapWriter w = new PcapWriter(os, true)) {
            final ScriptedCapture cap = new ScriptedCapture(w, START, 11);
            // Before any check: media between A and B is not yet ICE passthrough by evidence.
            rtp(cap, cap.udp(CLIENT_A, 52030, CLIENT_B, 40130, 40_000, "-", "UNDOCUMENTED", "before the checks"), true, 12, 0x3333);
            // The checks, on one candidate pair
            final ScriptedCapture.Udp checks = cap.udp(CLIENT_A, 52012, CLIENT_B, 40102, 40_000, "T1.1", "-", "ICE checks");
            final StunMessages check = StunMessages.begin(StunMessages.BINDING_REQUEST, cap.rng())
                    .text(StunMessages.ATTR_USERNAME, "fB3k:aX9q").u32(StunMessages.ATTR_PRIORITY, 1853824767)
                    .u64(StunMessages.ATTR_ICE_CONTROLLING, 0x1A2B3C4D5E6F7081L);
            final byte[] tx = check.transactionId();
            checks.send(true, check.finish(null));
            checks.send(false, StunMessages.respond(StunMessages.BINDING_SUCCESS, tx).finish(null));
            // ... then media and its RTCP on the next ports, without checks of their own
            rtp(cap, cap.udp(CLIENT_A, 52014, CLIENT_B, 40104, 40_000, "T1.1", "-", "media after the checks"), true, 12, 0x4444);
            // ... and media between A and a third client, never checked
            rtp(cap, cap.udp(CLIENT_A, 52016, CLIENT_C, 40106, 40_000, "-", "UNDOCUMENTED", "no checks with C"), true, 12, 0x5555);
        }
        final List<Map<String, Object>> flows = analyze(capture);
        assertEquals("T1.1", flow(flows, CLIENT_A, 52014).get("row"), "checks between A and B came first");
        assertEquals(null, flow(flows, CLIENT_A, 52030).get("row"), "media before the checks has no ICE evidence");
        assertEquals(null, flow(flows, CLIENT_A, 52016).get("row"), "no checks between A and C");
        assertEquals("T1.1", flow(flows, CLIENT_A, 52012).get("row"));
    }
}
