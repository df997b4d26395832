package io.mraflow.cli;



import io.mraflow.capture.LiveCapture;
import io.mraflow.capture.LiveCaptureException;
import io.mraflow.capture.LibpcapUnavailableException;
import io.mraflow.flow.FlowTableConfig;
import io.mraflow.kafka.KafkaConfig;
import io.mraflow.kafka.KafkaEventSink;
import io.mraflow.kafka.KafkaMetrics;
import io.mraflow.pipeline.EventStage;
import io.mraflow.pipeline.LiveAnalysis;
import io.mraflow.pipeline.PipelineConfig;
import io.mraflow.report.EventFile;
import io.mraflow.report.FlowJsonWriter;
import io.mraflow.report.Metrics;
import io.mraflow.report.TextEscape;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code mraflow watch -i IFACE...}: live interfaces analysed until SIGINT or SIGTERM, events as
 * JSON lines, counters for Prometheus. Options only: {@link LiveAnalysis} and {@link EventStage}
 * do the work.
 */
final class WatchCommand {
    static final int DEFAULT_SNAPLEN = 262_144;
    static final int DEFAULT_STATS_EVERY_S = 60;
    /** --kafka: at exit, how long the broker is waited for by default. */
    static final int KAFKA_WAIT_S = 10;

    private final PrintStream out;
    private final PrintStream err;

    WatchCommand(final PrintStream out, final PrintStream err) {
        this.out = out;
        this.err = err;
    }

    static Options options() {
        final Options o = new Options();
        o.addOption(Option.builder("i").longOpt("interface").hasArgs().argName("IFACE")
                .desc("interface to capture on (repeat for several; mraflow interfaces lists them)").build());
        o.addOption(Option.builder().longOpt("filter").hasArg().argName("BPF").desc("capture filter (libpcap syntax)").build());
        o.addOption(Option.builder().longOpt("snaplen").hasArg().argName("N")
                .desc("bytes kept of each packet (default " + DEFAULT_SNAPLEN + ")").build());
        o.addOption(Option.builder().longOpt("buffer-mb").hasArg().argName("N")
                .desc("kernel capture buffer per interface, MiB (default: libpcap's, 2)").build());
        o.addOption(Option.builder().longOpt("promisc").desc("promiscuous mode").build());
        Classification.addOptions(o);
        o.addOption(Option.builder().longOpt("events").hasArg().argName("FILE")
                .desc("write events to FILE (appended, flushed per event; SIGHUP reopens it) instead of stdout").build());
        o.addOption(Option.builder().longOpt("events-max-mb").hasArg().argName("N")
                .desc("rotate the events file past N MiB (default: never)").build());
        o.addOption(Option.builder().longOpt("events-keep").hasArg().argName("K")
                .desc("rotated events files kept: FILE.1 .. FILE.K (default 5)").build());
        o.addOption(Option.builder().longOpt("sensor").hasArg().argName("NAME")
                .desc("the sensor's name on every event (default: the host name)").build());
        o.addOption(Option.builder().longOpt("stats-every").hasArg().argName("SECONDS")
                .desc("a stats event every SECONDS (default " + DEFAULT_STATS_EVERY_S + ") and at exit").build());
        o.addOption(Option.builder().longOpt("metrics-port").hasArg().argName("N")
                .desc("serve Prometheus metrics on this port (0: any free port, printed on stderr)").build());
        o.addOption(Option.builder().longOpt("metrics-bind").hasArg().argName("ADDR")
                .desc("address the metrics port listens on (default 127.0.0.1)").build());
        o.addOption(Option.builder().longOpt("max-flows").hasArg().argName("N")
                .desc("flows held at once per interface; beyond, the least recently seen is evicted"
                        + " (default: sized to the heap, printed at start)").build());
        o.addOption(Classification.workersOption());
        KafkaOptions.addProducerOptions(o, KAFKA_WAIT_S);
        o.addOption(Option.builder("h").longOpt("help").desc("this help").build());
        return o;
    }

