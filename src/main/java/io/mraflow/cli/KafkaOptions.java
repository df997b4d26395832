package io.mraflow.cli;

import io.mraflow.kafka.KafkaConfig;
import io.mraflow.report.TextEscape;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * The Kafka options of {@code watch}, {@code analyze} and {@code fleet}: {@code --kafka
 * HOST:PORT[,...]}, {@code --kafka-topic TOPIC}, and for producers {@code --spool-dir},
 * {@code --spool-max-mb}, {@code --kafka-wait}. Checked here, each error naming its option.
 */
final class KafkaOptions {
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]+|\\[[0-9A-Fa-f:.]+\\]");

    private KafkaOptions() {
    }

    /** Adds {@code --kafka} and {@code --kafka-topic}. */
    static void addClientOptions(final Options o) {
        o.addOption(Option.builder().longOpt("kafka").hasArg().argName("HOST:PORT[,...]")
                .desc("Kafka bootstrap brokers").build());
        o.addOption(Option.builder().longOpt("kafka-topic").hasArg().argName("TOPIC").desc("the Kafka topic of the events").build());
    }

    /** Adds the producer's options: the client's and the spool's. */
    static void addProducerOptions(final Options o, final int defaultWait) {
        addClientOptions(o);
        o.addOption(Option.builder().longOpt("spool-dir").hasArg().argName("DIR")
                .desc("with --kafka: events wait here while the broker is unreachable, and what is left at exit is sent"
                        + " by the next run (default ~/.local/state/mraflow/spool/SENSOR)").build());
        o.addOption(Option.builder().longOpt("spool-max-mb").hasArg().argName("N")
                .desc("with --kafka: the spool's bound in MiB (default " + KafkaConfig.DEFAULT_SPOOL_MAX_MB
                        + "); past 90 % only findings are kept, past it they too are dropped, counted").build());
        o.addOption(Option.builder().longOpt("kafka-wait").hasArg().argName("SECONDS")
                .desc("with --kafka: at exit, wait at most SECONDS for the broker to take what is left (default "
                        + defaultWait + "); the rest stays in the spool").build());
    }

    /** The producer's configuration, or null without {@code --kafka}. */
    static KafkaConfig producer(final CommandLine cmd, final String sensor, final int defaultWait, final int queueEvents)
            throws BadOption {
        if (!cmd.hasOption("kafka")) {
            for (String o : List.of("kafka-topic", "spool-dir", "spool-max-mb", "kafka-wait")) {
                if (cmd.hasOption(o)) {
                    throw new BadOption("--" + o + " needs --kafka HOST:PORT");
                }
            }
            return null;
        }
        final String bootstrap = bootstrap(cmd);
        final String topic = topic(cmd);
        final Path dir = cmd.hasOption("spool-dir") ? Path.of(cmd.getOptionValue("spool-dir"))
                : Path.of(System.getProperty("user.home"), ".local", "state", "mraflow", "spool", safe(sensor));
        final int mb = BadOption.intInRange(cmd, "spool-max-mb", KafkaConfig.DEFAULT_SPOOL_MAX_MB, 1, 1 << 20);
        final int wait = BadOption.intInRange(cmd, "kafka-wait", defaultWait, 0, 86_400);
        return new KafkaConfig(bootstrap, topic, dir, (long) mb << 20, wait, queueEvents);
    }

    /** {@code --kafka}, checked: HOST:PORT items, comma-separated. */
    static String bootstrap(final CommandLine cmd) throws BadOption {
        final String v = cmd.getOptionValue("kafka");
        if (v == null) {
            throw new BadOption("--kafka HOST:PORT is needed");
        }
        for (String item : v.split(",", -1)) {
            final int colon = item.lastIndexOf(':');
            boolean ok = colon > 0 && HOST.matcher(item.substring(0, colon)).matches();
            if (ok) {
                try {
                    final int port = Integer.parseInt(item.substring(colon + 1));
                    ok = port >= 1 && port <= 65_535;
                } catch (NumberFormatException e) {
                    ok = false;
                }
            }
            if (!ok) {
                throw new BadOption("--kafka '" + TextEscape.of(v) + "': '" + TextEscape.of(item)
                        + "' is not HOST:PORT (a host name or address and a port from 1 to 65535; several separated by commas)");
            }
        }
        return v;
    }

    /** {@code --kafka-topic}, checked against Kafka's rules for topic names. */
    static String topic(final CommandLine cmd) throws BadOption {
        final String t = cmd.getOptionValue("kafka-topic");
        if (t == null) {
            throw new BadOption("--kafka needs --kafka-topic TOPIC");
        }
        if (!TOPIC.matcher(t).matches() || t.equals(".") || t.equals("..")) {
            throw new BadOption("--kafka-topic '" + TextEscape.of(t)
                    + "' is not a Kafka topic name (1 to 249 of A-Z a-z 0-9 . _ -)");
        }
        return t;
    }

    /** A sensor name as a file name. */
    private static String safe(final String sensor) {
        final String s = sensor.replaceAll("[^A-Za-z0-9._-]", "_");
        return s.isEmpty() || s.startsWith(".") ? "_" + s : s;
    }
}
