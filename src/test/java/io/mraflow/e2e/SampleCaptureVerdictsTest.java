package io.mraflow.e2e;

import java.util.Locale;

import io.mraflow.cli.ExitCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sample capture (pcaps/mra-sample.pcapng, a complete MRA login and call made by
 * io.mraflow.synth.MraSampleCapture): its verdicts equal the golden file, the golden file
 * agrees with what the generator meant each flow to be (pcaps/mra-sample.flows.tsv, written by
 * the generator, not by the classifier), and role inference without the topology file recovers
 * every role and then gives the same verdicts.
 */
class SampleCaptureVerdictsTest {
    static final Path SAMPLE = Path.of("pcaps/mra-sample.pcapng");
    static final Path TOPOLOGY = Path.of("pcaps/mra-sample.topology");
    static final Path GOLDEN = Path.of("pcaps/mra-sample.verdicts.jsonl");
    static final Path INTENT = Path.of("pcaps/mra-sample.flows.tsv");

    @TempDir
    Path tmp;

    @Test
    void verdictsWithTheTopologyEqualTheGoldenFile() throws IOException {
        AnalyzeDamagedInputTest.Run r = AnalyzeDamagedInputTest.analyze(
                "--format", "json", "--topology", TOPOLOGY.toString(), SAMPLE.toString());
        assertEquals(ExitCode.OK, r.exit(), r.err());
        assertEquals(Files.readString(GOLDEN), r.out(),
                "verdicts differ from " + GOLDEN + " (remake it with: scripts/mraflow analyze --format json --topology "
                        + TOPOLOGY + " " + SAMPLE + " > " + GOLDEN + ", after checking the change is right)");
    }

    @Test
    void goldenFileAgreesWithTheGeneratorsIntent() throws IOException {
        Map<String, Map<String, Object>> golden = byTuple(JsonLines.parse(Files.readString(GOLDEN)));
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (String line : Files.readAllLines(INTENT)) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] c = line.split("\t");
            String tuple = c[0] + " " + c[1] + ":" + c[2] + " " + c[3] + ":" + c[4];
            Map<String, Object> v = golden.get(tuple);
            checked++;
            if (v == null) {
                problems.add(tuple + ": no such flow (or opened the other way)");
                continue;
            }
            Set<String> intended = c[6].equals("-") ? Set.of() : new TreeSet<>(List.of(c[6].split(",")));
            Set<String> found = findings(v).stream().map(f -> (String) f.get("code")).collect(Collectors.toCollection(TreeSet::new));
            if (!intended.equals(found)) {
                problems.add(tuple + ": findings " + found + ", intended " + intended);
            }
            Set<String> rowsCited = new TreeSet<>();
            if (v.get("row") != null) {
                rowsCited.add((String) v.get("row"));
            }
            findings(v).stream().map(f -> (String) f.get("row")).filter(x -> x != null).forEach(rowsCited::add);
            boolean rowOk = c[5].equals("-") ? rowsCited.isEmpty() : rowsCited.contains(c[5]);
            if (!rowOk) {
                problems.add(tuple + ": row " + v.get("row") + " citing " + rowsCited + ", intended " + c[5]);
            }
        }
        assertEquals(golden.size(), checked, "every flow of the capture is described in " + INTENT);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void roleInferenceRecoversEveryRoleAndTheSameVerdicts() throws IOException {
        Path saved = tmp.resolve("inferred.topology");
        AnalyzeDamagedInputTest.Run r = AnalyzeDamagedInputTest.analyze(
                "--format", "json", "--save-topology", saved.toString(), SAMPLE.toString());
        assertEquals(ExitCode.OK, r.exit(), r.err());

        Map<String, Set<String>> given = rolesOf(Files.readAllLines(TOPOLOGY));
        Map<String, Set<String>> inferred = rolesOf(Files.readAllLines(saved));
        assertEquals(given.keySet(), inferred.keySet(), "the same roles");
        for (String role : given.keySet()) {
            for (String address : inferred.get(role)) {
                String a = address.replaceAll("/(32|128)$", "");
                assertTrue(given.get(role).stream().anyMatch(block -> inBlock(a, block)),
                        role + " " + address + " is not in the topology file's " + given.get(role));
            }
        }

        List<Map<String, Object>> golden = JsonLines.parse(Files.readString(GOLDEN));
        List<Map<String, Object>> ours = JsonLines.parse(r.out());
        assertEquals(golden.size(), ours.size());
        for (int i = 0; i < golden.size(); i++) {
            Map<String, Object> g = golden.get(i);
            Map<String, Object> o = ours.get(i);
            assertEquals("roles+ports", g.get("basis"));
            assertEquals("inferred-roles+ports", o.get("basis"));
            g.remove("basis");
            o.remove("basis");
            assertEquals(g, o, "flow " + i);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> findings(Map<String, Object> v) {
        return (List<Map<String, Object>>) v.get("findings");
    }

    private static Map<String, Map<String, Object>> byTuple(List<Map<String, Object>> flows) {
        Map<String, Map<String, Object>> m = new TreeMap<>();
        for (Map<String, Object> f : flows) {
            m.put(f.get("proto") + " " + f.get("orig_h") + ":" + f.get("orig_p") + " " + f.get("resp_h") + ":" + f.get("resp_p"), f);
        }
        return m;
    }

    /** Role to addresses/blocks of a topology file (its role lines only). */
    private static Map<String, Set<String>> rolesOf(List<String> lines) {
        Map<String, Set<String>> m = new TreeMap<>();
        for (String line : lines) {
            String t = line.replaceAll("#.*", "").trim();
            String[] w = t.split("\\s+");
            if (w.length == 2 && w[0].equals(w[0].toUpperCase(Locale.ROOT)) && Character.isLetter(w[0].charAt(0))) {
                m.computeIfAbsent(w[0], k -> new TreeSet<>()).add(w[1]);
            }
        }
        return m;
    }

    /** IPv4 dotted address inside "a.b.c.d" or "a.b.c.d/len". */
    private static boolean inBlock(String address, String block) {
        String[] parts = block.split("/");
        int len = parts.length == 2 ? Integer.parseInt(parts[1]) : 32;
        long mask = len == 0 ? 0 : (0xffff_ffffL << (32 - len)) & 0xffff_ffffL;
        return (v4(address) & mask) == (v4(parts[0]) & mask);
    }

    private static long v4(String dotted) {
        long v = 0;
        for (String p : dotted.split("\\.")) {
            v = v << 8 | Integer.parseInt(p);
        }
        return v;
    }
}
