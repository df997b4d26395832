package io.mraflow.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every capture of pcaps/scenarios/ reads in tshark without an error, and tshark's TCP and UDP
 * conversations are exactly the flows its {@code .flows.tsv} says the capture holds: no flow the
 * generator meant is missing, and none appeared that it did not mean. Needs tshark on the PATH.
 */
class ScenarioConversationsTest {

    private static final Path SCENARIOS = Path.of("pcaps/scenarios");

    static Stream<String> scenarios() throws IOException {
        try (Stream<Path> s = Files.list(SCENARIOS)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".pcapng"))
                .map(n -> n.substring(0, n.length() - ".pcapng".length())).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void tsharkReadsItAndItsConversationsAreTheIntendedFlows(final String name, @TempDir final Path tmp)
        throws Exception {
        final Path conv = tmp.resolve(name + ".conv");
        final Path err = tmp.resolve(name + ".err");
        final Process p;
        try {
            p = new ProcessBuilder("tshark", "-r", SCENARIOS.resolve(name + ".pcapng").toString(),
                "-q", "-z", "conv,tcp", "-z", "conv,udp")
                .redirectOutput(conv.toFile()).redirectError(err.toFile()).start();
        } catch (final IOException e) {
            assumeTrue(false, "tshark is not installed: " + e.getMessage());
            return;
        }
        assumeTrue(p.waitFor(120, TimeUnit.SECONDS), "tshark did not finish");
        final String stderr = Files.readAllLines(err, StandardCharsets.UTF_8).stream()
            .filter(l -> !l.startsWith("Running as user")).collect(Collectors.joining("\n"));
        assertEquals(0, p.exitValue(), "tshark exit status; stderr: " + stderr);
        assertEquals("", stderr, "tshark complained");

        final Set<String> tshark = new TreeSet<>(TsharkConversations.parse(conv).keySet());
        final Set<String> intended = Files.readAllLines(SCENARIOS.resolve(name + ".flows.tsv")).stream()
            .filter(l -> !l.startsWith("#") && !l.isBlank()).map(l -> l.split("\t", -1))
            .map(r -> ConversationKey.of(r[0], ConversationKey.endpoint(r[1], Integer.parseInt(r[2])),
                ConversationKey.endpoint(r[3], Integer.parseInt(r[4]))))
            .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(String.join("\n", intended), String.join("\n", tshark),
            name + ": tshark's conversations differ from " + name + ".flows.tsv");
    }
}
