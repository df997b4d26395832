package io.mraflow.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mraflow.synth.PcapWriter;
import io.mraflow.synth.ScriptedCapture;
import io.mraflow.synth.TlsRecords;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The details a troubleshooter acts on, checked against tshark on the same bytes: a fatal TLS
 * alert's name and which side sent it ({@code tls.alert_message.desc} and the sender of that
 * record), and which side reset a TCP connection (the sender of the conversation's first RST).
 */
class FailureDetailsTest {
    @TempDir
    Path tmp;

    /** tshark's fields, one line per packet matching {@code filter}. */
    private static List<String[]> tshark(final Path capture, final String filter, final String... fields)
            throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", capture.toString(), "-Y", filter, "-T", "fields"));
        for (String f : fields) {
            command.add("-e");
            command.add(f);
        }
        final Process p;
        try {
            p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            assumeTrue(false, "tshark is not installed (scripts/install-deps --test installs it)");
            throw e;
        }
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        final List<String[]> rows = new ArrayList<>();
        out.lines().filter(l -> !l.isBlank()).forEach(l -> rows.add(l.split("\t", -1)));
        return rows;
    }

    private static List<Map<String, Object>> flows(final Path capture, final String... options) {
        final String[] args = new String[options.length + 3];
        System.arraycopy(options, 0, args, 0, options.length);
        args[options.length] = "--format";
        args[options.length + 1] = "json";
        args[options.length + 2] = capture.toString();
        return JsonLines.parse(AnalyzeDamagedInputTest.analyze(args).out());
    }

    private static String message(final Map<String, Object> flow, final String code) {
        for (Object x : (List<?>) flow.get("findings")) {
            final Map<?, ?> f = (Map<?, ?>) x;
            if (code.equals(f.get("code"))) {
                return (String) f.get("message");
            }
        }
        return null;
    }

    private static String endpoint(final Map<String, Object> flow, final String side) {
        return flow.get(side + "_h") + ":" + flow.get(side + "_p"); // JsonLines keeps numbers as their text
    }

    @Test
    void aFatalAlertIsNamedWithItsSenderAsTsharkSaysOnBothSides() throws Exception {
        final Path file = tmp.resolve("alerts.pcap");
        try (OutputStream out = Files.newOutputStream(file); PcapWriter pcap = new PcapWriter(out, false)) {
            final ScriptedCapture s = new ScriptedCapture(pcap, 1_772_442_000_000_000_000L, 11);
            // the server rejects the client's certificate; a client rejects the server's
            s.tcp("10.10.20.10", 30312, "10.10.30.10", 6972, 300, "-", "-", "server alert")
                    .handshake().toServer(TlsRecords.clientHello("ucm.example.com", false, null, s.rng()))
                    .toClient(TlsRecords.serverHelloFlight(false, s.rng()))
                    .toClient(TlsRecords.alert(true, TlsRecords.ALERT_CERTIFICATE_UNKNOWN)).close();
            s.tcp("198.51.100.23", 51002, "203.0.113.10", 5061, 300, "-", "-", "client alert")
                    .handshake().toServer(TlsRecords.clientHello("expe.example.com", false, null, s.rng()))
                    .toClient(TlsRecords.serverHelloFlight(false, s.rng()))
                    .toServer(TlsRecords.alert(true, TlsRecords.ALERT_HANDSHAKE_FAILURE)).close();
        }
        final List<String[]> alerts = tshark(file, "tls.alert_message.level == 2", "ip.src", "tcp.srcport",
                "tls.alert_message.desc");
        assertEquals(2, alerts.size());
        final Map<String, String[]> bySender = new HashMap<>();
        alerts.forEach(a -> bySender.put(a[0] + ":" + a[1], a));
        final List<Map<String, Object>> flows = flows(file, "--ports-only");
        int checked = 0;
        for (Map<String, Object> f : flows) {
            final String msg = message(f, "TLS_ALERT");
            assertTrue(msg != null, f.toString());
            final String[] origAlert = bySender.get(endpoint(f, "orig"));
            final String[] respAlert = bySender.get(endpoint(f, "resp"));
            final String[] a = origAlert != null ? origAlert : respAlert;
            final String side = origAlert != null ? "opener" : "responder";
            final String name = io.mraflow.inspect.TlsAlert.name(Integer.parseInt(a[2]));
            assertTrue(msg.contains("alert " + name + " (" + a[2] + ") from the " + side + " "), msg + " vs tshark " + String.join(" ", a));
            assertTrue(msg.contains(side.equals("opener") ? (String) f.get("orig_h") : (String) f.get("resp_h")), msg);
            checked++;
        }
        assertEquals(2, checked);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pcaps/mra-sample.pcapng", "src/test/resources/captures/ndpi/webex.pcap",
        "src/test/resources/captures/ndpi/teams.pcap"})
    void theSideThatResetIsTheSenderOfTheFirstRstAsTsharkSays(final String capture) throws Exception {
        final Path file = Path.of(capture);
        final Map<String, String> firstRstFrom = new HashMap<>();
        for (String[] r : tshark(file, "tcp.flags.reset == 1", "ip.src", "tcp.srcport", "ip.dst", "tcp.dstport")) {
            final String a = r[0] + ":" + r[1];
            final String b = r[2] + ":" + r[3];
            firstRstFrom.putIfAbsent(a.compareTo(b) < 0 ? a + " " + b : b + " " + a, a);
        }
        int checked = 0;
        for (Map<String, Object> f : flows(file, "--ports-only")) {
            final String msg = message(f, "TCP_RESET");
            if (msg == null) {
                continue;
            }
            final String o = endpoint(f, "orig");
            final String r = endpoint(f, "resp");
            final String sender = firstRstFrom.get(o.compareTo(r) < 0 ? o + " " + r : r + " " + o);
            assertTrue(sender != null, "tshark sees no RST on " + o + " " + r);
            final String side = sender.equals(o) ? "opener" : "responder";
            assertTrue(msg.contains("was reset by the " + side + " after "), msg + "; tshark's first RST is from " + sender);
            assertTrue(msg.matches(".* after [0-9.]+ m?s and [0-9]+ payload bytes$"), msg);
            checked++;
        }
        assertTrue(checked > 0, capture + ": no reset checked");
    }
}
