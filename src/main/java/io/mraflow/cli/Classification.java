package io.mraflow.cli;

import io.mraflow.pipeline.Analysis;
import io.mraflow.pipeline.PipelineConfig;
import io.mraflow.report.TextEscape;
import io.mraflow.rules.AllowList;
import io.mraflow.rules.FindingThresholds;
import io.mraflow.rules.PortReference;
import io.mraflow.rules.Settings;
import io.mraflow.rules.Topology;
import io.mraflow.rules.TopologyFile;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * The options every command that classifies flows takes ({@code analyze}, {@code watch}): the
 * topology, the settings (profile, then the topology file, then options, each overriding), the
 * allow list, ports alone; and the checks both make (an option given twice, the workers' range).
 *
 * @param reference    the port reference
 * @param settings     the settings in force
 * @param topology     the roles given, or null (inferred, or none with {@code portsOnly})
 * @param topologyFile the topology file's name, or null
 * @param allow        the allow list (empty without {@code --allow})
 * @param portsOnly    {@code --ports-only}: no roles at all
 */
record Classification(PortReference reference, Settings settings, Topology topology, String topologyFile,
                      AllowList allow, boolean portsOnly, FindingThresholds thresholds) {


    /** The analysis these options ask for. */
    Analysis analysis() {
        return new Analysis(reference, settings, topology, topologyFile, allow, portsOnly, thresholds);
    }

    /** Adds the classification options to {@code o}. */
    static void addOptions(final Options o) {
        o.addOption(Option.builder().longOpt("topology").hasArg().argName("FILE")
                .desc("roles and settings: lines 'ROLE ADDRESS_OR_CIDR' and 'key value' (see pcaps/mra-sample.topology);"
                        + " without it roles are inferred from the traffic").build());
        o.addOption(Option.builder().longOpt("ports-only")
                .desc("classify by ports alone: no topology, no role inference").build());
        o.addOption(Option.builder().longOpt("profile").hasArg().argName("NAME")
                .desc("settings profile: " + String.join("|", Settings.profileNames()) + " (default default)").build());
        for (String key : Settings.KEYS) {
            if (!key.equals("profile")) {
                o.addOption(Option.builder().longOpt(key).hasArg().argName("VALUE")
                        .desc("setting '" + key + "' (as the topology-file key; overrides the file and the profile)").build());
            }
        }
        o.addOption(Option.builder().longOpt("one-way-min-packets").hasArg().argName("N")
                .desc("media flowing one way for at least N packets is ONE_WAY_MEDIA (default "
                        + FindingThresholds.DEFAULTS.oneWayMinPackets() + ")").build());
        o.addOption(Option.builder().longOpt("rtp-loss-min").hasArg().argName("RATIO")
                .desc("RTP loss from this share of the expected packets on is RTP_LOSS (default "
                        + FindingThresholds.DEFAULTS.rtpLossMinRatio() + ")").build());
        o.addOption(Option.builder().longOpt("rtp-jitter-max").hasArg().argName("MS")
                .desc("an RTP stream whose jitter (RFC 3550) reached MS milliseconds is RTP_JITTER (default "
                        + FindingThresholds.DEFAULTS.rtpJitterMaxMs() + ")").build());
        o.addOption(Option.builder().longOpt("rtp-clock").hasArg().argName("HZ")
                .desc("RTP clock rate of dynamic payload types (96-127), for their jitter: 48000 for Opus, 90000 for"
                        + " video (default: none, their jitter is not measured)").build());
        o.addOption(Option.builder().longOpt("allow").hasArg().argName("FILE")
                .desc("allow list: flows a site knows and accepts are marked allowed instead of raising their finding").build());
    }

    /** Reads the classification options of {@code cmd}. */
    static Classification of(final CommandLine cmd) throws BadOption {
        try {
            final PortReference reference = PortReference.load();
            Settings settings = Settings.defaults();
            Topology topology = null;
            if (cmd.hasOption("profile")) {
                settings = settings.with("profile", cmd.getOptionValue("profile"));
            }
            if (cmd.hasOption("topology")) {
                final TopologyFile tf = TopologyFile.parse(Path.of(cmd.getOptionValue("topology")));
                topology = tf.topology();
                settings = cmd.hasOption("profile") ? settings : tf.settings();
            }
            for (String key : Settings.KEYS) {
                if (!key.equals("profile") && cmd.hasOption(key)) {
                    settings = settings.with(key, cmd.getOptionValue(key));
                }
            }
            final AllowList allow = cmd.hasOption("allow")
                    ? AllowList.parse(Path.of(cmd.getOptionValue("allow")), reference) : AllowList.empty();
            final boolean portsOnly = cmd.hasOption("ports-only");
            return new Classification(reference, settings, portsOnly ? null : topology,
                    cmd.getOptionValue("topology"), allow, portsOnly, thresholds(cmd));
        } catch (IOException | RuntimeException e) {
            throw new BadOption(TextEscape.of(String.valueOf(e.getMessage())));
        }
    }

    private static FindingThresholds thresholds(final CommandLine cmd) throws BadOption {
        final String packets = cmd.getOptionValue("one-way-min-packets", Integer.toString(FindingThresholds.DEFAULTS.oneWayMinPackets()));
        final String ratio = cmd.getOptionValue("rtp-loss-min", Double.toString(FindingThresholds.DEFAULTS.rtpLossMinRatio()));
        final String jitter = cmd.getOptionValue("rtp-jitter-max", Double.toString(FindingThresholds.DEFAULTS.rtpJitterMaxMs()));
        final int n;
        final double r;
        final double j;
        try {
            n = Integer.parseInt(packets);
        } catch (NumberFormatException e) {
            throw new BadOption("--one-way-min-packets '" + TextEscape.of(packets) + "' is not a whole number of at least 1");
        }
        try {
            r = Double.parseDouble(ratio);
        } catch (NumberFormatException e) {
            throw new BadOption("--rtp-loss-min '" + TextEscape.of(ratio) + "' is not a number above 0 and at most 1 (0.01 is 1 %)");
        }
        try {
            j = Double.parseDouble(jitter);
        } catch (NumberFormatException e) {
            throw new BadOption("--rtp-jitter-max '" + TextEscape.of(jitter) + "' is not a number of milliseconds");
        }
        try {
            return new FindingThresholds(n, r, j);
        } catch (IllegalArgumentException e) {
            throw new BadOption((n < 1 ? "--one-way-min-packets: " : !(r > 0 && r <= 1) ? "--rtp-loss-min: " : "--rtp-jitter-max: ")
                    + e.getMessage());
        }
    }

    /** Most a clock rate may be: RTP's are 1 kHz to 90 kHz, audio sampled at 192 kHz the highest in use. */
    static final int MAX_RTP_CLOCK = 1_000_000;

    /** {@code --rtp-clock} applied to {@code pipeline}. */
    static PipelineConfig rtpClock(final CommandLine cmd, final PipelineConfig pipeline) throws BadOption {
        if (!cmd.hasOption("rtp-clock")) {
            return pipeline;
        }
        final String v = cmd.getOptionValue("rtp-clock");
        int hz;
        try {
            hz = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            hz = 0;
        }
        if (hz < 1000 || hz > MAX_RTP_CLOCK) {
            throw new BadOption("--rtp-clock '" + TextEscape.of(v) + "' is not a clock rate in Hz from 1000 to " + MAX_RTP_CLOCK
                    + " (8000, 16000, 48000, 90000)");
        }
        return pipeline.withRtpClock(hz);
    }

    /** {@code --workers} applied to {@code pipeline}, checked against the range the rings allow. */
    static PipelineConfig workers(final CommandLine cmd, final PipelineConfig pipeline) throws BadOption {
        if (!cmd.hasOption("workers")) {
            return pipeline;
        }
        final String n = cmd.getOptionValue("workers");
        final int max = PipelineConfig.maxWorkers(pipeline.ringCapacity());
        int workers;
        try {
            workers = Integer.parseInt(n);
        } catch (NumberFormatException e) {
            workers = 0;
        }
        if (workers < 1 || workers > max) {
            throw new BadOption("--workers '" + TextEscape.of(n) + "' is not a number from 1 to " + max
                    + " (at most " + PipelineConfig.MAX_WORKERS + ", fewer when their rings, "
                    + (pipeline.ringCapacity() >> 20) + " MiB each, would take over half the JVM's direct memory)");
        }
        return pipeline.withWorkers(workers);
    }

    /** The {@code --workers} option. */
    static Option workersOption() {
        return Option.builder().longOpt("workers").hasArg().argName("N")
                .desc("flow-table worker threads, 1 to " + PipelineConfig.maxWorkers(PipelineConfig.DEFAULT_RING_CAPACITY)
                        + " here (default: cores - 1, at least 1; now " + PipelineConfig.defaultWorkers() + ")")
                .build();
    }
}
