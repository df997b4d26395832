package io.mraflow.cli;



import io.mraflow.capture.CaptureCopy;
import io.mraflow.flow.FlowTableConfig;
import io.mraflow.kafka.KafkaConfig;
import io.mraflow.kafka.KafkaEventSink;
import io.mraflow.pipeline.Analysis;
import io.mraflow.pipeline.AnalysisResult;
import io.mraflow.pipeline.EndedFlows;
import io.mraflow.pipeline.FileAnalysis;
import io.mraflow.pipeline.FlowPacketSelection;
import io.mraflow.pipeline.PipelineConfig;
import io.mraflow.pipeline.ThreadCpuClock;
import io.mraflow.report.FileReport;
import io.mraflow.report.FlowTextWriter;
import io.mraflow.report.ReportWarmup;
import io.mraflow.report.TextEscape;
import io.mraflow.report.VerdictTotals;
import io.mraflow.report.html.HtmlReport;
import io.mraflow.rules.Severity;
import io.mraflow.rules.TopologyFile;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** {@code mraflow analyze FILE...}: read capture files, follow every flow, give each its verdict. */
final class AnalyzeCommand {
    private static final List<String> FORMATS = List.of("text", "json");
    private static final List<String> ONLY = List.of("all", "findings");
    /** --kafka: at exit, how long the broker is waited for by default. */
    static final int KAFKA_WAIT_S = 30;

    private final PrintStream out;
    private final PrintStream err;
    /** --kafka: every JSON line also goes to Kafka through it (null without). */
    private KafkaEventSink kafka;

    AnalyzeCommand(final PrintStream out, final PrintStream err) {
        this.out = out;
        this.err = err;
    }

