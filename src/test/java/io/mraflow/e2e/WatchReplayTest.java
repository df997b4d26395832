package io.mraflow.e2e;

import static io.mraflow.e2e.WatchProcess.iface;
import static io.mraflow.e2e.WatchProcess.number;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mraflow.synth.BenchCapture;
import io.mraflow.synth.PcapWriter;
import io.mraflow.synth.ScanCapture;

import java.io.BufferedReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tcpreplay} into one end of a veth pair between two namespaces of our own, {@code watch} on
 * the other end. The small in-suite variants of {@code scripts/bench-live}, which makes the full
 * table (rates up to tcpreplay's own top speed, a flood of a million flows).
 *
 * <ul>
 *   <li>At a fixed rate (10,000 packets a second) and at tcpreplay's top speed, every packet
 *   libpcap received mraflow read or libpcap counted as dropped: {@code libpcap_received =
 *   packets + dropped_by_kernel + dropped_by_interface} in the last stats event ({@code packets}
 *   counts what mraflow read, those it then dropped at a full ring included: {@code dropped_by_ring}
 *   is part of it), and every packet tcpreplay sent reached libpcap (one more replay is allowed
 *   when the kernel lost some before the capture socket, see {@link #attempt}'s caller). At
 *   10,000 a second at most 1 % is dropped.</li>
 *   <li>A flood of distinct flows (a port scan) through a table held to 10,000 flows: evictions are
 *   counted alike in the last stats event, in {@code mraflow_flows_evicted_total} and in the flow
 *   events that say {@code "ended":"evicted"}, one flow event per SYN analysed, and the peak RSS
 *   stays under {@value #FLOOD_RSS_BOUND_MB} MB with the launcher's heap (-Xmx512m).</li>
 * </ul>
 */
@Tag("slow") // network namespaces and tcpreplay, seconds of traffic
@SuppressWarnings("try") // close() waits for a child process; an interrupt there is the test runner's to see
class WatchReplayTest {
    static final int REPLAY_PACKETS = 30_000;
    static final int FLOOD_FLOWS = 60_000;
    static final int FLOOD_MAX_FLOWS = 10_000;
    static final int FLOOD_RSS_BOUND_MB = 400;
    private static final List<String> LAUNCHER_JVM = List.of("-Xms256m", "-Xmx512m", "-XX:+UseParallelGC");
    private static final Pattern SENT = Pattern.compile("Successful packets:\\s+(\\d+)");
    private static final Pattern RATED = Pattern.compile("Rated: .*?([0-9.]+) pps");

    @TempDir
    Path tmp;

    private static void assumeTcpreplay() {
        final NetNs.Result v = NetNs.run("tcpreplay", "--version");
        if (v.exit() != 0) {
            System.out.println("SKIPPED: no tcpreplay (scripts/install-deps --test installs it): " + v.output());
            Assumptions.abort("no tcpreplay (scripts/install-deps --test installs it): " + v.output());
        }
    }

    private record Replay(long sent, String pps, String output) {
    }

    private static Replay replay(final NetNs net, final Path capture, final String... speed) {
        final List<String> command = new ArrayList<>(NetNs.in(net.c));
        command.addAll(List.of("tcpreplay", "-q", "-i", net.c));
        command.addAll(List.of(speed));
        command.add(capture.toString());
        final NetNs.Result r = NetNs.run(120, command);
        assertEquals(0, r.exit(), "tcpreplay: " + r.output());
        final Matcher sent = SENT.matcher(r.output());
        assertTrue(sent.find(), r.output());
        final Matcher rated = RATED.matcher(r.output());
        return new Replay(Long.parseLong(sent.group(1)), rated.find() ? rated.group(1) : "?", r.output());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2})
    @Timeout(300)
    void everyPacketSentIsReadOrCountedAsDropped(final int workers) throws Exception {
        assumeTcpreplay();
        final Path capture = tmp.resolve("bench.pcap");
        try (FileChannel ch = FileChannel.open(capture, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             PcapWriter w = new PcapWriter(ch, true)) {
            BenchCapture.generate(w, REPLAY_PACKETS, 3);
        }
        try (NetNs net = NetNs.create('r', 9000, null, null)) {
            for (String[] speed : List.of(new String[] {"--pps", "10000", "--timer", "nano"}, new String[] {"--topspeed"})) {
                Attempt a = attempt(net, capture, speed, workers);
                if (a.received() != a.sent()) {
                    // Under heavy load of the host, the kernel has been seen to hand the capture
                    // socket fewer packets than tcpreplay sent, counting the rest nowhere (not as
                    // veth, backlog or socket drops): nothing a capture can account for. mraflow's
                    // own accounting was checked in the attempt; the delivery gets one more try.
                    System.out.printf("replay %s: %d of %d packets never reached libpcap; once more%n",
                            String.join(" ", speed), a.sent() - a.received(), a.sent());
                    a = attempt(net, capture, speed, workers);
                }
                assertEquals(a.sent(), a.received(), "every packet sent reached libpcap (libpcap_received)");
                if (speed[0].equals("--pps")) {
                    // 10,000 a second is a fifth of what this capture keeps up with on 2 shared cores
                    // (bench-live); immediate mode's 30-packet kernel ring lost some 10 % here
                    assertTrue(a.dropped() * 100 <= a.sent(), "at most 1 % dropped at 10,000 pps: " + a);
                }
            }
        }
    }

    private record Attempt(long sent, long received, long dropped) {
    }

    /**
     * One replay into a fresh watch process: checks that every packet libpcap received is in the
     * last stats event as read or dropped, and that the veth pair itself lost nothing.
     */
    private Attempt attempt(final NetNs net, final Path capture, final String[] speed, final int workers) throws Exception {
        final long vethDrops = net.vethDrops();
        final Map<String, Object> stats;
        final Replay r;
        try (WatchProcess watch = WatchProcess.start(tmp, NetNs.in(net.e), LAUNCHER_JVM,
                "watch", "-i", net.e, "--stats-every", "1", "--sensor", "replay", "--workers", String.valueOf(workers))) {
            r = replay(net, capture, speed);
            watch.awaitAccounted(net.e, r.sent(), Duration.ofSeconds(60));
            assertEquals(0, watch.stop(Duration.ofSeconds(60)), watch.stderr());
            stats = watch.lastStats();
        }
        final Map<String, Object> i = iface(stats, net.e);
        final long read = number(i, "packets");
        final long kernel = number(i, "dropped_by_kernel");
        final long dropIf = number(i, "dropped_by_interface");
        final long ring = number(i, "dropped_by_ring");
        System.out.printf("replay %s, %d workers: tcpreplay sent %d at %s pps; libpcap received %s; mraflow read %d, dropped: kernel %d,"
                + " interface %d, ring %d; analysed %d%n", String.join(" ", speed), workers, r.sent(), r.pps(),
                i.get("libpcap_received"), read, kernel, dropIf, ring, read - ring);
        assertEquals(REPLAY_PACKETS, r.sent(), r.output());
        assertEquals(vethDrops, net.vethDrops(), "the veth pair lost packets itself");
        assertEquals(number(i, "libpcap_received"), read + kernel + dropIf,
                "every packet libpcap received was read or counted as dropped: " + i);
        assertTrue(ring >= 0 && ring <= read, i.toString());
        assertTrue(read > 0, i.toString());
        return new Attempt(r.sent(), number(i, "libpcap_received"), kernel + dropIf + ring);
    }

    @Test
    @Timeout(300)
    void aFloodOfDistinctFlowsIsEvictedCountedAndHeldInBoundedMemory() throws Exception {
        assumeTcpreplay();
        final Path capture = tmp.resolve("scan.pcap");
        ScanCapture.write(capture, FLOOD_FLOWS);
        try (NetNs net = NetNs.create('f', 1500, null, null)) {
            final Map<String, Object> stats;
            final Map<String, Double> metrics;
            final long hwmMb;
            final Path events;
            try (WatchProcess watch = WatchProcess.start(tmp, NetNs.in(net.e), LAUNCHER_JVM,
                    "watch", "-i", net.e, "--stats-every", "1", "--sensor", "flood", "--metrics-port", "0",
                    "--max-flows", Integer.toString(FLOOD_MAX_FLOWS));
                 LiveAgent.Remote e = new LiveAgent.Remote(NetNs.in(net.e))) {
                final Replay r = replay(net, capture, "--pps", "20000", "--timer", "nano");
                assertEquals(FLOOD_FLOWS, r.sent(), r.output());
                watch.awaitAccounted(net.e, r.sent(), Duration.ofSeconds(60));
                // Every packet is read; the worker may still be behind (batch latency reaches seconds on
                // a loaded machine). Read the metrics until evictions stop moving over a stats tick.
                final String evictedKey = "mraflow_flows_evicted_total{iface=\"" + net.e + "\"}";
                final Path page = tmp.resolve("metrics.txt");
                final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                Map<String, Double> read = Map.of();
                double before;
                do {
                    before = read.getOrDefault(evictedKey, -1.0);
                    Thread.sleep(1_500); // a stats tick
                    e.call("get http://127.0.0.1:" + watch.metricsPort() + "/metrics " + page);
                    read = WatchProcess.metrics(Files.readString(page, StandardCharsets.UTF_8));
                } while (read.getOrDefault(evictedKey, -1.0) != before && System.nanoTime() < deadline);
                metrics = read;
                assertEquals(0, watch.stop(Duration.ofMinutes(2)), watch.stderr());
                hwmMb = watch.vmHwmKb() / 1024;
                stats = watch.lastStats();
                events = watch.eventsFile();
            }
            final Map<String, Object> i = iface(stats, net.e);
            final long read = number(i, "packets");
            final long ring = number(i, "dropped_by_ring");
            long flowLines = 0;
            long evictedLines = 0;
            try (BufferedReader in = Files.newBufferedReader(events, StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("{\"event_type\":\"flow\"")) {
                        flowLines++;
                        if (line.contains("\"ended\":\"evicted\"")) {
                            evictedLines++;
                        }
                    }
                }
            }
            final long evicted = number(stats, "evicted_flows");
            final double evictedMetric = metrics.getOrDefault("mraflow_flows_evicted_total{iface=\"" + net.e + "\"}", -1.0);
            System.out.printf("flood: %d SYNs sent, read %d (dropped: kernel %d, ring %d), %d flow events, evicted %d"
                            + " (metrics %.0f, flow events %d), held at most %s, peak RSS %d MB%n", FLOOD_FLOWS, read,
                    number(i, "dropped_by_kernel"), ring, flowLines, evicted, evictedMetric, evictedLines,
                    stats.get("max_flows_per_interface"), hwmMb);
            assertTrue(evicted > 0, "the flood fills the table: " + stats);
            assertEquals(evicted, (long) evictedMetric, "mraflow_flows_evicted_total: " + metrics);
            assertEquals(evicted, evictedLines, "flow events that say evicted");
            assertEquals(number(stats, "flows"), flowLines, "a flow event for every flow the stats count");
            assertTrue(flowLines <= read && flowLines >= read - ring, "one flow per SYN analysed: " + flowLines + ", " + i);
            assertTrue(hwmMb < FLOOD_RSS_BOUND_MB, "peak RSS " + hwmMb + " MB");
        }
    }
}
