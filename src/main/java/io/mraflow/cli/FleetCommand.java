package io.mraflow.cli;

import io.mraflow.kafka.FleetConsumer;
import io.mraflow.kafka.FleetCounts;
import io.mraflow.kafka.FleetMetrics;
import io.mraflow.kafka.KafkaConfig;
import io.mraflow.report.TextEscape;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code mraflow fleet --kafka HOST:PORT --kafka-topic TOPIC}: the events of many sensors, consumed
 * from Kafka as a member of a consumer group, counted per sensor, served as Prometheus metrics with a
 * {@code sensor} label, printed as they arrive. Options only: {@link FleetConsumer} does the work.
 */
final class FleetCommand {
    private static final List<String> FORMATS = List.of("text", "json");

    private final PrintStream out;
    private final PrintStream err;

    FleetCommand(final PrintStream out, final PrintStream err) {
        this.out = out;
        this.err = err;
    }

    static Options options() {
        final Options o = new Options();
        KafkaOptions.addClientOptions(o);
        o.addOption(Option.builder().longOpt("group").hasArg().argName("ID")
                .desc("the consumer group: fleet consumers of one group share the topic's partitions (default mraflow-fleet)").build());
        o.addOption(Option.builder().longOpt("format").hasArg().argName("FORMAT")
                .desc("text: each finding as it arrives (default); json: every event consumed, one JSON line each").build());
        o.addOption(Option.builder().longOpt("metrics-port").hasArg().argName("N")
                .desc("serve Prometheus metrics, per sensor, on this port (0: any free port, printed on stderr)").build());
        o.addOption(Option.builder().longOpt("metrics-bind").hasArg().argName("ADDR")
                .desc("address the metrics port listens on (default 127.0.0.1)").build());
        o.addOption(Option.builder().longOpt("until-idle").hasArg().argName("SECONDS")
                .desc("exit after SECONDS without a new event, printing the totals (default: run until SIGINT or SIGTERM)").build());
        o.addOption(Option.builder("h").longOpt("help").desc("this help").build());
        return o;
    }

    ExitCode run(final String[] args) {
        final CommandLine cmd = CommandLines.parse("fleet", options(), args, err);
        if (cmd == null) {
            return ExitCode.UNREADABLE;
        }
        if (cmd.hasOption("help")) {
            CommandLines.help(out, "mraflow fleet --kafka HOST:PORT --kafka-topic TOPIC [OPTIONS]",
                    "Consumes the events mraflow sensors produce to Kafka (watch --kafka, analyze --kafka), as a member of a"
                            + " consumer group; counts them per sensor, row and finding, keeps each sensor's latest stats, serves them"
                            + " as Prometheus metrics and prints findings as they arrive.",
                    options(), "exit codes: 0 stopped by a signal or --until-idle; 2 bad options.");
            return ExitCode.OK;
        }
        final String bootstrap;
        final String topic;
        final Integer metricsPort;
        final Integer idle;
        final String format = cmd.getOptionValue("format", "text");
        try {
            bootstrap = KafkaOptions.bootstrap(cmd);
            topic = KafkaOptions.topic(cmd);
            metricsPort = cmd.hasOption("metrics-port") ? BadOption.intInRange(cmd, "metrics-port", 0, 0, 65_535) : null;
            idle = cmd.hasOption("until-idle") ? BadOption.intInRange(cmd, "until-idle", 1, 1, 86_400) : null;
            if (!FORMATS.contains(format)) {
                throw new BadOption("--format '" + TextEscape.of(format) + "' is not one of: text, json");
            }
        } catch (BadOption e) {
            err.println("mraflow fleet: " + e.getMessage());
            return ExitCode.UNREADABLE;
        }
        final String group = cmd.getOptionValue("group", "mraflow-fleet");
        final FleetCounts counts = new FleetCounts();
        FleetMetrics metrics = null;
        try {
            if (metricsPort != null) {
                metrics = FleetMetrics.serve(counts, cmd.getOptionValue("metrics-bind", "127.0.0.1"), metricsPort);
                err.println("mraflow fleet: metrics on http://" + cmd.getOptionValue("metrics-bind", "127.0.0.1") + ":"
                        + metrics.port() + "/metrics");
            }
        } catch (IOException e) {
            err.println("mraflow fleet: --metrics-port " + metricsPort + ": " + TextEscape.of(String.valueOf(e.getMessage())));
            return ExitCode.UNREADABLE;
        }
        final boolean json = format.equals("json");
        final PrintStream lines = new PrintStream(new BufferedOutputStream(out, 1 << 16), false);
        try (FleetConsumer consumer = new FleetConsumer(bootstrap, topic, group, counts)) {
            Signals.on("INT", () -> consumer.stop());
            Signals.on("TERM", () -> consumer.stop());
            err.println("mraflow fleet: consuming " + TextEscape.of(topic) + " from " + TextEscape.of(bootstrap) + " in group "
                    + TextEscape.of(group));
            consumer.run(idle == null ? null : Duration.ofSeconds(idle), (sensor, p, line) -> {
                if (json) {
                    lines.write(line, 0, line.length);
                    lines.write('\n');
                } else if (p != null && "finding".equals(p.eventType())) {
                    finding(lines, sensor, new FleetCounts.Finding(p.findingCode(), p.severity(), p.message()), p.communityId());
                } else if (p != null && "flow".equals(p.eventType()) && !p.live()) {
                    // analyze writes no finding events: a flow's findings come with its flow line
                    p.findings().forEach(f -> finding(lines, sensor, f, p.communityId()));
                }
            });
        } catch (org.apache.kafka.common.KafkaException e) {
            lines.flush();
            err.println("mraflow fleet: Kafka: " + TextEscape.of(String.valueOf(e.getMessage())));
            return ExitCode.INTERNAL;
        } finally {
            lines.flush();
            if (metrics != null) {
                metrics.close();
            }
        }
        totals(counts, json ? err : out);
        return ExitCode.OK;
    }

    /** One finding, one line: sensor, severity, code, message, the flow's Community ID; every string escaped. */
    private static void finding(final PrintStream to, final String sensor, final FleetCounts.Finding f, final String communityId) {
        to.println(TextEscape.of(sensor) + "  " + TextEscape.of(String.valueOf(f.severity())).toUpperCase(Locale.ROOT) + " "
                + TextEscape.of(String.valueOf(f.code())) + ": " + TextEscape.of(String.valueOf(f.message()))
                + "  [" + TextEscape.of(String.valueOf(communityId)) + "]");
        to.flush();
    }

    /** The totals: per sensor, events by type, flows by row, findings by code. */
    private static void totals(final FleetCounts counts, final PrintStream to) {
        to.println("fleet totals: " + counts.total() + " events");
        final Map<String, Map<String, Long>> rows = counts.flowsByRow();
        final Map<String, Map<String, Long>> findings = counts.findingsByCode();
        counts.events().forEach((sensor, types) -> {
            to.println("  sensor " + TextEscape.of(sensor) + ": " + types.values().stream().mapToLong(Long::longValue).sum()
                    + " events " + escape(types));
            to.println("    flows by row " + escape(rows.getOrDefault(sensor, Map.of())));
            to.println("    findings by code " + escape(findings.getOrDefault(sensor, Map.of())));
        });
        to.flush();
    }

    private static String escape(final Map<String, Long> m) {
        final StringBuilder b = new StringBuilder("{");
        m.forEach((k, v) -> b.append(b.length() > 1 ? ", " : "").append(TextEscape.of(k)).append('=').append(v));
        return b.append('}').toString();
    }

}
