package io.mraflow.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.mraflow.cli.ExitCode;
import io.mraflow.cli.Main;
import io.mraflow.e2e.CaptureMutator.Mutant;
import io.mraflow.e2e.CaptureMutator.Outcome;
import io.mraflow.pipeline.PipelineConfig;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Damaged captures through the whole command line (issue 10): real captures of every file format
 * and link type the reader knows, each made into a fixed-seed set of mutants by {@link CaptureMutator},
 * each mutant analysed in-process as {@code mraflow analyze --format json --stats FILE}. For every
 * mutant: nothing escapes {@code Main.run}; the exit code is a documented one and agrees with what
 * was read; every stdout line is one JSON object in valid UTF-8; a damaged input is named with a byte
 * offset inside the file, and the damage line and the packet counter agree. Where the mutation
 * decides the outcome, it must be exactly that: a cut loses no whole packet before it and is named
 * at the start of the record or block it cuts. Every {@value #TEXT_EVERY}th mutant is also read as
 * text through libpcap's {@code pcap_next_ex} instead of the native batch reader, and both readings
 * must agree.
 *
 * <p>{@code -Dmraflow.fuzz.mutants=N} sets the mutants per capture (the {@code fuzz-long} profile
 * raises it). A mutant that fails is kept under {@code target/fuzz-failures/} to be replayed.
 */
@Tag("slow") // a thousand mutated captures, each analysed end to end
class CaptureMutationTest {
    static final int MUTANTS = Integer.getInteger("mraflow.fuzz.mutants", 40);
    static final long SEED = 0x6d7261666c6f770aL;
    static final int TEXT_EVERY = 8;
    /** Far above any honest run, even on a loaded 2-core machine: only a hang reaches it ({@code -Dmraflow.fuzz.mutantTimeout}). */
    static final long MUTANT_TIMEOUT_SECONDS = Long.getLong("mraflow.fuzz.mutantTimeout", 120);
    static final Path FAILURES = Path.of("target/fuzz-failures");

    private static final Pattern STATS = Pattern.compile("^mraflow: (\\d+) packets, \\d+ flows in ", Pattern.MULTILINE);
    private static final Pattern AT_BYTE = Pattern.compile("at byte (\\d+)");
    private static final Pattern DAMAGE = Pattern.compile("damaged at byte (\\d+) after (\\d+) packets");
    private static final Pattern TEXT_PACKETS = Pattern.compile("^packets (\\d+), flows ", Pattern.MULTILINE);

    /** Runs each analysis on a thread of its own, so that a hang fails the test with the mutant's name. */
    private static final ExecutorService RUNNER = Executors.newCachedThreadPool(r -> {
        final Thread t = new Thread(r, "mutant-analysis");
        t.setDaemon(true);
        return t;
    });

    @AfterAll
    static void stopRunner() {
        RUNNER.shutdownNow();
    }

    /** A spread of formats, link types, tunnels and block kinds under src/test/resources/captures; then the sample MRA capture. */
    static final List<String> CAPTURES = List.of(
        "arkime/ssh2.pcap", "ndpi/sip.pcap", "arkime/stun.pcap",
        "zeek/tls/tls13-ech.pcap", "ndpi/dtls2.pcap", "zeek/tls/xmpp-starttls.pcap",
        "ndpi/rtcp_multiple_pkts_in_the_same_datagram.pcap", "zeek/linux_dlt_sll2.pcap",
        "suricata-verify/tls-duplicate-hello/input.pcap", "ndpi/dlt_ppp.pcap",
        "zeek/sip/sip-long-request-response-paths.pcap", "arkime/nflog.pcap",
        "sngrep/ipip.pcap", "zeek/vlan-qinqinq.pcap",
        "zeek/icmp/icmp6-destunreach-ip6ext-udp.pcap", "sngrep/ipv6frag.pcap",
        "arkime/empty.pcap",
        "ndpi/sip_hello.pcapng", "ndpi/stun.pcap", "ndpi/gre.pcapng",
        "zeek/ldap/gap-data-missing.pcapng", "ndpi/dtls.pcap",
        "ndpi/tls_1.2_unidirectional_client.pcapng", "heplify/erspan_sip_ipv4_udp.pcapng",
        "pcaps/mra-sample.pcapng");

    static List<String> captures() {
        return CAPTURES;
    }

    static Path path(final String capture) {
        return capture.startsWith("pcaps/") ? Path.of(capture) : Path.of("src/test/resources/captures", capture);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    @Timeout(value = 15, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void everyMutantIsReadUpToItsDamage(final String capture, @TempDir final Path tmp) throws Exception {
        final byte[] original = Files.readAllBytes(path(capture));
        final String name = capture.replace('/', '-');
        final int rounds = (MUTANTS + CaptureMutator.Mutation.values().length - 1) / CaptureMutator.Mutation.values().length;
        // Consecutive captures start the fixed choices (link types, magics) where the one before stopped.
        final CaptureMutator mutator = new CaptureMutator(original, SEED ^ capture.hashCode(), CAPTURES.indexOf(capture) * rounds);
        final Path file = tmp.resolve(name);
        final List<String> failures = new ArrayList<>();
        final Set<ExitCode> exits = EnumSet.noneOf(ExitCode.class);
        int index = 0;
        for (final Mutant m : mutator.mutants(MUTANTS)) {
            Files.write(file, m.bytes());
            final List<String> problems = new ArrayList<>();
            final Analysis json = analyze(m, file, "--format", "json", "--stats", file.toString());
            check(json, m, problems);
            exits.add(json.exit());
            if (problems.isEmpty() && index % TEXT_EVERY == 0) {
                final Analysis text = withoutBatchReader(() -> analyze(m, file, "--format", "text", "--stats", file.toString()));
                checkText(text, json, problems);
            }
            if (!problems.isEmpty()) {
                failures.add(keep(name, index, m) + ": " + m.name() + ": " + String.join("; ", problems));
            }
            index++;
        }
        assertTrue(failures.isEmpty(), failures.size() + " of " + MUTANTS + " mutants of " + capture + " failed:\n"
            + String.join("\n", failures.subList(0, Math.min(failures.size(), 20))));
        // The mutants must reach every outcome, or the properties above were never put to the test.
        assertTrue(exits.contains(ExitCode.OK) && exits.contains(ExitCode.UNREADABLE)
            && (exits.contains(ExitCode.PARTIAL) || mutator.layout().packets() < 2), "exit codes reached: " + exits);
    }

    /** What one run of the command line gave. */
    record Analysis(ExitCode exit, byte[] out, String err, Throwable thrown) {
        String outText() {
            return new String(out, StandardCharsets.UTF_8);
        }
    }

    private static Analysis analyze(final Mutant m, final Path file, final String... args) throws Exception {
        final String[] full = new String[args.length + 1];
        full[0] = "analyze";
        System.arraycopy(args, 0, full, 1, args.length);
        final Future<Analysis> run = RUNNER.submit(() -> {
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            final ByteArrayOutputStream err = new ByteArrayOutputStream();
            ExitCode exit = null;
            Throwable thrown = null;
            try {
                exit = Main.run(full, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            } catch (Throwable t) {
                thrown = t;
            }
            return new Analysis(exit, out.toByteArray(), err.toString(StandardCharsets.UTF_8), thrown);
        });
        try {
            return run.get(MUTANT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            run.cancel(true);
            return fail("no answer after " + MUTANT_TIMEOUT_SECONDS + " s (a hang?): " + m.name() + ", kept as "
                + keep(file.getFileName().toString(), -1, m));
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        }
    }

    /** The properties every mutant has, and the exact outcome where the mutation decides it. */
    private static void check(final Analysis a, final Mutant m, final List<String> problems) {
        if (a.thrown() != null) {
            problems.add("threw " + a.thrown());
            return;
        }
        final ExitCode exit = a.exit();
        if (exit != ExitCode.OK && exit != ExitCode.FINDINGS && exit != ExitCode.UNREADABLE && exit != ExitCode.PARTIAL) {
            problems.add("exit code " + exit);
        }
        final JsonLineCheck.Result json = JsonLineCheck.check(a.out());
        problems.addAll(json.problems());
        final long packets = packets(a.err(), problems);
        if (packets < 0) {
            return;
        }
        if (json.packetsInFlows() > packets) {
            problems.add("flows hold " + json.packetsInFlows() + " packets of " + packets + " read");
        }
        final List<Long> offsets = offsets(a.err());
        // packets of a link type mraflow does not decode are read, counted, named and not analysed: exit 3 without damage
        final boolean unsupported = exit == ExitCode.PARTIAL && a.err().contains(": unsupported link type (")
                && a.err().contains(" packets skipped");
        if (exit == ExitCode.OK && !offsets.isEmpty()) {
            problems.add("exit 0 yet damage reported: " + firstLine(a.err()));
        }
        if ((exit == ExitCode.PARTIAL || exit == ExitCode.UNREADABLE) && offsets.isEmpty() && !unsupported) {
            problems.add("exit " + exit + " names no byte offset: " + firstLine(a.err()));
        }
        for (final long offset : offsets) {
            if (offset < 0 || offset > m.bytes().length) {
                problems.add("byte offset " + offset + " outside the file of " + m.bytes().length + " bytes");
            }
        }
        if (exit == ExitCode.PARTIAL && packets == 0 || exit == ExitCode.UNREADABLE && packets > 0) {
            problems.add("exit " + exit + " after " + packets + " packets");
        }
        final Matcher damage = DAMAGE.matcher(a.err());
        if (damage.find() && Long.parseLong(damage.group(2)) != packets) {
            problems.add("the damage line says " + damage.group(2) + " packets, the counter " + packets);
        }
        final Outcome expected = m.expected();
        if (!expected.known()) {
            return;
        }
        if (packets != expected.packets()) {
            problems.add(packets + " packets read, " + expected.packets() + " expected");
        }
        if (!expected.damaged()) {
            if (exit != ExitCode.OK && !unsupported) {
                problems.add("exit " + exit + " for an undamaged file: " + firstLine(a.err()));
            }
        } else {
            final ExitCode exitExpected = expected.packets() > 0 ? ExitCode.PARTIAL : ExitCode.UNREADABLE;
            if (exit != exitExpected) {
                problems.add("exit " + exit + ", " + exitExpected + " expected");
            }
            if (!offsets.contains(expected.damageAt())) {
                problems.add("damage at byte " + expected.damageAt() + " expected: " + firstLine(a.err()));
            }
        }
    }

    /** The text report, read through the other reader, says what the JSON run said. */
    private static void checkText(final Analysis text, final Analysis json, final List<String> problems) {
        if (text.thrown() != null) {
            problems.add("text: threw " + text.thrown());
            return;
        }
        if (text.exit() != json.exit()) {
            problems.add("text exit " + text.exit() + ", json exit " + json.exit());
        }
        final List<String> textProblems = new ArrayList<>();
        final long packets = packets(text.err(), textProblems);
        final long jsonPackets = packets(json.err(), textProblems);
        if (packets != jsonPackets) {
            problems.add("text read " + packets + " packets, json " + jsonPackets);
        }
        if (packets > 0 && !text.err().contains("(libpcap pcap_next_ex)")) {
            problems.add("the text run did not read through pcap_next_ex: " + text.err());
        }
        final Matcher summary = TEXT_PACKETS.matcher(text.outText());
        if (!summary.find() || Long.parseLong(summary.group(1)) != packets) {
            problems.add("text report's counters (after the diagnosis) do not say " + packets + " packets: " + firstLine(text.outText()));
        }
        if (!offsets(text.err()).equals(offsets(json.err()))) {
            problems.add("text names " + offsets(text.err()) + ", json " + offsets(json.err()));
        }
    }

    private static long packets(final String err, final List<String> problems) {
        final Matcher stats = STATS.matcher(err);
        if (!stats.find()) {
            problems.add("no packet counter on stderr: " + firstLine(err));
            return -1;
        }
        return Long.parseLong(stats.group(1));
    }

    private static List<Long> offsets(final String err) {
        final List<Long> offsets = new ArrayList<>();
        final Matcher at = AT_BYTE.matcher(err);
        while (at.find()) {
            offsets.add(Long.parseLong(at.group(1)));
        }
        return offsets;
    }

    private static String firstLine(final String s) {
        final int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static <T> T withoutBatchReader(final java.util.concurrent.Callable<T> run) throws Exception {
        final String before = System.getProperty(PipelineConfig.NATIVE_BATCH_PROPERTY);
        System.setProperty(PipelineConfig.NATIVE_BATCH_PROPERTY, "false");
        try {
            return run.call();
        } finally {
            if (before == null) {
                System.clearProperty(PipelineConfig.NATIVE_BATCH_PROPERTY);
            } else {
                System.setProperty(PipelineConfig.NATIVE_BATCH_PROPERTY, before);
            }
        }
    }

    /** Writes a failing mutant where it can be replayed with {@code mraflow analyze}; returns its path. */
    private static String keep(final String capture, final int index, final Mutant m) {
        try {
            Files.createDirectories(FAILURES);
            final Path kept = FAILURES.resolve(index + "-" + capture);
            Files.write(kept, m.bytes());
            return kept.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
