package io.mraflow.synth;

import io.mraflow.capture.CaptureFrames;
import io.mraflow.rules.FindingCode;
import io.mraflow.rules.Stage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ScenarioCapturesTest {

    static final Path SCENARIOS = Path.of("pcaps/scenarios");
    private static final int MAX_CAPTURE_BYTES = 300_000;

    private static Set<String> names(final Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    @Test
    void regeneratedFilesEqualTheCommittedOnes(@TempDir final Path tmp) throws Exception {
        ScenarioCaptures.writeAll(tmp);
        assertEquals(names(tmp), names(SCENARIOS), "pcaps/scenarios has other files than the generator writes");
        for (final String name : names(tmp)) {
            assertArrayEquals(Files.readAllBytes(tmp.resolve(name)), Files.readAllBytes(SCENARIOS.resolve(name)),
                "pcaps/scenarios/" + name + " is stale: run scripts/gen-scenarios");
        }
    }

    @Test
    void scenarioNamesAreTheOnesTheDiagnosisTestsUse() {
        assertEquals(List.of("firewall-drops-5061", "ssh-tunnel-refused", "one-way-audio", "turn-relay-blocked",
                "certificate-rejected", "cisco-uds-outside", "client-banned", "healthy-call"),
            Arrays.stream(Scenario.values()).map(Scenario::fileName).toList());
    }

    @ParameterizedTest
    @EnumSource(Scenario.class)
    void captureIsSmallWithValidChecksumsAndConsistentTcp(final Scenario s) throws Exception {
        final byte[] file = Files.readAllBytes(SCENARIOS.resolve(s.fileName() + ".pcapng"));
        assertTrue(file.length < MAX_CAPTURE_BYTES, s.fileName() + " is " + file.length + " bytes");
        final FrameChecker checker = new FrameChecker();
        checker.checkAll(CaptureFrames.read(file));
        assertTrue(checker.tcp > 0, "no TCP in " + s.fileName());
    }

    @Test
    void healthyCaptureRetransmitsOneDataSegmentOnceAndAnotherTwice() throws Exception {
        assertEquals(3, check("healthy-call").retransmissions);
    }

    @Test
    void turnRelayIsAnsweredByRateLimitedIcmp() throws Exception {
        final int icmp = check("turn-relay-blocked").icmp;
        assertTrue(icmp > 12 && icmp < 30, icmp + " ICMP errors for 2 x 150 packets: a burst of six, then one a second");
    }

    private static FrameChecker check(final String name) throws IOException {
        final FrameChecker checker = new FrameChecker();
        checker.checkAll(CaptureFrames.read(Files.readAllBytes(SCENARIOS.resolve(name + ".pcapng"))));
        return checker;
    }

    @ParameterizedTest
    @EnumSource(Scenario.class)
    void flowsTsvUsesDocumentedRowsAndKnownFindings(final Scenario s) throws Exception {
        final Set<String> codes = Arrays.stream(FindingCode.values()).map(Enum::name).collect(Collectors.toSet());
        final List<String[]> rows = Files.readAllLines(SCENARIOS.resolve(s.fileName() + ".flows.tsv")).stream()
            .filter(l -> !l.startsWith("#") && !l.isBlank()).map(l -> l.split("\t", -1)).toList();
        assertTrue(rows.size() >= 5, s.fileName() + ": " + rows.size() + " flows");
        for (final String[] r : rows) {
            assertEquals(8, r.length, String.join("|", r));
            assertTrue(r[5].equals("-") || SampleCaptureTest.ROW_IDS.contains(r[5]), "unknown row id " + r[5]);
            if (!r[6].equals("-")) {
                for (final String code : r[6].split(",")) {
                    assertTrue(codes.contains(code), "unknown finding " + code);
                }
            }
        }
        assertEquals(rows.size(), rows.stream().map(r -> String.join(" ", Arrays.copyOf(r, 5))).distinct().count(),
            s.fileName() + ": a 5-tuple listed twice");
    }

    @Test
    void readmeHasOneLinePerScenarioWithAStageLabel() throws Exception {
        final Set<String> labels = Arrays.stream(Stage.values()).map(Stage::label).collect(Collectors.toSet());
        final List<String> lines = Files.readAllLines(SCENARIOS.resolve("README.md"));
        for (final Scenario s : Scenario.values()) {
            final List<String> mine = lines.stream().filter(l -> l.startsWith("| `" + s.fileName() + "` |")).toList();
            assertEquals(1, mine.size(), s.fileName());
            assertTrue(s.firstFailing().equals("none") || labels.contains(s.firstFailing()), s.firstFailing());
            assertTrue(mine.get(0).contains("| `" + s.firstFailing() + "` |"), mine.get(0));
        }
    }
}
