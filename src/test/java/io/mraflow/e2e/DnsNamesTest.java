package io.mraflow.e2e;

import io.mraflow.cli.ExitCode;
import io.mraflow.e2e.AnalyzeDamagedInputTest.Run;
import io.mraflow.synth.DnsMessages;
import io.mraflow.synth.PcapWriter;
import io.mraflow.synth.ScriptedCapture;
import io.mraflow.synth.TlsRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.mraflow.e2e.AnalyzeDamagedInputTest.analyze;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Generated captures for what DNS answers mean to the report: a Table 5 (CLOUD) row matched by
 * the name a DNS answer gave the address, without SNI; and the {@code _cisco-uds} SRV record
 * answered to a client outside, which is a finding, but not to a client inside.
 */
class DnsNamesTest {
    private static final String EXPE = "203.0.113.10";
    private static final String RESOLVER = "198.51.100.53";
    private static final String CLOUD = "198.51.100.80";

    @TempDir
    Path tmp;

    @Test
    void aTlsFlowWithoutSniToAnAddressADnsAnswerNamedIsTheCloudRowOfThatName() throws IOException {
        final Path topology = Files.writeString(tmp.resolve("t.topology"), "EXPE_PUBLIC " + EXPE + "\n");
        for (String workers : List.of("1", "2")) {
            final Run r = analyze("--format", "json", "--workers", workers, "--topology", topology.toString(),
                    cloudCapture(true).toString());
            assertEquals(ExitCode.OK, r.exit(), r.err());
            final String tls = line(r, "\"resp_p\":443");
            assertTrue(tls.contains("\"row\":\"T5.1\""), tls);
            assertTrue(tls.contains("\"sni\":null"), tls);
            assertTrue(tls.contains("\"server_name\":\"fos-a.wbx2.com\""), tls);
            final String dns = line(r, "\"resp_p\":53");
            assertTrue(dns.contains("\"app_proto\":\"dns\""), dns);
            assertTrue(dns.contains("\"dns_query\":\"fos-a.wbx2.com A\""), dns);
            assertTrue(dns.contains("\"dns_answers\":[\"fos-a.edge.example.net\",\"198.51.100.80\"]"), dns);
        }
        final Run text = analyze("--topology", topology.toString(), cloudCapture(true).toString());
        assertTrue(text.out().contains("T5.1") && text.out().contains("  name fos-a.wbx2.com"), text.out());
    }

    @Test
    void withoutTheDnsAnswerTheSameFlowFitsNoCloudRow() throws IOException {
        final Path topology = Files.writeString(tmp.resolve("t.topology"), "EXPE_PUBLIC " + EXPE + "\n");
        final Run r = analyze("--format", "json", "--topology", topology.toString(), cloudCapture(false).toString());
        final String tls = line(r, "\"resp_p\":443");
        assertFalse(tls.contains("\"row\":\"T5.1\""), tls);
        assertTrue(tls.contains("\"server_name\":null"), tls);
    }

    @Test
    void ciscoUdsAnsweredToAnOutsideClientIsAFindingNamingClientServerAndAnswer() throws IOException {
        final Run r = analyze("--format", "json", udsCapture("192.0.2.77").toString());
        assertEquals(ExitCode.OK, r.exit(), r.err());
        final String dns = line(r, "\"resp_p\":53");
        assertTrue(dns.contains("\"code\":\"CISCO_UDS_OUTSIDE\""), dns);
        assertTrue(dns.contains("192.0.2.77, outside, resolved _cisco-uds._tcp.example.com SRV through the DNS server "
                + RESOLVER + ":53 and got 10 50 8443 cucm1.example.com"), dns);
        final Run text = analyze(udsCapture("192.0.2.77").toString());
        assertTrue(text.out().contains("HIGH CISCO_UDS_OUTSIDE"), text.out());
    }

    @Test
    void ciscoUdsAnsweredInsideIsNoFinding() throws IOException {
        final Run privateClient = analyze("--format", "json", udsCapture("10.1.2.3").toString());
        assertFalse(line(privateClient, "\"resp_p\":53").contains("CISCO_UDS_OUTSIDE"), privateClient.out());
        // a public address the topology binds to an inside role is inside
        final Path topology = Files.writeString(tmp.resolve("t.topology"), "EXPC 192.0.2.77\n");
        final Run named = analyze("--format", "json", "--topology", topology.toString(), udsCapture("192.0.2.77").toString());
        assertFalse(line(named, "\"resp_p\":53").contains("CISCO_UDS_OUTSIDE"), named.out());
    }

