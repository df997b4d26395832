package io.mraflow.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mraflow.cli.ExitCode;
import io.mraflow.e2e.AnalyzeDamagedInputTest.Run;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code analyze --write-pcap}: the file written holds the listed flows' packets and nothing else,
 * in the input's format. Checked with tshark and capinfos on the file written (its conversations
 * are exactly the flagged flows, its interfaces and link types the input's) and by analysing it
 * again (the same flagged flows, with the same packet counts).
 */
class WritePcapTest {
    static final Path SAMPLE = Path.of("pcaps/mra-sample.pcapng");
    static final String TOPOLOGY = "pcaps/mra-sample.topology";
    /** IPv6 in a pcap: SSH, DNS, RIPng, and ICMPv6 port unreachable quoting flagged flows (MANIFEST.tsv). */
    static final Path V6_PCAP = Path.of("src/test/resources/captures/arkime/v6.pcap");
    /** SIP over fragmented IPv6, Linux cooked capture (SLL) in a pcap. */
    static final Path FRAGMENTS_SLL = Path.of("src/test/resources/captures/sngrep/ipv6frag.pcap");
    /** SIP/UDP inside GRE/ERSPAN, a pcapng. */
    static final Path ERSPAN_PCAPNG = Path.of("src/test/resources/captures/heplify/erspan_sip_ipv4_udp.pcapng");

    @TempDir
    Path tmp;

    @Test
    void theSamplesFlaggedFlowsWrittenAsPcapngAreExactlyThoseFlows() throws Exception {
        final Path out = tmp.resolve("flagged.pcapng");
        checkCopy(out, SAMPLE, ExitCode.OK, "--topology", TOPOLOGY);
        assertEquals(0x0A0D0D0A, firstWord(out), "pcapng, as the input");
    }

    @Test
    void aPcapInputIsWrittenAsPcapWithItsLinkTypeAndPrecision() throws Exception {
        for (Path input : List.of(V6_PCAP, FRAGMENTS_SLL)) {
            final Path out = tmp.resolve(input.getFileName() + ".out.pcap");
            checkCopy(out, input, ExitCode.OK);
            assertArrayEquals(pcapHeaderFields(input), pcapHeaderFields(out), "magic (byte order, precision) and link type of " + input);
        }
    }

    @Test
    void aDamagedInputIsWrittenUpToItsDamage() throws Exception {
        final byte[] whole = Files.readAllBytes(SAMPLE);
        final Path cut = Files.write(tmp.resolve("cut.pcapng"), Arrays.copyOf(whole, whole.length * 3 / 5 + 7));
        final Path out = tmp.resolve("cut-flagged.pcapng");
        checkCopy(out, cut, SAMPLE, ExitCode.PARTIAL, "--topology", TOPOLOGY); // capinfos stops at the damage: the whole file's format
        run("tshark", "-r", out.toString()); // read to its end without complaint: only whole blocks were copied
    }

    @Test
    void severalPcapngInputsGoIntoOneFileWithTheInterfacesOfEach() throws Exception {
        final Path out = tmp.resolve("two.pcapng");
        final Run r = AnalyzeDamagedInputTest.analyze("--format", "json", "--ports-only", "--only", "findings",
                "--write-pcap", out.toString(), SAMPLE.toString(), ERSPAN_PCAPNG.toString());
        assertEquals(ExitCode.OK, r.exit(), r.err());
        final List<String> interfaces = new ArrayList<>(interfaces(SAMPLE));
        interfaces.addAll(interfaces(ERSPAN_PCAPNG));
        assertEquals(interfaces, interfaces(out));
        assertEquals(flagged(r.out()), flagged(AnalyzeDamagedInputTest.analyze("--format", "json", "--ports-only", out.toString()).out()));
    }