    static Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("format").hasArg().argName("FORMAT")
                .desc("output: " + String.join("|", FORMATS) + " (default text); json = one object per flow per line").build());
        Classification.addOptions(o);
        o.addOption(Option.builder().longOpt("html").hasArg().argName("FILE")
                .desc("also write a self-contained HTML report to FILE (diagnosis, topology picture, timeline, RTP plots, findings)").build());
        o.addOption(Option.builder().longOpt("save-topology").hasArg().argName("FILE")
                .desc("write the inferred topology, with its evidence, to FILE (to correct and pass back with --topology)").build());
        o.addOption(Option.builder().longOpt("only").hasArg().argName("WHAT")
                .desc("which flows to list: " + String.join("|", ONLY) + " (default all); the summary counts every flow").build());
        o.addOption(Option.builder().longOpt("write-pcap").hasArg().argName("FILE")
                .desc("also write the packets of the flows listed (all, or with --only findings the flagged ones) to FILE,"
                        + " in the input's format (pcap or pcapng), to open in Wireshark; reads the input files a second time,"
                        + " so not with standard input or a FIFO").build());
        o.addOption(Option.builder().longOpt("fail-on").hasArg().argName("SEVERITY")
                .desc("exit 1 when a finding of this severity or worse is raised: "
                        + Arrays.stream(Severity.values()).map(Severity::label).reduce((a, b) -> a + "|" + b).orElse("")
                        + " (default: never)").build());
        o.addOption(Option.builder().longOpt("stats").desc("print packet counters and the packet rate on stderr").build());
        o.addOption(Classification.workersOption());
        KafkaOptions.addProducerOptions(o, KAFKA_WAIT_S);
        o.addOption(Option.builder().longOpt("sensor").hasArg().argName("NAME")
                .desc("with --kafka: the sensor named in each event's header (default: the host name)").build());
        o.addOption(Option.builder("h").longOpt("help").desc("this help").build());
        return o;
    }

    ExitCode run(final String[] args) {
        final CommandLine cmd = CommandLines.parse("analyze", options(), args, err);
        if (cmd == null) {
            return ExitCode.UNREADABLE;
        }
        if (cmd.hasOption("help")) {
            help();
            return ExitCode.OK;
        }
        final Classification rules;
        PipelineConfig pipeline;
        try {
            BadOption.refuseRepeated(cmd);
            rules = Classification.of(cmd);
            pipeline = Classification.rtpClock(cmd, Classification.workers(cmd, PipelineConfig.defaults()))
                    .withRtpTimelines(cmd.hasOption("html")); // only the page's plots read them
        } catch (BadOption e) {
            err.println("mraflow analyze: " + e.getMessage());
            return ExitCode.UNREADABLE;
        }
        String format = cmd.getOptionValue("format", "text");
        if (!FORMATS.contains(format)) {
            return badOption("--format", format, FORMATS);
        }
        String only = cmd.getOptionValue("only", "all");
        if (!ONLY.contains(only)) {
            return badOption("--only", only, ONLY);
        }
        Severity failOn = null;
        if (cmd.hasOption("fail-on")) {
            try {
                failOn = Severity.parse(cmd.getOptionValue("fail-on"));
            } catch (IllegalArgumentException e) {
                err.println("mraflow analyze: --fail-on: " + TextEscape.of(e.getMessage()));
                return ExitCode.UNREADABLE;
            }
        }
        List<Path> files = new ArrayList<>();
        for (String a : cmd.getArgList()) {
            files.add(Path.of(a));
        }
        if (files.isEmpty()) {
            err.println("mraflow analyze: no capture file given (mraflow analyze FILE...)");
            return ExitCode.UNREADABLE;
        }
        for (Path f : files) {
            // A mistyped name is an error before any report, not a report about nothing.
            if (!f.toString().equals("-") && !Files.exists(f)) {
                err.println("mraflow analyze: " + TextEscape.of(f.toString()) + ": no such file");
                return ExitCode.UNREADABLE;
            }
        }

        if (cmd.hasOption("html")) {
            // Said before a long analysis, not after it.
            final Path parent = Path.of(cmd.getOptionValue("html")).toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                err.println("mraflow analyze: --html: cannot write " + TextEscape.of(cmd.getOptionValue("html"))
                        + ": no such directory " + TextEscape.of(parent.toString()));
                return ExitCode.UNREADABLE;
            }
        }
        CaptureCopy.Plan packetsOut = null;
        if (cmd.hasOption("write-pcap")) {
            try {
                packetsOut = CaptureCopy.plan(files, Path.of(cmd.getOptionValue("write-pcap")));
            } catch (CaptureCopy.Refused e) {
                err.println("mraflow analyze: --write-pcap: " + TextEscape.of(e.getMessage()));
                return ExitCode.UNREADABLE;
            }
        }

        final String sensor = cmd.getOptionValue("sensor", hostName());
        final KafkaConfig kafkaConfig;
        try {
            kafkaConfig = KafkaOptions.producer(cmd, sensor, KAFKA_WAIT_S, 1 << 14);
            if (kafkaConfig == null && cmd.hasOption("sensor")) {
                throw new BadOption("--sensor names the events sent with --kafka; give --kafka HOST:PORT too");
            }
            kafka = kafkaConfig == null ? null : new KafkaEventSink(kafkaConfig, sensor, true);
        } catch (BadOption e) {
            err.println("mraflow analyze: " + e.getMessage());
            return ExitCode.UNREADABLE;
        } catch (IOException e) {
            err.println("mraflow analyze: --spool-dir: " + TextEscape.of(String.valueOf(e.getMessage())));
            return ExitCode.UNREADABLE;
        }
        final FileAnalysis analysis = new FileAnalysis(FlowTableConfig.defaults(), pipeline, err);
        final FileReport.Format reportFormat = format.equals("json") ? FileReport.Format.JSON : FileReport.Format.TEXT;
        // The report's code is warmed on flows that end while the packets are read (stopped when they
        // end), on a core the capture thread and the workers leave free.
        try (ReportWarmup warmup = ReportWarmup.startOnSpareCore(rules.analysis(), reportFormat, findingsOnly(only),
                pipeline.workers() + 1);
             AnalysisResult result = analysis.run(files, warmup)) {
            return report(cmd, result, reportFormat, findingsOnly(only), failOn, rules.analysis(), packetsOut, warmup);
        } catch (OutOfMemoryError e) {
            // One clear line, never a stack trace; what was written before stays written.
            out.flush();
            err.println("mraflow: internal failure: out of memory (heap " + Runtime.getRuntime().maxMemory() / (1 << 20)
                    + " MB); the report is incomplete. Give more with MRAFLOW_JAVA_OPTS=-Xmx2g");
            return ExitCode.INTERNAL;
        } finally {
            if (kafka != null) {
                final long left = kafka.close(java.time.Duration.ofSeconds(kafkaConfig.waitSeconds()));
                err.println("mraflow analyze: kafka: " + kafka.produced() + " events produced to " + kafkaConfig.topic()
                        + (kafka.spooledTotal() > 0 ? ", " + kafka.spooledTotal() + " through the spool" : "")
                        + (left > 0 ? "; " + left + " left in the spool " + TextEscape.of(kafkaConfig.spoolDir().toString())
                        + " (the broker did not take them within --kafka-wait), for the next run to send" : "")
                        + (kafka.droppedQueueFull() > 0 || !kafka.droppedSpoolFull().isEmpty() ? "; dropped: " + kafka.droppedQueueFull()
                        + " at a full queue, " + kafka.droppedSpoolFull() + " at a full spool (--spool-max-mb)" : "")
                        + (kafka.lastError() != null && !kafka.brokerReachable() ? "; last error: " + TextEscape.of(kafka.lastError()) : ""));
                if (cmd.hasOption("stats") && kafka.producingSeconds() > 0) {
                    err.printf("mraflow: kafka: %d events in %.3f s from the first handed over to the last acknowledged: %.0f events/s%n",
                            kafka.produced(), kafka.producingSeconds(), kafka.produced() / kafka.producingSeconds());
                }
            }
        }
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static boolean findingsOnly(final String only) {
        return only.equals("findings");
    }

    /** Roles, verdicts and output, streamed from the analysis' flows; returns the exit code. */
    private ExitCode report(final CommandLine cmd, final AnalysisResult result, final FileReport.Format format, final boolean findingsOnly,
                       final Severity failOn, final Analysis analysis, final CaptureCopy.Plan packetsOut, final ReportWarmup warmup) {
        final long reportStart = System.nanoTime(); // --stats: what the end of input costs after the packets
        final long reportCpuStart = ThreadCpuClock.nanos(); // the same on this thread's CPU: a busy machine stretches the wall time
        warmup.stop(); // counted: the report waits for the flow it is judging
        for (String problem : result.problems()) {
            err.println("mraflow: " + TextEscape.of(problem));
        }
        if (result.flowsEvicted() > 0) {
            err.println("mraflow: " + FlowTextWriter.evictionNote(result));
        }
        if (result.failure() != null) {
            err.println("mraflow: internal failure: " + TextEscape.of(result.failure().describe())
                    + "; the report covers what was analysed before it");
        }
        final Analysis.Roles roles = analysis.roles(result.flows());
        if (roles.inferred() && cmd.hasOption("save-topology")) {
            try {
                Files.writeString(Path.of(cmd.getOptionValue("save-topology")), TopologyFile.write(roles.topology(), analysis.settings()));
            } catch (IOException e) {
                err.println("mraflow analyze: --save-topology: " + TextEscape.of(String.valueOf(e.getMessage())));
                return ExitCode.UNREADABLE;
            }
        }
        final FlowPacketSelection selection = packetsOut == null ? null : new FlowPacketSelection();
        if (kafka != null && format != FileReport.Format.JSON) {
            // Kafka gets the JSON lines whatever the report's format: written once more, to Kafka only
            FileReport.write(result, analysis, roles, FileReport.Format.JSON, findingsOnly,
                    new PrintStream(java.io.OutputStream.nullOutputStream()), v -> { }, kafka);
        }
        final FileReport.Written report = FileReport.write(result, analysis, roles, format, findingsOnly, out,
                selection == null ? v -> { } : v -> selection.add(v.flow()), format == FileReport.Format.JSON ? kafka : null);
        if (cmd.hasOption("html")) {
            try {
                HtmlReport.write(Path.of(cmd.getOptionValue("html")), String.join(" ", cmd.getArgList()), result, analysis, roles,
                        report.diagnosis());
            } catch (IOException e) {
                err.println("mraflow analyze: --html: cannot write " + TextEscape.of(cmd.getOptionValue("html")) + ": "
                        + TextEscape.of(String.valueOf(e.getMessage())));
                return ExitCode.UNREADABLE;
            }
        }
        final long reportEnd = System.nanoTime();
        final long reportCpu = ThreadCpuClock.nanos() - reportCpuStart;
        if (packetsOut != null) {
            try {
                final long written = CaptureCopy.write(packetsOut, selection);
                if (cmd.hasOption("stats")) {
                    err.println("mraflow: --write-pcap: " + written + " packets of " + selection.flows() + " flows written to "
                            + TextEscape.of(packetsOut.output().toString()));
                }
            } catch (IOException e) {
                err.println("mraflow analyze: --write-pcap " + TextEscape.of(packetsOut.output().toString()) + ": cannot write it: "
                        + TextEscape.of(String.valueOf(e.getMessage())));
                return ExitCode.UNREADABLE;
            }
        }
        final EndedFlows flows = result.flows();
        if (cmd.hasOption("stats")) {
            for (String line : result.pipeline().lines()) {
                err.println("mraflow: " + line);
            }
            double secs = result.elapsedNanos() / 1e9;
            err.printf("mraflow: %d packets, %d flows in %.3f s: %.3f Mpps (start-up excluded)%n",
                    result.packets(), flows.count(), secs, secs > 0 ? result.packets() / secs / 1e6 : 0);
            err.println("mraflow: " + warmup.describe());
            err.printf("mraflow: report: %d flows in %d ms, %d ms of CPU on the main thread (role inference, verdicts, output;"
                            + " %d sorted runs on disk)%n",
                    flows.count(), (reportEnd - reportStart) / 1_000_000, reportCpu / 1_000_000, flows.runsOnDisk());
        }
        if (result.failure() != null) {
            return ExitCode.INTERNAL;
        }
        if (result.nothingRead()) {
            return ExitCode.UNREADABLE;
        }
        if (result.incomplete()) {
            return ExitCode.PARTIAL;
        }
        final Severity worst = report.totals().worst();
        if (failOn != null && worst != null && worst.compareTo(failOn) >= 0) {
            return ExitCode.FINDINGS;
        }
        return ExitCode.OK;
    }

    private ExitCode badOption(final String option, final String value, final List<String> accepted) {
        err.println("mraflow analyze: " + option + " '" + TextEscape.of(value) + "' is not one of: "
                + String.join(", ", accepted));
        return ExitCode.UNREADABLE;
    }

    private void help() {
        CommandLines.help(out, "mraflow analyze [OPTIONS] FILE...",
                "Reads pcap and pcapng files (several files continue one another; - is standard input), follows every TCP and UDP flow, "
                        + "and gives each the row of the MRA port reference it is, or the findings that it is none.",
                options(), "exit codes: 0 every input read, no finding at or above --fail-on; 1 findings at or above --fail-on;"
                        + " 2 nothing could be read, or bad options; 3 some input damaged or unreadable (the report covers"
                        + " what was read).");
    }
}
