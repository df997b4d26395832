package io.mraflow.e2e;

import io.mraflow.cli.ExitCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The diagnosis line of the sample, read against the flow lines of the same run: every stage
 * counts the flows whose row serves it, a failing stage's evidence are flows of that stage with a
 * failure finding, and a stage with flows but no failure is healthy. Which row serves which stage
 * is read from the port reference's table ({@code docs/MRA-PORTS.md} is its source), not from code.
 */
class DiagnosisLineTest {
    private static final Set<String> FAILURES = Set.of("TCP_UNANSWERED", "TCP_RESET", "ICMP_UNREACHABLE", "TLS_ALERT",
            "ONE_WAY_MEDIA", "RTP_LOSS", "RTP_JITTER");

    /** Row id to stage, from the {@code stage=} flags of {@code rules/mra-ports.tsv}. */
    private static Map<String, String> stageOfRow() throws Exception {
        final Map<String, String> m = new HashMap<>();
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("src/main/resources/rules/mra-ports.tsv"))) {
            final String[] c = line.split("\t", -1);
            if (line.startsWith("#") || c.length < 9) {
                continue;
            }
            for (String flag : c[8].split(";")) {
                if (flag.startsWith("stage=")) {
                    m.put(c[0], flag.substring(6));
                }
            }
        }
        return m;
    }

    private static List<Map<String, Object>> run(final String... args) {
        final AnalyzeDamagedInputTest.Run run = AnalyzeDamagedInputTest.analyze(args);
        assertEquals(ExitCode.OK, run.exit(), run.err());
        return JsonLines.parseAll(run.out());
    }

    @SuppressWarnings("unchecked")
    @Test
    void theSampleDiagnosisAgreesWithItsFlowLines() throws Exception {
        final List<Map<String, Object>> lines = run("--topology", "pcaps/mra-sample.topology", "--format", "json",
                "pcaps/mra-sample.pcapng");
        final Map<String, String> stageOf = stageOfRow();
        final Map<String, Integer> flows = new HashMap<>();
        final Map<String, Set<String>> failing = new HashMap<>();
        Map<String, Object> diagnosis = null;
        for (Map<String, Object> l : lines) {
            if ("diagnosis".equals(l.get("event_type"))) {
                diagnosis = l;
            }
            if (!"flow".equals(l.get("event_type")) || l.get("row") == null || !stageOf.containsKey(l.get("row"))) {
                continue;
            }
            final String stage = stageOf.get(l.get("row"));
            flows.merge(stage, 1, Integer::sum);
            for (Object x : (List<?>) l.get("findings")) {
                final Map<String, Object> f = (Map<String, Object>) x;
                final boolean resetAfterAnswer = f.get("code").equals("TCP_RESET") && !"REJ".equals(l.get("conn_state"))
                        && !"0".equals(l.get("resp_bytes"));
                if (FAILURES.contains(f.get("code")) && !resetAfterAnswer) {
                    failing.computeIfAbsent(stage, k -> new LinkedHashSet<>()).add((String) l.get("community_id"));
                }
            }
        }
        assertTrue(diagnosis != null, "a diagnosis line");
        String firstFailing = null;
        final List<String> order = new ArrayList<>();
        for (Object x : (List<?>) diagnosis.get("stages")) {
            final Map<String, Object> s = (Map<String, Object>) x;
            final String stage = (String) s.get("stage");
            order.add(stage);
            final int n = flows.getOrDefault(stage, 0);
            assertEquals(String.valueOf(n), s.get("flows"), stage);
            final Set<String> bad = failing.getOrDefault(stage, Set.of());
            if (!bad.isEmpty()) {
                assertEquals("failing", s.get("status"), stage);
                assertTrue(bad.containsAll((List<String>) s.get("evidence")), stage + ": evidence " + s.get("evidence") + " within " + bad);
                firstFailing = firstFailing == null ? stage : firstFailing;
            } else if (n > 0) {
                assertEquals("healthy", s.get("status"), stage);
            } else {
                assertTrue(Set.of("absent", "n/a").contains(s.get("status")), stage);
            }
        }
        assertEquals(List.of("dns", "edge-config", "sip-registration", "xmpp", "traversal", "on-prem", "turn", "media"), order);
        assertEquals(firstFailing, diagnosis.get("first_failing"));
        assertTrue(((String) diagnosis.get("cause")).contains("certificate_unknown (46)"), (String) diagnosis.get("cause"));
    }

    @SuppressWarnings("unchecked")
    @Test
    void withoutAnExpresswayNoStageCanBeJudged() {
        final List<Map<String, Object>> lines = run("--format", "json", "src/test/resources/captures/ndpi/rtp.pcapng");
        final Map<String, Object> diagnosis = lines.stream().filter(l -> "diagnosis".equals(l.get("event_type"))).findFirst().orElseThrow();
        for (Object x : (List<?>) diagnosis.get("stages")) {
            final Map<String, Object> s = (Map<String, Object>) x;
            assertEquals("n/a", s.get("status"), String.valueOf(s));
        }
        assertNull(diagnosis.get("first_failing"));
        assertNull(diagnosis.get("cause"));
    }

    @Test
    void theTextReportBeginsWithTheDiagnosis() {
        final AnalyzeDamagedInputTest.Run run = AnalyzeDamagedInputTest.analyze("--topology", "pcaps/mra-sample.topology",
                "pcaps/mra-sample.pcapng");
        final String[] lines = run.out().split("\n");
        assertEquals("diagnosis: first failing stage: on-prem", lines[0]);
        assertTrue(lines[1].startsWith("  cause: The Unified CM 10.10.30.10 ended the TLS handshake"), lines[1]);
    }
}
