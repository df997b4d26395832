package io.mraflow.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mraflow.cli.ExitCode;
import io.mraflow.cli.Main;
import io.mraflow.kafkalocal.KafkaLocal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --kafka} and {@code fleet} against a real broker: one single-node KRaft broker on loopback,
 * started through {@link KafkaLocal} (what {@code scripts/kafka-local} runs), shared by the tests of
 * this class; each test has a topic of its own. The broker-failure test stops and restarts it, last.
 */
@Tag("kafka")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@Tag("slow") // a Kafka broker, started by the test
class KafkaFleetTest {
    private static final Path SAMPLE = Path.of("pcaps/mra-sample.pcapng");
    private static final Path SCENARIO = Path.of("pcaps/scenarios/one-way-audio.pcapng");
    private static final JsonFactory JSON = new JsonFactory();

    @TempDir
    Path tmp;
    private Path brokerDir;
    private KafkaLocal.Broker broker;

    @BeforeAll
    void startBroker() throws Exception {
        brokerDir = Files.createTempDirectory("mraflow-kafka-test");
        broker = KafkaLocal.start(brokerDir);
    }

    @AfterAll
    void stopBroker() throws Exception {
        if (broker != null) {
            broker.stop();
        }
        if (brokerDir != null) {
            try (var files = Files.walk(brokerDir)) { // the broker's log of every topic: tens of MB
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** Must show 1: analyze --kafka of the sample, one event per flow plus the diagnosis and the summary; fleet consumes exactly those. */
    @Test
    @Order(1)
    void analyzeToKafkaThenFleetGivesAnalyzeJsonLines() throws Exception {
        final List<String> expected = lines(run("analyze", "--format", "json", SAMPLE.toString()).out);
        final long flows = expected.stream().filter(l -> l.startsWith("{\"event_type\":\"flow\"")).count();
        assertEquals(50, flows);
        assertEquals(flows + 2, expected.size()); // + diagnosis + summary

        // the text report on stdout; Kafka gets the JSON lines all the same
        final Result a = run("analyze", "--kafka", broker.bootstrap(), "--kafka-topic", "t-one", "--sensor", "dmz-1",
                "--spool-dir", tmp.resolve("spool").toString(), SAMPLE.toString());
        assertEquals(ExitCode.OK, a.code, a.err);
        assertTrue(a.err.contains("kafka: " + expected.size() + " events produced to t-one"), a.err);

        final Process fleet = java("fleet", "--kafka", broker.bootstrap(), "--kafka-topic", "t-one", "--format", "json",
                "--until-idle", "4", "--group", "g-one");
        final String out = new String(fleet.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        final String err = new String(fleet.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, fleet.waitFor(), err);
        final List<String> consumed = lines(out);
        assertEquals(sorted(expected), sorted(consumed));
        assertTrue(err.contains("sensor dmz-1: " + expected.size() + " events {diagnosis=1, flow=50, summary=1}"), err);

        // keys and headers: a flow's Community ID, the sensor for the others
        final List<ConsumerRecord<String, byte[]>> records = consumeAll("t-one", expected.size());
        assertEquals(expected.size(), records.size());
        for (ConsumerRecord<String, byte[]> r : records) {
            final String line = new String(r.value(), StandardCharsets.US_ASCII);
            final Map<String, String> f = topStrings(line);
            assertEquals("dmz-1", header(r, "sensor"));
            assertEquals(f.get("event_type"), header(r, "event_type"));
            assertEquals(f.get("event_type").equals("flow") ? f.get("community_id") : "dmz-1", r.key(), line);
        }
    }

    /** Must show 3: two sensors, two fleet consumers in one group; each event counted once; per-sensor totals in the metrics. */
    @Test
    @Order(2)
    void twoSensorsTwoConsumersCountEachEventOnce() throws Exception {
        final Process a = java("analyze", "--format", "json", "--kafka", broker.bootstrap(), "--kafka-topic", "t-two",
                "--sensor", "dc-east", "--spool-dir", tmp.resolve("spool-a").toString(), SAMPLE.toString());
        final Process b = java("analyze", "--format", "json", "--kafka", broker.bootstrap(), "--kafka-topic", "t-two",
                "--sensor", "dc-west", "--spool-dir", tmp.resolve("spool-b").toString(), "--topology",
                SCENARIO.toString().replace(".pcapng", ".topology"), SCENARIO.toString());
        final List<String> linesA = lines(new String(a.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        final List<String> linesB = lines(new String(b.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(0, a.waitFor());
        assertEquals(0, b.waitFor());

        final List<String> consumed = Collections.synchronizedList(new ArrayList<>());
        final FleetCounts c1 = new FleetCounts();
        final FleetCounts c2 = new FleetCounts();
        try (FleetMetrics m1 = FleetMetrics.serve(c1, "127.0.0.1", 0); FleetMetrics m2 = FleetMetrics.serve(c2, "127.0.0.1", 0)) {
            final Thread t1 = consumer(c1, consumed);
            final Thread t2 = consumer(c2, consumed);
            t1.join();
            t2.join();
            final List<String> produced = new ArrayList<>();
            linesA.forEach(l -> produced.add("dc-east " + l));
            linesB.forEach(l -> produced.add("dc-west " + l));
            assertEquals(sorted(produced), sorted(consumed)); // every event once, across the two
            final Map<String, Double> events = new TreeMap<>();
            for (FleetMetrics m : List.of(m1, m2)) {
                final String text = scrape(m.port());
                final Matcher x = Pattern.compile("(?m)^mraflow_fleet_events_total\\{event_type=\"([a-z]+)\",sensor=\"([a-z-]+)\"} ([0-9.E]+)$")
                        .matcher(text);
                while (x.find()) {
                    events.merge(x.group(2), Double.parseDouble(x.group(3)), Double::sum);
                }
            }
            assertEquals(Map.of("dc-east", (double) linesA.size(), "dc-west", (double) linesB.size()), events);
        }
        // the findings of the one-way call, counted per sensor
        final Map<String, Long> findings = new TreeMap<>();
        for (FleetCounts c : List.of(c1, c2)) {
            c.findingsByCode().getOrDefault("dc-west", Map.of()).forEach((k, v) -> findings.merge(k, v, Long::sum));
        }
        final String summary = linesB.get(linesB.size() - 1);
        for (Map.Entry<String, Long> e : findings.entrySet()) {
            assertTrue(summary.contains("\"" + e.getKey() + "\":" + e.getValue()), e + " in " + summary);
        }
        assertTrue(findings.containsKey("ONE_WAY_MEDIA"), findings.toString());
    }

    private Thread consumer(final FleetCounts counts, final List<String> consumed) {
        final Thread t = new Thread(() -> {
            try (FleetConsumer c = new FleetConsumer(broker.bootstrap(), "t-two", "g-two", counts)) {
                c.run(Duration.ofSeconds(6), (sensor, p, line) -> consumed.add(sensor + " " + new String(line, StandardCharsets.US_ASCII)));
            }
        });
        t.start();
        return t;
    }

    /**
     * Must show 2: the broker stopped while a sensor produces, and started again; the sensor restarted
     * meanwhile with its spool. Every event arrives, none twice, each flow's events in the order written,
     * and the spool's use shows in the stats ({@code watch}'s stats events carry this map).
     */
    @Test
    @Order(3)
    void brokerStoppedAndStartedAgainLosesAndRepeatsNothing() throws Exception {
        final List<String> base = lines(run("analyze", "--format", "json", SAMPLE.toString()).out);
        final KafkaConfig config = new KafkaConfig(broker.bootstrap(), "t-three", tmp.resolve("spool"), 64L << 20, 60, 1 << 16);
        final List<Event> sent = new ArrayList<>();
        KafkaEventSink sink = new KafkaEventSink(config, "dmz-3", false);
        send(sink, base, 0, 5, sent);
        final KafkaEventSink first = sink;
        waitFor(() -> first.produced() == sent.size(), () -> "the first events acknowledged: " + first.stats());

        broker.stop();
        send(sink, base, 5, 10, sent);
        waitFor(() -> !first.brokerReachable(), () -> "the broker seen away: " + first.stats());
        send(sink, base, 10, 15, sent);
        waitFor(() -> first.spoolEvents() > 0, () -> "events spooled: " + first.stats());
        final Map<String, Object> away = sink.stats();
        assertEquals(false, away.get("broker_reachable"));
        assertTrue((Long) away.get("spool_bytes") > 0, away.toString());
        // mraflow stops while the broker is away: what it holds stays in the spool
        final long left = sink.close(Duration.ZERO);
        assertTrue(left > 0, "left " + left);

        // mraflow starts again, the broker still away: new events go behind the spool's
        sink = new KafkaEventSink(config, "dmz-3", false);
        assertEquals(left, sink.spoolEvents());
        send(sink, base, 15, 20, sent);
        broker.restart();
        send(sink, base, 20, 25, sent);
        final KafkaEventSink second = sink;
        waitFor(() -> second.spoolEvents() == 0 && second.produced() + first.produced() == sent.size(),
                () -> "everything sent: " + second.stats());
        final Map<String, Object> back = sink.stats();
        assertEquals(true, back.get("broker_reachable"));
        assertTrue((Long) back.get("spooled") > 0 && (Long) back.get("replayed_from_spool") > 0, back.toString());
        assertEquals(0L, back.get("dropped_queue_full"));
        assertEquals(Map.of(), back.get("dropped_spool_full"));
        assertEquals(0, sink.close(Duration.ofSeconds(30)));

        // exactly what was sent: per key the same events in the same order, none lost, none twice
        final List<ConsumerRecord<String, byte[]>> records = consumeAll("t-three", sent.size());
        assertEquals(sent.size(), records.size());
        final Map<String, List<String>> want = new HashMap<>();
        for (Event e : sent) {
            want.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(new String(e.value(), StandardCharsets.US_ASCII));
        }
        final Map<String, List<String>> got = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            got.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(new String(r.value(), StandardCharsets.US_ASCII));
        }
        assertEquals(want, got);
    }

    /**
     * Must show 2 with a whole process: a long {@code analyze --kafka} (a scan of 120,000 distinct
     * flows) whose broker is stopped while it produces and started again: every event arrives once
     * (each flow's Community ID once), and analyze says how many went through its spool.
     */
    @Test
    @Order(4)
    void longAnalyzeOutlivesABrokerRestart() throws Exception {
        final int flows = 120_000;
        final Path scan = tmp.resolve("scan.pcap");
        io.mraflow.synth.ScanCapture.write(scan, flows);
        final Path errFile = tmp.resolve("analyze.err");
        final List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "io.mraflow.cli.Main", "analyze", "--format", "json",
                "--kafka", broker.bootstrap(), "--kafka-topic", "t-four", "--sensor", "long", "--spool-dir",
                tmp.resolve("spool-long").toString(), "--spool-max-mb", "2048", "--kafka-wait", "150", "--stats", scan.toString()));
        final Process analyze = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(errFile.toFile()).start();
        // once the broker holds some of its events, stop it; start it again a little later
        final Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "watcher-t-four");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        long seen = 0;
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of("t-four"));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (seen < 5_000 && System.nanoTime() < deadline && analyze.isAlive()) {
                seen += c.poll(Duration.ofMillis(100)).count();
            }
        }
        assertTrue(seen >= 5_000 && analyze.isAlive(), "stopped the broker while analyze produced: " + seen + " seen; "
                + Files.readString(errFile));
        broker.stop();
        waitFor(() -> false || !analyze.isAlive() || spoolHolds(tmp.resolve("spool-long")), () -> "analyze spooling");
        broker.restart();
        assertTrue(analyze.waitFor(200, TimeUnit.SECONDS));
        final String err = Files.readString(errFile);
        assertEquals(0, analyze.exitValue(), err);
        final Matcher m = Pattern.compile("kafka: (\\d+) events produced to t-four, (\\d+) through the spool").matcher(err);
        assertTrue(m.find(), err);
        assertEquals(flows + 2, Long.parseLong(m.group(1)), err);
        assertTrue(Long.parseLong(m.group(2)) > 0, err);
        assertFalse(err.contains("left in the spool"), err);

        final List<ConsumerRecord<String, byte[]>> records = consumeAll("t-four", flows + 2);
        assertEquals(flows + 2, records.size());
        final java.util.Set<String> keys = new java.util.HashSet<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            if (header(r, "event_type").equals("flow")) {
                assertTrue(keys.add(r.key()), "twice: " + r.key());
            }
        }
        assertEquals(flows, keys.size());
    }

    /**
     * {@code watch --kafka} on the loopback interface (root only: capture needs it): UDP flows to
     * 127.0.0.1:5061, then SIGTERM; every event it wrote on stdout is in the topic, byte for byte,
     * and its stats events carry the sender's counters.
     */
    @Test
    @Order(5)
    void watchProducesWhatItWrites() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "capturing on lo needs root (or CAP_NET_RAW)");
        final Path out = tmp.resolve("watch.jsonl");
        final Path errFile = tmp.resolve("watch.err");
        final List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "io.mraflow.cli.Main", "watch", "-i", "lo",
                "--filter", "udp and port 5061", "--sensor", "live-1", "--stats-every", "1", "--workers", "1",
                "--kafka", broker.bootstrap(), "--kafka-topic", "t-five", "--spool-dir", tmp.resolve("spool-watch").toString()));
        final Process watch = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(errFile.toFile()).start();
        waitFor(() -> !watch.isAlive() || read(errFile).contains("capturing on"), () -> "watch capturing: " + read(errFile));
        org.junit.jupiter.api.Assumptions.assumeTrue(watch.isAlive(), () -> "watch cannot capture on lo here: " + read(errFile));
        for (int i = 0; i < 20; i++) {
            try (java.net.DatagramSocket sock = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
                final byte[] sip = ("OPTIONS sip:expe@127.0.0.1 SIP/2.0\r\nCall-ID: " + i + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
                sock.send(new java.net.DatagramPacket(sip, sip.length, java.net.InetAddress.getLoopbackAddress(), 5061));
            }
        }
        // a stats event written after the packets: they are in the flow tables by then
        final long before = read(out).split("\"event_type\":\"stats\"", -1).length;
        waitFor(() -> read(out).split("\"event_type\":\"stats\"", -1).length > before + 1, () -> "stats events: " + read(out));
        watch.destroy(); // SIGTERM: the open flows end (shutdown), a last stats event, then the sender waits for the broker
        assertTrue(watch.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, watch.exitValue(), read(errFile));
        final List<String> lines = lines(read(out));
        assertEquals(20, lines.stream().filter(l -> l.startsWith("{\"event_type\":\"flow\"")).count(), read(out));
        for (String l : lines) {
            if (l.startsWith("{\"event_type\":\"stats\"")) {
                assertTrue(l.contains("\"kafka\":{\"topic\":\"t-five\",\"produced\":"), l);
                assertTrue(l.contains("\"spool_bytes\":"), l);
            }
        }
        assertTrue(read(errFile).contains("kafka: " + lines.size() + " events produced"), read(errFile));
        final List<String> consumed = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : consumeAll("t-five", lines.size())) {
            consumed.add(new String(r.value(), StandardCharsets.US_ASCII));
            assertEquals("live-1", header(r, "sensor"));
        }
        assertEquals(sorted(lines), sorted(consumed));
    }

    private static String read(final Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Whether a spool directory holds a segment. */
    private static boolean spoolHolds(final Path dir) {
        try (var files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".spool"));
        } catch (IOException e) {
            return false;
        }
    }

    /** The sample's lines, rounds {@code from..to-1}, each tagged with its round: unique events, real lines. */
    private static void send(final KafkaEventSink sink, final List<String> base, final int from, final int to, final List<Event> sent) {
        for (int round = from; round < to; round++) {
            for (String l : base) {
                final Map<String, String> f = topStrings(l);
                final byte[] v = ("{\"round\":" + round + "," + l.substring(1)).getBytes(StandardCharsets.US_ASCII);
                final String cid = f.get("community_id");
                sink.event(f.get("event_type"), cid, v, 0, v.length);
                sent.add(new Event(f.get("event_type"), cid != null ? cid : "dmz-3", v));
            }
        }
    }

    private static void waitFor(final BooleanSupplier done, final java.util.function.Supplier<String> what) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not seen within 150 s: " + what.get());
            }
            Thread.sleep(100);
        }
    }

    /** Every record of {@code topic} (a new group from the earliest), until {@code expected} or 5 s without one. */
    private List<ConsumerRecord<String, byte[]>> consumeAll(final String topic, final int expected) {
        final Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "check-" + topic);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        final List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            long last = System.nanoTime();
            while (System.nanoTime() - last < TimeUnit.SECONDS.toNanos(out.size() >= expected ? 2 : 20)) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    out.add(r);
                    last = System.nanoTime();
                }
            }
        }
        return out;
    }

    private static String header(final ConsumerRecord<?, ?> r, final String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    /** A line's top-level string fields. */
    private static Map<String, String> topStrings(final String line) {
        final Map<String, String> m = new HashMap<>();
        try (JsonParser p = JSON.createParser(line)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                final String name = p.currentName();
                if (p.nextToken() == JsonToken.VALUE_STRING) {
                    m.put(name, p.getText());
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new AssertionError(line, e);
        }
        return m;
    }

    private static String scrape(final int port) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private record Result(ExitCode code, String out, String err) {
    }

    private static Result run(final String... args) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final ExitCode code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** mraflow in a JVM of its own, as a sensor or a fleet consumer runs. */
    private static Process java(final String... args) throws IOException {
        final List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "io.mraflow.cli.Main"));
        cmd.addAll(List.of(args));
        final Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        return p;
    }

    private static List<String> lines(final String s) {
        final List<String> out = new ArrayList<>();
        for (String l : s.split("\n")) {
            if (!l.isEmpty()) {
                out.add(l);
            }
        }
        return out;
    }

    private static List<String> sorted(final List<String> l) {
        final List<String> c = new ArrayList<>(l);
        Collections.sort(c);
        return c;
    }

    @Test
    @Order(0)
    void badOptionsAreNamed() {
        Result r = run("analyze", "--kafka", "localhost", "--kafka-topic", "t", SAMPLE.toString());
        assertEquals(ExitCode.UNREADABLE, r.code);
        assertTrue(r.err.contains("--kafka 'localhost': 'localhost' is not HOST:PORT"), r.err);
        r = run("analyze", "--kafka", "127.0.0.1:9092", SAMPLE.toString());
        assertEquals(ExitCode.UNREADABLE, r.code);
        assertTrue(r.err.contains("--kafka needs --kafka-topic TOPIC"), r.err);
        r = run("analyze", "--kafka", "127.0.0.1:9092", "--kafka-topic", "a b\u001b", SAMPLE.toString());
        assertEquals(ExitCode.UNREADABLE, r.code);
        assertTrue(r.err.contains("--kafka-topic 'a b\\x1b' is not a Kafka topic name"), r.err);
        assertFalse(r.err.contains("\u001b"));
        r = run("analyze", "--kafka", "127.0.0.1:9092", "--kafka-topic", "t", "--spool-dir", "/proc/version/spool", SAMPLE.toString());
        assertEquals(ExitCode.UNREADABLE, r.code);
        assertTrue(r.err.startsWith("mraflow analyze: --spool-dir: "), r.err);
        r = run("analyze", "--spool-dir", tmp.toString(), SAMPLE.toString());
        assertEquals(ExitCode.UNREADABLE, r.code);
        assertTrue(r.err.contains("--spool-dir needs --kafka HOST:PORT"), r.err);
        r = run("fleet", "--kafka", "127.0.0.1:0", "--kafka-topic", "t");
        assertEquals(ExitCode.UNREADABLE, r.code);
        assertTrue(r.err.contains("'127.0.0.1:0' is not HOST:PORT"), r.err);
    }
}
