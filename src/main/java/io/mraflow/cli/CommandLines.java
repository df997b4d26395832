package io.mraflow.cli;

import io.mraflow.report.TextEscape;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/** Parsing and {@code --help} the same way for every command. */
final class CommandLines {
    private static final int HELP_WIDTH = 110;

    private CommandLines() {
    }

    /** {@code args} of {@code mraflow COMMAND}, or null when they do not parse (said on {@code err}, escaped). */
    static CommandLine parse(final String command, final Options options, final String[] args, final PrintStream err) {
        try {
            return new DefaultParser().parse(options, args);
        } catch (ParseException e) {
            err.println("mraflow " + command + ": " + TextEscape.of(e.getMessage()) + " (mraflow " + command + " --help)");
            return null;
        }
    }

    /** {@code --help}: the syntax, what the command does, its options, and the footer (exit codes). */
    static void help(final PrintStream out, final String syntax, final String header, final Options options, final String footer) {
        final PrintWriter w = new PrintWriter(new OutputStreamWriter(out, Charset.defaultCharset()));
        new HelpFormatter().printHelp(w, HELP_WIDTH, syntax, header + "\n\n", options, 2, 2, "\n" + footer);
        w.flush();
    }
}
