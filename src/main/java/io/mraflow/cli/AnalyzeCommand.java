package io.mraflow.cli;

import io.mraflow.flow.FlowRecord;
import io.mraflow.flow.FlowTableConfig;
import io.mraflow.pipeline.AnalysisResult;
import io.mraflow.pipeline.FileAnalysis;
import io.mraflow.pipeline.PipelineConfig;
import io.mraflow.report.FlowJsonWriter;
import io.mraflow.report.FlowTextWriter;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

import java.io.BufferedOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code mraflow analyze FILE...}: read capture files, report every flow. */
final class AnalyzeCommand {
    private static final List<String> FORMATS = List.of("text", "json");

    private final PrintStream out;
    private final PrintStream err;

    AnalyzeCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    static Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("format").hasArg().argName("FORMAT")
                .desc("output format: " + String.join("|", FORMATS) + " (default text); json = one object per flow per line")
                .build());
        o.addOption(Option.builder().longOpt("stats").desc("print packet counters and the packet rate on stderr").build());
        o.addOption(Option.builder().longOpt("workers").hasArg().argName("N")
                .desc("flow-table worker threads (default: cores - 1, at least 1; now " + PipelineConfig.defaultWorkers() + ")")
                .build());
        o.addOption(Option.builder("h").longOpt("help").desc("this help").build());
        return o;
    }

    int run(String[] args) {
        CommandLine cmd;
        try {
            cmd = new DefaultParser().parse(options(), args);
        } catch (ParseException e) {
            err.println("mraflow analyze: " + Escape.forTerminal(e.getMessage()) + " (mraflow analyze --help)");
            return ExitCode.UNREADABLE;
        }
        if (cmd.hasOption("help")) {
            help();
            return ExitCode.OK;
        }
        String format = cmd.getOptionValue("format", "text");
        if (!FORMATS.contains(format)) {
            err.println("mraflow analyze: --format '" + Escape.forTerminal(format) + "' is not one of: "
                    + String.join(", ", FORMATS));
            return ExitCode.UNREADABLE;
        }
        List<Path> files = new ArrayList<>();
        for (String a : cmd.getArgList()) {
            files.add(Path.of(a));
        }
        if (files.isEmpty()) {
            err.println("mraflow analyze: no capture file given (mraflow analyze FILE...)");
            return ExitCode.UNREADABLE;
        }

        PipelineConfig pipeline = PipelineConfig.defaults();
        if (cmd.hasOption("workers")) {
            String n = cmd.getOptionValue("workers");
            try {
                pipeline = pipeline.withWorkers(Integer.parseInt(n));
            } catch (IllegalArgumentException e) {
                err.println("mraflow analyze: --workers '" + Escape.forTerminal(n) + "' is not a number of at least 1");
                return ExitCode.UNREADABLE;
            }
        }
        AnalysisResult result = new FileAnalysis(FlowTableConfig.defaults(), pipeline, err).run(files);
        for (String problem : result.problems()) {
            err.println("mraflow: " + Escape.forTerminal(problem));
        }
        if (format.equals("json")) {
            try (FlowJsonWriter json = new FlowJsonWriter(new BufferedOutputStream(out, 1 << 16))) {
                for (FlowRecord f : result.flows()) {
                    json.write(f);
                }
            }
        } else {
            new FlowTextWriter(out).write(result);
        }
        out.flush();
        if (cmd.hasOption("stats")) {
            for (String line : result.pipeline().lines()) {
                err.println("mraflow: " + line);
            }
            double secs = result.elapsedNanos() / 1e9;
            err.printf("mraflow: %d packets, %d flows in %.3f s: %.3f Mpps (start-up excluded)%n",
                    result.packets(), result.flows().size(), secs, secs > 0 ? result.packets() / secs / 1e6 : 0);
        }
        if (result.nothingRead()) {
            return ExitCode.UNREADABLE;
        }
        return result.incomplete() ? ExitCode.PARTIAL : ExitCode.OK;
    }

    private void help() {
        PrintWriter w = new PrintWriter(out);
        new HelpFormatter().printHelp(w, 100, "mraflow analyze [OPTIONS] FILE...",
                "Reads pcap and pcapng files (several files continue one another) and reports every TCP and "
                        + "UDP flow.\n\n",
                options(), 2, 2,
                "\nexit codes: 0 every input read to its end; 2 nothing could be read or bad options; "
                        + "3 some input damaged or unreadable (the report covers what was read).");
        w.flush();
    }
}
