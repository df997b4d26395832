package io.mraflow.e2e;

import io.mraflow.cli.ExitCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The diagnosis of each failure scenario in {@code pcaps/scenarios/}: the first failing stage is
 * the one the scenario's README (written with the generator, from the scenario's design) names,
 * the cause says what the field says of that failure, and the evidence is flows the generator
 * meant to fail (their {@code .flows.tsv} lines carry a failure finding). Each is run with the
 * scenario's topology, and again without one where the capture lets the roles be inferred.
 */
class ScenarioDiagnosisTest {
    private static final Path SCENARIOS = Path.of("pcaps/scenarios");
    private static final Set<String> FAILURES = Set.of("TCP_UNANSWERED", "TCP_RESET", "ICMP_UNREACHABLE", "TLS_ALERT",
            "ONE_WAY_MEDIA", "RTP_LOSS", "RTP_JITTER", "CISCO_UDS_OUTSIDE");

    /** The first failing stage the scenario's README names ({@code none} for none). */
    private static String expectedFirstFailing(final String scenario) throws IOException {
        for (String line : Files.readAllLines(SCENARIOS.resolve("README.md"))) {
            if (line.startsWith("| `" + scenario + "` |")) {
                final String[] cells = line.split("\\|");
                return cells[4].trim().replace("`", "");
            }
        }
        throw new AssertionError(scenario + " is not in pcaps/scenarios/README.md");
    }

    /** 5-tuples (either way round) the generator meant to fail. */
    private static Set<String> meantToFail(final String scenario) throws IOException {
        final Set<String> out = new HashSet<>();
        for (String line : Files.readAllLines(SCENARIOS.resolve(scenario + ".flows.tsv"))) {
            final String[] c = line.split("\t", -1);
            if (line.startsWith("#") || c.length < 7) {
                continue;
            }
            for (String code : c[6].split(",")) {
                if (FAILURES.contains(code.trim())) {
                    out.add(c[0] + " " + c[1] + ":" + c[2] + " " + c[3] + ":" + c[4]);
                    out.add(c[0] + " " + c[3] + ":" + c[4] + " " + c[1] + ":" + c[2]);
                }
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void check(final String scenario, final String cause, final boolean withTopology) throws IOException {
        final Path capture = SCENARIOS.resolve(scenario + ".pcapng");
        final AnalyzeDamagedInputTest.Run run = withTopology
                ? AnalyzeDamagedInputTest.analyze("--format", "json", "--topology",
                        SCENARIOS.resolve(scenario + ".topology").toString(), capture.toString())
                : AnalyzeDamagedInputTest.analyze("--format", "json", capture.toString());
        assertEquals(ExitCode.OK, run.exit(), run.err());
        final Map<String, String> tupleById = new HashMap<>();
        Map<String, Object> diagnosis = null;
        for (Map<String, Object> l : JsonLines.parseAll(run.out())) {
            if ("flow".equals(l.get("event_type"))) {
                tupleById.put((String) l.get("community_id"),
                        l.get("proto") + " " + l.get("orig_h") + ":" + l.get("orig_p") + " " + l.get("resp_h") + ":" + l.get("resp_p"));
            } else if ("diagnosis".equals(l.get("event_type"))) {
                diagnosis = l;
            }
        }
        final String how = scenario + (withTopology ? " with its topology" : " without a topology");
        assertTrue(diagnosis != null, how);
        final String expected = expectedFirstFailing(scenario);
        if (expected.equals("none")) {
            assertEquals(null, diagnosis.get("first_failing"), how + ": " + diagnosis);
            for (Object x : (List<?>) diagnosis.get("stages")) {
                assertFalse("failing".equals(((Map<String, Object>) x).get("status")), how + ": " + x);
            }
            return;
        }
        assertEquals(expected, diagnosis.get("first_failing"), how + ": " + diagnosis.get("cause"));
        final String said = (String) diagnosis.get("cause");
        for (String phrase : cause.split(";")) {
            assertTrue(said.contains(phrase.trim()), how + ": the cause should say '" + phrase.trim() + "': " + said);
        }
        final Set<String> meant = meantToFail(scenario);
        for (Object x : (List<?>) diagnosis.get("stages")) {
            final Map<String, Object> s = (Map<String, Object>) x;
            if (!s.get("stage").equals(expected)) {
                continue;
            }
            final List<String> evidence = (List<String>) s.get("evidence");
            assertFalse(evidence.isEmpty(), how);
            for (String id : evidence) {
                assertTrue(meant.contains(tupleById.get(id)), how + ": evidence " + tupleById.get(id) + " was not meant to fail");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "firewall-drops-5061  | are never answered; the outside firewall does not forward TCP 5061",
        "ssh-tunnel-refused   | refuses the SSH tunnel on TCP 2222; traversal zone",
        "one-way-audio        | nothing comes back from it; 10.10.40.21; inside firewall",
        "turn-relay-blocked   | TURN relay ports; ICMP unreachable; 24000-29999",
        "certificate-rejected | rejected the certificate; unknown_ca (48); trust or name problem",
        "cisco-uds-outside    | answers _cisco-uds._tcp.example.com SRV; resolve only inside; 198.51.100.23",
        "client-banned        | Only 198.51.100.99; intrusion protection",
        "healthy-call         | -",
    })
    void eachScenarioIsDiagnosedWithItsTopology(final String scenario, final String cause) throws IOException {
        check(scenario, cause, true);
    }

    /**
     * Without a topology the roles come from the traffic. Not for {@code certificate-rejected}:
     * no client completes a handshake with the Expressway-E there, so nothing shows an Expressway
     * (the report says so), and not for {@code cisco-uds-outside}, whose lone client reaches it once.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "firewall-drops-5061  | does not forward TCP 5061",
        "ssh-tunnel-refused   | refuses the SSH tunnel on TCP 2222",
        "one-way-audio        | nothing comes back from it",
        "turn-relay-blocked   | TURN relay ports",
        "client-banned        | intrusion protection",
        "healthy-call         | -",
    })
    void andWithRolesInferredFromTheTraffic(final String scenario, final String cause) throws IOException {
        check(scenario, cause, false);
    }
}