    @Test
    void namesFromTheWireAreEscapedInBothFormats() throws IOException {
        final Path file = tmp.resolve("escape.pcap");
        final String name = "evil\u202e.line\nbreak.example.com";
        try (OutputStream out = Files.newOutputStream(file); PcapWriter pcap = new PcapWriter(out, false)) {
            final ScriptedCapture s = new ScriptedCapture(pcap, 1_700_000_000_000_000_000L, 6);
            s.udp("10.1.2.3", 40_003, RESOLVER, 53, 2_000, null, null, null)
                    .send(true, DnsMessages.query(11, name, 5))
                    .send(false, DnsMessages.response(11, name, 5, DnsMessages.cname(name, 300, "x\u2028y.example.com")));
        }
        final Run json = analyze("--format", "json", file.toString());
        final String dns = line(json, "\"resp_p\":53");
        assertTrue(dns.contains("\"dns_query\":\"evil\\u202E.line\\nbreak.example.com CNAME\""), dns);
        assertTrue(dns.contains("\"dns_answers\":[\"x\\u2028y.example.com\"]"), dns);
        final Run text = analyze(file.toString());
        assertTrue(text.out().contains("  dns evil\\u202e.line\\x0abreak.example.com CNAME -> x\\u2028y.example.com"), text.out());
        assertFalse(text.out().contains("\u202e") || text.out().contains("\u2028") || json.out().contains("\u202e"),
                "raw format characters in a report");
    }

    private static String line(Run r, String marker) {
        return r.jsonLines().stream().filter(l -> l.contains(marker)).findFirst()
                .orElseThrow(() -> new AssertionError("no flow line with " + marker + " in\n" + r.out()));
    }

    /** EXPE looks up fos-a.wbx2.com (a CNAME, then the address), then opens TLS to it without SNI. */
    private Path cloudCapture(boolean withDns) throws IOException {
        final Path file = tmp.resolve("cloud-" + withDns + ".pcap");
        try (OutputStream out = Files.newOutputStream(file); PcapWriter pcap = new PcapWriter(out, false)) {
            final ScriptedCapture s = new ScriptedCapture(pcap, 1_700_000_000_000_000_000L, 3);
            if (withDns) {
                s.udp(EXPE, 40_001, RESOLVER, 53, 2_000, null, null, null)
                        .send(true, DnsMessages.query(7, "fos-a.wbx2.com", 1))
                        .send(false, DnsMessages.response(7, "fos-a.wbx2.com", 1, DnsMessages.cname("fos-a.wbx2.com", 300, "fos-a.edge.example.net"), DnsMessages.a("fos-a.edge.example.net", 300, "198.51.100.80")));
            }
            s.advanceMicros(50_000);
            s.tcp(EXPE, 30_500, CLOUD, 443, 2_000, null, null, null)
                    .handshake()
                    .toServer(TlsRecords.clientHello(null, true, null, s.rng()))
                    .toClient(TlsRecords.serverHelloFlight(true, s.rng()))
                    .close();
        }
        return file;
    }

    /** {@code client} asks for the _cisco-uds SRV record and gets it. */
    private Path udsCapture(String client) throws IOException {
        final Path file = tmp.resolve("uds-" + client + ".pcap");
        try (OutputStream out = Files.newOutputStream(file); PcapWriter pcap = new PcapWriter(out, false)) {
            final ScriptedCapture s = new ScriptedCapture(pcap, 1_700_000_000_000_000_000L, 5);
            final String name = "_cisco-uds._tcp.example.com";
            s.udp(client, 40_002, RESOLVER, 53, 2_000, null, null, null)
                    .send(true, DnsMessages.query(9, name, 33))
                    .send(false, DnsMessages.response(9, name, 33, DnsMessages.srv(name, 300, 10, 50, 8443, "cucm1.example.com")));
        }
        return file;
    }
}
