package io.mraflow.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code mraflow watch} in a child JVM (started as ScanMemoryTest starts its child: the test class
 * path, {@code io.mraflow.cli.Main}), optionally inside a network namespace: its events (stdout) and
 * stderr go to files, {@link #stop} sends SIGTERM and waits for the exit, sampling the peak RSS
 * ({@code VmHWM}) until then.
 */
@SuppressWarnings("try") // close() waits for a child process; an interrupt there is the test runner's to see
final class WatchProcess implements AutoCloseable {
    private static final Pattern METRICS = Pattern.compile("metrics on http://[^:/]+:(\\d+)/metrics");

    private final Process process;
    private final Path out;
    private final Path err;
    private long vmHwmKb;

    private WatchProcess(final Process process, final Path out, final Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** {@code java JVM_OPTIONS -cp TEST_CLASS_PATH MAIN}, the way the tests start child JVMs. */
    static List<String> java(final List<String> jvmOptions, final String mainClass) {
        final List<String> c = new ArrayList<>();
        c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        c.addAll(jvmOptions);
        c.addAll(List.of("--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), mainClass));
        return c;
    }

    /**
     * Starts {@code PREFIX java JVM_OPTIONS ... io.mraflow.cli.Main ARGS} with its output in
     * {@code dir} and waits (at most 60 s) until it says it is capturing.
     */
    static WatchProcess start(final Path dir, final List<String> prefix, final List<String> jvmOptions,
                              final String... args) throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>(prefix);
        command.addAll(java(jvmOptions, "io.mraflow.cli.Main"));
        command.addAll(List.of(args));
        final Path out = Files.createTempFile(dir, "events", ".jsonl");
        final Path err = Files.createTempFile(dir, "watch", ".err");
        final WatchProcess w = new WatchProcess(new ProcessBuilder(command).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start(), out, err);
        final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!w.stderr().contains("capturing on")) {
            if (!w.process.isAlive()) {
                fail("watch exited " + w.process.exitValue() + " before capturing: " + w.stderr() + "\ncommand: " + command);
            }
            if (System.nanoTime() > deadline) {
                w.close();
                fail("watch did not start capturing within 60 s: " + w.stderr());
            }
            Thread.sleep(50);
        }
        return w;
    }

    /** The metrics port it printed on stderr. */
    int metricsPort() {
        final Matcher m = METRICS.matcher(stderr());
        assertTrue(m.find(), "no metrics URL on stderr: " + stderr());
        return Integer.parseInt(m.group(1));
    }

    String stderr() {
        try {
            return Files.readString(err, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(stderr unreadable: " + e + ")";
        }
    }

    /** The file its events (stdout) go to. */
    Path eventsFile() {
        return out;
    }

    /** The events written so far, parsed; a line still being written is left out. */
    List<Map<String, Object>> events() throws IOException {
        final String text = Files.readString(out, StandardCharsets.UTF_8);
        final int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : JsonLines.parse(text.substring(0, end + 1));
    }

    /** The last stats event so far, or null; reads the file line by line, parses only that one. */
    Map<String, Object> lastStats() throws IOException {
        String last = null;
        try (java.io.BufferedReader in = Files.newBufferedReader(out, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("{\"event_type\":\"stats\"") && line.endsWith("}")) {
                    last = line;
                }
            }
        }
        return last == null ? null : JsonLines.parseLine(last);
    }

    /**
     * Waits (at most {@code timeout}) until the stats events say that every one of {@code sent}
     * packets was read from libpcap or counted by libpcap as dropped, or nothing has changed for
     * five seconds; returns the last stats event.
     */
    Map<String, Object> awaitAccounted(final String iface, final long sent, final Duration timeout)
            throws IOException, InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> last = null;
        String unchanged = null;
        long unchangedSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            last = lastStats();
            if (last != null) {
                final Map<String, Object> i = iface(last, iface);
                if (number(i, "packets") + number(i, "dropped_by_kernel") + number(i, "dropped_by_interface") >= sent) {
                    return last;
                }
                final String now = String.valueOf(i);
                if (!now.equals(unchanged)) {
                    unchanged = now;
                    unchangedSince = System.nanoTime();
                } else if (System.nanoTime() - unchangedSince > Duration.ofSeconds(5).toNanos()) {
                    return last;
                }
            }
            Thread.sleep(200);
        }
        return last;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> iface(final Map<String, Object> stats, final String iface) {
        final Map<String, Object> all = (Map<String, Object>) stats.get("interfaces");
        assertTrue(all != null && all.containsKey(iface), "no interface " + iface + " in " + stats);
        return (Map<String, Object>) all.get(iface);
    }

    /** A number field of a parsed event (JsonLines keeps scalars as text); null counts as 0. */
    static long number(final Map<String, Object> m, final String key) {
        final Object v = m.get(key);
        return v == null ? 0 : Long.parseLong(v.toString());
    }

    long pid() {
        return process.pid();
    }

    /** The peak RSS so far, KiB ({@code VmHWM}); the last value read once it has exited. */
    long vmHwmKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    vmHwmKb = Math.max(vmHwmKb, Long.parseLong(line.replaceAll("[^0-9]", "")));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone: the last value stands
        }
        return vmHwmKb;
    }

    /** SIGTERM, then waits (at most {@code timeout}) for the exit, sampling VmHWM; the exit code. */
    int stop(final Duration timeout) throws InterruptedException {
        vmHwmKb();
        process.destroy(); // SIGTERM
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!process.waitFor(50, TimeUnit.MILLISECONDS)) {
            vmHwmKb();
            if (System.nanoTime() > deadline) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail("watch did not exit within " + timeout + " of SIGTERM: " + stderr());
            }
        }
        return process.exitValue();
    }

    /** Parses a Prometheus text page: {@code name{labels}} as printed, to its value. */
    static Map<String, Double> metrics(final String page) {
        final Map<String, Double> m = new HashMap<>();
        for (String line : page.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                final int space = line.lastIndexOf(' ');
                m.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return m;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
