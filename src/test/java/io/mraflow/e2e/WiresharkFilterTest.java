package io.mraflow.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mraflow.synth.PcapWriter;
import io.mraflow.synth.ScriptedCapture;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every finding's {@code wireshark_filter}, given to tshark on the same capture, selects exactly
 * the finding's flow: as many frames as the flow's {@code orig_pkts + resp_pkts}, and for
 * {@code ICMP_UNREACHABLE} also its {@code icmp_errors}. Captures: the sample (pcapng, IPv4,
 * ICMP unreachable) and third-party ones with findings: pcap and pcapng, IPv4 and IPv6, ICMPv6
 * unreachable, IPv6 fragments, IP-in-IP, GRE/ERSPAN, a 5-tuple reused over time. One tshark run
 * per capture counts the frames of every filter ({@code -z io,stat,0,FILTER,...}).
 */
class WiresharkFilterTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "pcaps/mra-sample.pcapng",
        "src/test/resources/captures/arkime/v6.pcap",
        "src/test/resources/captures/sngrep/ipv6frag.pcap",
        "src/test/resources/captures/sngrep/ipip.pcap",
        "src/test/resources/captures/heplify/erspan_sip_ipv4_udp.pcapng",
        "src/test/resources/captures/heplify/sip_ipv6_udp.pcap",
        "src/test/resources/captures/ndpi/sip.pcap",
    })
    void eachFindingsFilterSelectsExactlyItsFlowInTshark(final String capture) throws Exception {
        final String[] args = capture.startsWith("pcaps/")
                ? new String[] {"--format", "json", "--only", "findings", "--topology", "pcaps/mra-sample.topology", capture}
                : new String[] {"--format", "json", "--only", "findings", capture};
        final List<Map<String, Object>> flows = JsonLines.parse(AnalyzeDamagedInputTest.analyze(args).out());
        assertFalse(flows.isEmpty(), "the capture has findings");
        final Map<String, Long> expected = new LinkedHashMap<>();
        final Map<String, String> codes = new HashMap<>();
        for (Map<String, Object> flow : flows) {
            for (Object o : (List<?>) flow.get("findings")) {
                final Map<?, ?> finding = (Map<?, ?>) o;
                final String filter = (String) finding.get("wireshark_filter");
                long packets = Long.parseLong((String) flow.get("orig_pkts")) + Long.parseLong((String) flow.get("resp_pkts"));
                if (finding.get("code").equals("ICMP_UNREACHABLE")) {
                    final long errors = Long.parseLong((String) flow.get("icmp_errors"));
                    assertTrue(errors > 0, flow.toString());
                    packets += errors;
                }
                // The same flow's other findings share a filter (but for ICMP_UNREACHABLE's): one count each.
                assertEquals(packets, expected.merge(filter, packets, (x, y) -> x.equals(y) ? x : -1L), filter);
                codes.merge(filter, (String) finding.get("code"), (x, y) -> x + "," + y);
            }
        }
        final List<String> filters = new ArrayList<>(expected.keySet());
        final long[] counted = frames(Path.of(capture), filters);
        for (int i = 0; i < filters.size(); i++) {
            assertEquals(expected.get(filters.get(i)), counted[i], capture + " " + codes.get(filters.get(i)) + ": " + filters.get(i));
        }
    }

    /**
     * The brief's trap: {@code 10.0.0.1:50123 <-> 192.0.2.7:5061} and {@code 10.0.0.1:5061 <->
     * 192.0.2.7:50123} at the same time are two flows, which {@code ip.addr && tcp.port} filters
     * cannot tell apart; each finding's filter selects its own flow's packets only.
     */
    @Test
    void crossedPortsBetweenTheSameHostsAreTwoFlowsEachWithItsOwnFilter() throws Exception {
        final Path file = tmp.resolve("crossed.pcap");
        try (OutputStream out = Files.newOutputStream(file); PcapWriter pcap = new PcapWriter(out, false)) {
            final ScriptedCapture s = new ScriptedCapture(pcap, 1_772_442_000_000_000_000L, 13);
            final ScriptedCapture.Udp a = s.udp("10.0.0.1", 50123, "192.0.2.7", 5061, 2000, "-", "UNDOCUMENTED", "one way");
            final ScriptedCapture.Udp b = s.udp("10.0.0.1", 5061, "192.0.2.7", 50123, 2000, "-", "UNDOCUMENTED", "crossed");
            final byte[] payload = new byte[40];
            for (int i = 0; i < 3; i++) {
                a.send(true, payload).send(false, payload);
                b.send(true, payload);
            }
            b.send(false, payload);
        }
        final List<Map<String, Object>> flows = JsonLines.parse(
                AnalyzeDamagedInputTest.analyze("--format", "json", "--only", "findings", file.toString()).out());
        assertEquals(2, flows.size(), flows.toString());
        final List<String> filters = new ArrayList<>();
        for (Map<String, Object> flow : flows) {
            filters.add((String) ((Map<?, ?>) ((List<?>) flow.get("findings")).get(0)).get("wireshark_filter"));
        }
        assertArrayEquals(new long[] {6, 4}, frames(file, filters), filters.toString());
    }

    /** How many frames of {@code capture} tshark selects with each of {@code filters}, in one run. */
    static long[] frames(final Path capture, final List<String> filters) throws IOException, InterruptedException {
        final Process p;
        try {
            p = new ProcessBuilder("tshark", "-n", "-q", "-r", capture.toString(), "-z", "io,stat,0," + String.join(",", filters))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            assumeTrue(false, "tshark is not installed (scripts/install-deps --test installs it)");
            throw e;
        }
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "tshark accepts the filters:\n" + out);
        // The one interval's row: "| 0.0 <> 26.3 | frames | bytes | frames | bytes | ...", a pair per filter.
        final String row = out.lines().filter(l -> l.contains("<>")).reduce((a, b) -> b).orElseThrow(() -> new AssertionError(out));
        final String[] cells = row.split("\\|");
        final long[] frames = new long[filters.size()];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = Long.parseLong(cells[2 + 2 * i].trim());
        }
        return frames;
    }
}
