package io.mraflow.kafkalocal;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * A single-node Kafka broker in KRaft combined mode (broker and controller in one JVM), on
 * 127.0.0.1 only, run from the {@code org.apache.kafka:kafka_2.13} artifact Maven fetched (test
 * scope: the broker is not in mraflow's jar). {@code scripts/kafka-local start|stop} runs this
 * class's {@link #main}; the Kafka tests start brokers through {@link #start} as well.
 *
 * <p>A broker lives in a directory: {@code server.properties} (written on the first start, with
 * two free ports: clients', the controller's), {@code data/} (its log, formatted by Kafka's storage
 * tool on the first start), {@code broker.log}, {@code pid}. Started again in the same directory it
 * keeps its ports and its data: a stopped broker comes back with every event it held.
 */
@SuppressWarnings("try") // close() waits for a child process; an interrupt there is the test runner's to see
public final class KafkaLocal {
    private KafkaLocal() {
    }

    /** A broker started by {@link #start}: a child JVM. */
    public static final class Broker implements AutoCloseable {
        private final Path dir;
        private final int port;
        private Process process;

        private Broker(final Path dir, final int port, final Process process) {
            this.dir = dir;
            this.port = port;
            this.process = process;
        }

        public String bootstrap() {
            return "127.0.0.1:" + port;
        }

        public Path dir() {
            return dir;
        }

        /** Stops the broker (SIGTERM: a clean shutdown) and waits for its JVM to end. */
        public void stop() throws InterruptedException {
            if (process != null && process.isAlive()) {
                process.destroy();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            }
            process = null;
        }

        /** Starts it again in its directory, with its ports and data. */
        public void restart() throws IOException, InterruptedException {
            stop();
            process = launch(dir);
            awaitReady(dir, port, process);
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }
    }

    /** Starts a broker in {@code dir} (configured and formatted on first use) and waits until it takes clients. */
    public static Broker start(final Path dir) throws IOException, InterruptedException {
        final int port = configure(dir);
        final Process p = launch(dir);
        awaitReady(dir, port, p);
        return new Broker(dir, port, p);
    }

    /** Writes {@code server.properties} and formats the storage on first use; returns the client port. */
    static int configure(final Path dir) throws IOException {
        Files.createDirectories(dir);
        final Path config = dir.resolve("server.properties");
        if (!Files.exists(config)) {
            final int port = freePort();
            int controller = freePort();
            while (controller == port) {
                controller = freePort();
            }
            final String props = String.join("\n",
                    "# scripts/kafka-local: a single-node KRaft broker on loopback (broker and controller in one JVM)",
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.voters=1@127.0.0.1:" + controller,
                    "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                    "controller.listener.names=CONTROLLER",
                    "inter.broker.listener.name=PLAINTEXT",
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                    "log.dirs=" + dir.toAbsolutePath().resolve("data"),
                    "num.partitions=4",
                    "auto.create.topics.enable=true",
                    "offsets.topic.replication.factor=1",
                    "offsets.topic.num.partitions=4",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "share.coordinator.state.topic.replication.factor=1",
                    "share.coordinator.state.topic.min.isr=1",
                    "min.insync.replicas=1",
                    "group.initial.rebalance.delay.ms=0",
                    "num.network.threads=2",
                    "num.io.threads=2",
                    "background.threads=2",
                    "log.cleaner.enable=false",
                    "") ;
            Files.writeString(config, props);
        }
        final Properties p = new Properties();
        try (var in = Files.newInputStream(config)) {
            p.load(in);
        }
        if (!Files.exists(dir.resolve("data").resolve("meta.properties"))) {
            final int rc = kafka.tools.StorageTool.execute(new String[] {"format", "--ignore-formatted", "-t",
                    uuidBase64(), "-c", config.toString()}, new PrintStream(java.io.OutputStream.nullOutputStream()));
            if (rc != 0) {
                throw new IOException("formatting the broker's storage in " + dir + " failed (kafka-storage format: " + rc + ")");
            }
        }
        final String listeners = p.getProperty("advertised.listeners");
        return Integer.parseInt(listeners.substring(listeners.lastIndexOf(':') + 1));
    }

    private static String uuidBase64() {
        return org.apache.kafka.common.Uuid.randomUuid().toString();
    }

    @SuppressWarnings("AddressSelection") // the broker listens on IPv4 loopback only, by design
    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    /** The broker's JVM: a small heap, this class path, {@code kafka.Kafka server.properties}. */
    static Process launch(final Path dir) throws IOException {
        final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        final ProcessBuilder pb = new ProcessBuilder(List.of(java.toString(), "-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"),
                "kafka.Kafka", dir.resolve("server.properties").toString()));
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("broker.log").toFile()));
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        final Process p = pb.start();
        Files.writeString(dir.resolve("pid"), p.pid() + "\n");
        return p;
    }

    /** Waits (at most 90 s) until the broker answers a client; fails when its JVM ends first. */
    static void awaitReady(final Path dir, final int port, final Process p) throws IOException, InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (p != null && !p.isAlive()) {
                throw new IOException("the Kafka broker in " + dir + " exited with " + p.exitValue() + " (see broker.log there)");
            }
            if (answers(port)) {
                return;
            }
            Thread.sleep(300);
        }
        throw new IOException("the Kafka broker in " + dir + " did not answer on 127.0.0.1:" + port + " within 90 s");
    }

    /** Whether a broker answers on {@code port}: the port takes connections and the cluster describes itself. */
    @SuppressWarnings("AddressSelection") // the broker listens on IPv4 loopback only, by design
    static boolean answers(final int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        } catch (IOException e) {
            return false;
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
            return !admin.describeCluster(new DescribeClusterOptions().timeoutMs(3000)).nodes().get(5, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    private static Optional<ProcessHandle> running(final Path dir) throws IOException {
        final Path pid = dir.resolve("pid");
        if (!Files.exists(pid)) {
            return Optional.empty();
        }
        final long n = Long.parseLong(Files.readString(pid).trim());
        final Path cmdline = Path.of("/proc", String.valueOf(n), "cmdline");
        // the pid is the broker's only while its command line still names kafka.Kafka (pids are reused)
        final boolean broker = Files.exists(cmdline)
                && new String(Files.readAllBytes(cmdline), java.nio.charset.StandardCharsets.ISO_8859_1).contains("kafka.Kafka");
        return broker ? ProcessHandle.of(n).filter(ProcessHandle::isAlive) : Optional.empty();
    }

    /**
     * {@code start DIR}: starts the broker of DIR unless it runs, prints its bootstrap address;
     * {@code stop DIR}: stops it. Exit 1 with one line on stderr when that fails.
     */
    public static void main(final String[] args) throws Exception {
        if (args.length != 2 || !List.of("start", "stop").contains(args[0])) {
            System.err.println("usage: KafkaLocal start|stop DIR");
            System.exit(2);
        }
        final Path dir = Path.of(args[1]).toAbsolutePath();
        try {
            if (args[0].equals("start")) {
                final int port = configure(dir);
                if (running(dir).isPresent()) {
                    awaitReady(dir, port, null);
                } else {
                    final Process p = launch(dir);
                    awaitReady(dir, port, p);
                }
                System.out.println("127.0.0.1:" + port);
            } else {
                final Optional<ProcessHandle> h = running(dir);
                if (h.isPresent()) {
                    h.get().destroy();
                    h.get().onExit().get(60, TimeUnit.SECONDS);
                    System.err.println("kafka-local: stopped the broker in " + dir);
                } else {
                    System.err.println("kafka-local: no broker runs in " + dir);
                }
                Files.deleteIfExists(dir.resolve("pid"));
            }
        } catch (IOException e) {
            System.err.println("kafka-local: " + e.getMessage());
            System.exit(1);
        }
        System.exit(0);
    }


}
