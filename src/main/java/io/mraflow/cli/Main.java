package io.mraflow.cli;

import io.mraflow.report.TextEscape;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * The mraflow command line: {@code mraflow COMMAND [OPTIONS] ...}. Each command parses its own
 * options with Apache Commons CLI.
 */
public final class Main {

    private Main() {
    }

    public static void main(final String[] args) {
        System.exit(runGuarded(args, System.out, System.err).status());
    }

    /**
     * Runs the command line and returns the exit code. A failure of mraflow itself (a bug, the
     * heap exhausted outside the report) is one line on {@code err} and {@link ExitCode#INTERNAL},
     * never a stack trace nor exit 1, which means findings; {@code MRAFLOW_DEBUG=1} adds the trace.
     */
    public static ExitCode runGuarded(final String[] args, final PrintStream out, final PrintStream err) {
        try {
            return run(args, out, err);
        } catch (RuntimeException | Error e) {
            out.flush();
            err.println("mraflow: internal failure: " + (e instanceof OutOfMemoryError ? "out of memory" : e.getClass().getName())
                    + (e.getMessage() == null ? "" : ": " + TextEscape.of(e.getMessage()))
                    + "; what was written before it stands (MRAFLOW_DEBUG=1 prints the stack trace)");
            if (System.getenv("MRAFLOW_DEBUG") != null) {
                e.printStackTrace(err);
            }
            return ExitCode.INTERNAL;
        }
    }

    /** Runs the command line and returns the exit code (tests call this directly). */
    public static ExitCode run(final String[] args, final PrintStream out, final PrintStream err) {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help") || args[0].equals("help")) {
            usage(out);
            return args.length == 0 ? ExitCode.UNREADABLE : ExitCode.OK;
        }
        if (args[0].equals("--version") || args[0].equals("version")) {
            out.println(Version.describe());
            return ExitCode.OK;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        return switch (args[0]) {
            case "analyze" -> new AnalyzeCommand(out, err).run(rest);
            case "watch" -> new WatchCommand(out, err).run(rest);
            case "interfaces" -> new InterfacesCommand(out, err).run();
            case "fleet" -> new FleetCommand(out, err).run(rest);
            default -> {
                err.println("mraflow: unknown command '" + TextEscape.of(args[0]) + "'; commands: analyze, watch, interfaces, fleet");
                yield ExitCode.UNREADABLE;
            }
        };
    }

    private static void usage(final PrintStream out) {
        out.println("usage: mraflow COMMAND [OPTIONS]");
        out.println();
        out.println("commands:");
        out.println("  analyze FILE...   read pcap/pcapng files, follow every flow, report it");
        out.println("                    (mraflow analyze --help for its options)");
        out.println("  watch -i IFACE    capture on live interfaces, events as JSON lines, metrics");
        out.println("                    (mraflow watch --help for its options)");
        out.println("  interfaces        the interfaces libpcap can capture on");
        out.println("  fleet --kafka HOST:PORT --kafka-topic TOPIC");
        out.println("                    consume many sensors' events from Kafka: counts per sensor, metrics");
        out.println("                    (mraflow fleet --help for its options)");
        out.println("  --version         versions of mraflow, Java and libpcap");
    }
}
