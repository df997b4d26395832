package io.mraflow.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mraflow.synth.PcapWriter;
import io.mraflow.synth.ScriptedCapture;
import io.mraflow.synth.SshPackets;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Captures from other projects that hold no Expressway at all (WebRTC and VoIP calls, TURN,
 * ordinary web traffic): without a topology, no flow gets a row of the MRA port reference by
 * coincidence of ports, every flow is UNDOCUMENTED, and the report says that no Expressway was
 * inferred. Before, a WhatsApp call's TURN flows were "T2.4, RTP/RTCP media", a Google Meet call
 * "T4.18" and "T3.5", HTTPS to Webex 46 findings citing T4.10, and HTTP from a client's port 5060
 * a high WRONG_DIRECTION.
 */
class ForeignCapturesTest {
    private static final Path CAPTURES = Path.of("src/test/resources/captures");

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {
        "ndpi/stun_wa_call.pcapng",          // WhatsApp call: TURN to :3478
        "ndpi/stun_dtls_rtp.pcapng",         // Google Meet: STUN to :19305, DTLS, RTP
        "ndpi/webex.pcap",                   // HTTPS to a Webex host
        "ndpi/http_on_sip_port.pcap",        // HTTP from a client whose port is 5060
        "ndpi/google_meet.pcapng",
        "ndpi/stun_google_meet.pcapng",
        "ndpi/stun_signal.pcapng",           // Signal call, media in 36000-59999
        "ndpi/stun_zoom.pcapng",
        "ndpi/stun_msteams_unidir.pcapng",
        "ndpi/teams.pcap",                   // Microsoft Teams: TURN channel data, RTP, TLS
        "ndpi/whatsapp_voice_and_message.pcap",
        "ndpi/rtp.pcapng",
        "ndpi/tls-appdata.pcap",             // ordinary web traffic
        "ndpi/tls_esni_sni_both.pcap",
        "arkime/stun-ice-testcall.pcap",
    })
    void withoutATopologyNoFlowGetsARow(final String capture) {
        final Path file = CAPTURES.resolve(capture);
        final AnalyzeDamagedInputTest.Run json = AnalyzeDamagedInputTest.analyze("--format", "json", file.toString());
        final List<Map<String, Object>> flows = JsonLines.parse(json.out());
        assertTrue(!flows.isEmpty(), capture + ": no flows; " + json.err());
        final List<String> wrong = new ArrayList<>();
        for (Map<String, Object> f : flows) {
            final List<String> codes = ((List<?>) f.get("findings")).stream()
                    .map(x -> (String) ((Map<?, ?>) x).get("code")).toList();
            if (f.get("row") != null || !codes.contains("UNDOCUMENTED") || !"none".equals(f.get("basis"))
                    || !"low".equals(f.get("confidence"))) {
                wrong.add(f.get("proto") + " " + f.get("orig_h") + ":" + f.get("orig_p") + " -> " + f.get("resp_h") + ":"
                        + f.get("resp_p") + " row=" + f.get("row") + " basis=" + f.get("basis") + " " + codes);
            }
        }
        assertTrue(wrong.isEmpty(), capture + ":\n" + String.join("\n", wrong));
        final AnalyzeDamagedInputTest.Run text = AnalyzeDamagedInputTest.analyze(file.toString());
        assertTrue(text.out().contains("roles: no Expressway inferred"), text.out());
    }

    /**
     * SSH on port 443 beside TLS on 443, no Expressway known: both UNDOCUMENTED with no row, and the
     * SSH flow, a known protocol on a port where the reference documents TLS only, is also a
     * PROTOCOL_MISMATCH (it was a low SOURCE_PORT_OUTSIDE_RANGE, the same verdict as the TLS flow).
     */
    @Test
    void sshOnATlsPortIsAProtocolMismatch() throws IOException {
        final Path file = tmp.resolve("ssh-and-tls-on-443.pcap");
        try (OutputStream out = Files.newOutputStream(file); PcapWriter pcap = new PcapWriter(out, false)) {
            final ScriptedCapture s = new ScriptedCapture(pcap, 1_772_442_000_000_000_000L, 7);
            final SplittableRandom rng = s.rng();
            s.tcp("198.51.100.9", 50100, "203.0.113.80", 443, 20_000, "-", "UNDOCUMENTED,PROTOCOL_MISMATCH", "ssh on 443")
                    .handshake().toClient(SshPackets.banner("OpenSSH_9.6")).toServer(SshPackets.banner("OpenSSH_9.6"))
                    .toServer(SshPackets.kexInit(rng)).toClient(SshPackets.kexInit(rng)).close();
            s.tcp("198.51.100.9", 50101, "203.0.113.80", 443, 20_000, "-", "UNDOCUMENTED", "tls on 443")
                    .handshake().tlsHandshake("www.example.org", true, "h2").tlsExchange(2, 300, 1200).close();
        }
        final List<Map<String, Object>> flows = JsonLines.parse(
                AnalyzeDamagedInputTest.analyze("--format", "json", file.toString()).out());
        assertEquals(2, flows.size());
        final Map<String, Object> ssh = flows.get(0);
        final Map<String, Object> tls = flows.get(1);
        assertEquals("ssh", ssh.get("app_proto"));
        assertEquals("tls", tls.get("app_proto"));
        assertEquals(List.of("PROTOCOL_MISMATCH", "UNDOCUMENTED"), codes(ssh));
        assertEquals(List.of("UNDOCUMENTED"), codes(tls));
        assertEquals(null, ssh.get("row"));
        assertEquals(null, tls.get("row"));
    }

    private static List<String> codes(final Map<String, Object> flow) {
        return ((List<?>) flow.get("findings")).stream().map(x -> (String) ((Map<?, ?>) x).get("code")).sorted().toList();
    }
}