    @Test
    void standardInputIsRefusedBeforeAnalysingNamingTheOption() {
        final Path out = tmp.resolve("never.pcap");
        final Run r = AnalyzeDamagedInputTest.analyze("--write-pcap", out.toString(), "-");
        assertEquals(ExitCode.UNREADABLE, r.exit());
        assertEquals("", r.out(), "nothing analysed");
        assertTrue(r.err().startsWith("mraflow analyze: --write-pcap: standard input") && r.err().lines().count() == 1, r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void pcapInputsOfTwoLinkTypesAreRefusedNamingBoth() {
        final Path out = tmp.resolve("never.pcap");
        final Run r = AnalyzeDamagedInputTest.analyze("--write-pcap", out.toString(), V6_PCAP.toString(), FRAGMENTS_SLL.toString());
        assertEquals(ExitCode.UNREADABLE, r.exit());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("mraflow analyze: --write-pcap: ") && r.err().contains("link type 1")
                && r.err().contains("link type 113"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void theOutputCannotBeAnInput() throws IOException {
        final Path input = Files.copy(V6_PCAP, tmp.resolve("in.pcap"));
        final byte[] before = Files.readAllBytes(input);
        final Run r = AnalyzeDamagedInputTest.analyze("--write-pcap", input.toString(), input.toString());
        assertEquals(ExitCode.UNREADABLE, r.exit());
        assertTrue(r.err().startsWith("mraflow analyze: --write-pcap: ") && r.err().contains("is an input"), r.err());
        assertArrayEquals(before, Files.readAllBytes(input));
    }

    /**
     * Writes {@code input}'s flagged flows to {@code out} and checks the copy: tshark's
     * conversations in it are the flagged flows with their packets; the interfaces are the
     * input's; analysing it again flags the same flows.
     */
    private void checkCopy(final Path out, final Path input, final ExitCode exit, final String... options) throws Exception {
        checkCopy(out, input, input, exit, options);
    }

    /** As above, the format compared with {@code formatOf}'s. */
    private void checkCopy(final Path out, final Path input, final Path formatOf, final ExitCode exit, final String... options)
            throws Exception {
        final List<String> args = new ArrayList<>(List.of("--format", "json", "--only", "findings", "--write-pcap", out.toString()));
        args.addAll(Arrays.asList(options));
        args.add(input.toString());
        final Run r = AnalyzeDamagedInputTest.analyze(args.toArray(new String[0]));
        assertEquals(exit, r.exit(), r.err());
        final Map<String, Long> flagged = flagged(r.out());
        assertFalse(flagged.isEmpty());

        final Path conv = tmp.resolve(out.getFileName() + ".conv");
        Files.writeString(conv, run("tshark", "-n", "-q", "-r", out.toString(), "-z", "conv,tcp", "-z", "conv,udp"));
        assertEquals(flagged.keySet(), new TreeSet<>(TsharkConversations.parse(conv).keySet()),
                "tshark's conversations in the copy are the flagged flows");
        assertEquals(fileType(formatOf), fileType(out), "the input's format, link type and precision");
        assertEquals(interfaces(formatOf), interfaces(out), "the input's interfaces");

        final List<String> again = new ArrayList<>(List.of("--format", "json"));
        again.addAll(Arrays.asList(options));
        again.add(out.toString());
        assertEquals(flagged, flagged(AnalyzeDamagedInputTest.analyze(again.toArray(new String[0])).out()),
                "analysing the copy gives the flagged flows, every packet of them");
    }

    /** The flows of JSON lines that have findings: "proto a:p b:q codes" to orig_pkts + resp_pkts + icmp_errors. */
    private static Map<String, Long> flagged(final String json) {
        final Map<String, Long> m = new TreeMap<>();
        for (Map<String, Object> f : JsonLines.parse(json)) {
            final List<?> findings = (List<?>) f.get("findings");
            if (findings.isEmpty()) {
                continue;
            }
            final String key = ConversationKey.of((String) f.get("proto"),
                    ConversationKey.endpoint((String) f.get("orig_h"), Integer.parseInt((String) f.get("orig_p"))),
                    ConversationKey.endpoint((String) f.get("resp_h"), Integer.parseInt((String) f.get("resp_p"))));
            final long packets = Long.parseLong((String) f.get("orig_pkts")) + Long.parseLong((String) f.get("resp_pkts"))
                    + Long.parseLong((String) f.get("icmp_errors"));
            m.merge(key, packets, Long::sum);
        }
        return m;
    }

    /** capinfos' description of the file: its type, link type and timestamp precision. */
    private static List<String> fileType(final Path capture) throws Exception {
        return run("capinfos", capture.toString()).lines().filter(l -> l.startsWith("File type:")
                || l.startsWith("File encapsulation:") || l.startsWith("File timestamp precision:")).toList();
    }

    /**
     * capinfos' list of the file's interfaces (link type, snap length, time precision, name, ...),
     * without counts: the lines after "Number of interfaces", up to the sections it lists again.
     */
    private static List<String> interfaces(final Path capture) throws Exception {
        final List<String> lines = new ArrayList<>();
        boolean inInterfaces = false;
        for (String line : run("capinfos", capture.toString()).lines().toList()) {
            if (line.startsWith("Section ") && inInterfaces) {
                break; // a file of several sections: the first lists every interface, the others again
            }
            inInterfaces |= line.startsWith("Number of interfaces");
            if (inInterfaces && !line.contains("Number of packets") && !line.contains("Number of stat entries")
                    && !line.startsWith("Number of interfaces") && !line.startsWith("Interface #")) {
                lines.add(line.strip());
            }
        }
        return lines;
    }

    /** A pcap file header's magic and link type, each read in the file's byte order as raw bytes. */
    private static byte[][] pcapHeaderFields(final Path pcap) throws IOException {
        try (InputStream in = Files.newInputStream(pcap)) {
            final byte[] h = in.readNBytes(24);
            return new byte[][] {Arrays.copyOfRange(h, 0, 4), Arrays.copyOfRange(h, 20, 24)};
        }
    }

    private static int firstWord(final Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            final byte[] w = in.readNBytes(4);
            return (w[0] & 0xff) << 24 | (w[1] & 0xff) << 16 | (w[2] & 0xff) << 8 | (w[3] & 0xff);
        }
    }

    private static String run(final String... command) throws Exception {
        final Process p;
        try {
            p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            assumeTrue(false, command[0] + " is not installed (scripts/install-deps --test installs it)");
            throw e;
        }
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", command) + " reads it");
        return out;
    }
}