    ExitCode run(final String[] args) {
        final CommandLine cmd = CommandLines.parse("watch", options(), args, err);
        if (cmd == null) {
            return ExitCode.UNREADABLE;
        }
        if (cmd.hasOption("help")) {
            CommandLines.help(out, "mraflow watch -i IFACE [-i IFACE...] [OPTIONS]",
                    "Captures on live interfaces and writes events as JSON lines: a finding event when a flow earns a"
                            + " finding, a flow event when it ends, a stats event every --stats-every seconds and at exit."
                            + " SIGINT or SIGTERM ends every open flow (ended: shutdown) and exits 0.",
                    options(), "exit codes: 0 stopped by a signal; 2 bad options, an interface that cannot be"
                            + " captured on, a filter that does not compile; 3 every interface failed while watched;"
                            + " 4 mraflow itself failed.");
            return ExitCode.OK;
        }
        final Classification rules;
        final PipelineConfig pipeline;
        final int snaplen;
        final int bufferBytes;
        final long statsEvery;
        final long maxFlows;
        final int eventsKeep;
        final long eventsMaxBytes;
        final Integer metricsPort;
        try {
            rules = Classification.of(cmd);
            pipeline = Classification.rtpClock(cmd, Classification.workers(cmd, PipelineConfig.defaults().withProgress(false)));
            snaplen = BadOption.intInRange(cmd, "snaplen", DEFAULT_SNAPLEN, 64, 262_144);
            bufferBytes = BadOption.intInRange(cmd, "buffer-mb", 0, 1, 2048) << 20;
            statsEvery = BadOption.intInRange(cmd, "stats-every", DEFAULT_STATS_EVERY_S, 1, 86_400) * 1_000_000_000L;
            maxFlows = BadOption.intInRange(cmd, "max-flows", 0, 1_000, FlowTableConfig.MAX_POSSIBLE_CAPACITY * 7 / 10);
            eventsKeep = BadOption.intInRange(cmd, "events-keep", 5, 0, 1000);
            eventsMaxBytes = (long) BadOption.intInRange(cmd, "events-max-mb", 0, 1, 1 << 20) << 20;
            metricsPort = cmd.hasOption("metrics-port") ? BadOption.intInRange(cmd, "metrics-port", 0, 0, 65_535) : null;
            BadOption.refuseRepeated(cmd, "i");
        } catch (BadOption e) {
            err.println("mraflow watch: " + e.getMessage());
            return ExitCode.UNREADABLE;
        }
        final String[] names = cmd.getOptionValues("interface");
        if (names == null || names.length == 0) {
            err.println("mraflow watch: no interface given (-i IFACE; mraflow interfaces lists them)");
            return ExitCode.UNREADABLE;
        }

        final List<LiveCapture> captures = new ArrayList<>();
        try {
            for (String name : names) {
                captures.add(LiveCapture.open(name, snaplen, cmd.hasOption("promisc"), bufferBytes, cmd.getOptionValue("filter")));
            }
        } catch (LiveCaptureException e) {
            captures.forEach(LiveCapture::close);
            err.println("mraflow watch: " + TextEscape.of(e.getMessage()));
            return ExitCode.UNREADABLE;
        } catch (LibpcapUnavailableException e) {
            err.println("mraflow watch: " + TextEscape.of(e.getMessage()));
            return ExitCode.UNREADABLE;
        }

        final String sensor = cmd.getOptionValue("sensor", hostName());
        final KafkaEventSink kafka;
        final KafkaConfig kc;
        try {
            kc = KafkaOptions.producer(cmd, sensor, KAFKA_WAIT_S, 1 << 16);
            kafka = kc == null ? null : new KafkaEventSink(kc, sensor, false);
        } catch (BadOption e) {
            captures.forEach(LiveCapture::close);
            err.println("mraflow watch: " + e.getMessage());
            return ExitCode.UNREADABLE;
        } catch (IOException e) {
            captures.forEach(LiveCapture::close);
            err.println("mraflow watch: --spool-dir: " + TextEscape.of(String.valueOf(e.getMessage())));
            return ExitCode.UNREADABLE;
        }
        final EventFile file;
        final OutputStream sink;
        try {
            file = cmd.hasOption("events") ? new EventFile(Path.of(cmd.getOptionValue("events")), eventsMaxBytes, eventsKeep) : null;
            sink = file != null ? file : new BufferedOutputStream(out, 1 << 16);
        } catch (IOException e) {
            captures.forEach(LiveCapture::close);
            if (kafka != null) {
                kafka.close(java.time.Duration.ZERO);
            }
            err.println("mraflow watch: --events: " + TextEscape.of(String.valueOf(e.getMessage())));
            return ExitCode.UNREADABLE;
        }
        final FlowJsonWriter writer = new FlowJsonWriter(sink, sensor, kafka);
        final LiveAnalysis[] live = new LiveAnalysis[1];
        final EventStage events = new EventStage(writer, rules.analysis(), 5_000_000_000L, w -> {
            if (kafka == null) {
                live[0].writeStats(w);
            } else {
                final Map<String, Object> fields = live[0].statsFields();
                fields.put("kafka", kafka.stats()); // the spool's use, what was dropped
                final java.time.Instant now = java.time.Instant.now();
                w.writeEvent("stats", now.getEpochSecond() * 1_000_000_000L + now.getNano(), null, fields);
                w.flush();
            }
        }, statsEvery);
        live[0] = new LiveAnalysis(captures, FlowTableConfig.defaults(), pipeline, events, maxFlows);

        final CountDownLatch stop = new CountDownLatch(1);
        Signals.on("INT", () -> stop.countDown());
        Signals.on("TERM", () -> stop.countDown());
        if (file != null) {
            Signals.on("HUP", () -> file.reopen());
        }
        Metrics metrics = null;
        try {
            if (metricsPort != null) {
                metrics = Metrics.serve(live[0], cmd.getOptionValue("metrics-bind", "127.0.0.1"), metricsPort,
                        r -> {
                            if (kafka != null) {
                                KafkaMetrics.register(r, kafka);
                            }
                        });
                err.println("mraflow watch: metrics on http://" + cmd.getOptionValue("metrics-bind", "127.0.0.1") + ":"
                        + metrics.port() + "/metrics");
            }
        } catch (IOException e) {
            captures.forEach(LiveCapture::close);
            if (kafka != null) {
                kafka.close(java.time.Duration.ZERO);
            }
            err.println("mraflow watch: --metrics-port " + metricsPort + ": " + TextEscape.of(String.valueOf(e.getMessage())));
            return ExitCode.UNREADABLE;
        }
        err.println("mraflow watch: capturing on " + String.join(", ", names) + " as sensor '" + TextEscape.of(sensor)
                + "'; at most " + live[0].maxFlowsPerInterface() + " flows held per interface; roles "
                + (rules.portsOnly() ? "none (--ports-only)" : rules.topology() != null ? "from " + rules.topologyFile()
                : "inferred as evidence comes"));
        live[0].start();
        final Thread interfacesEnded = new Thread(() -> {
            try {
                live[0].awaitInterfaces();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stop.countDown(); // every interface failed: nothing left to watch
        }, "mraflow-interfaces");
        interfacesEnded.setDaemon(true);
        interfacesEnded.start();
        try {
            stop.await();
            live[0].stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.close();
        if (kafka != null) {
            final long left = kafka.close(java.time.Duration.ofSeconds(kc.waitSeconds()));
            err.println("mraflow watch: kafka: " + kafka.produced() + " events produced" + (left > 0 ? "; " + left
                    + " left in the spool, for the next run to send" : ""));
        }
        if (metrics != null) {
            metrics.close();
        }
        final Map<String, String> failures = live[0].failures();
        failures.forEach((iface, why) -> err.println("mraflow watch: " + TextEscape.of(iface) + " stopped: " + TextEscape.of(why)));
        return failures.size() == names.length ? ExitCode.PARTIAL : ExitCode.OK;
    }


    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
