package io.mraflow.cli;

import io.mraflow.report.TextEscape;

import java.util.Arrays;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;

/**
 * A command line mraflow cannot act on; the message names the option and what it accepts. The
 * checks every command shares are here too, so that each says the same thing the same way.
 */
final class BadOption extends Exception {
    private static final long serialVersionUID = 1L;

    BadOption(final String message) {
        super(message);
    }

    /** {@code --name} as a whole number from {@code min} to {@code max}; {@code absent} when not given. */
    static int intInRange(final CommandLine cmd, final String name, final int absent, final int min, final int max)
            throws BadOption {
        if (!cmd.hasOption(name)) {
            return absent;
        }
        final String v = cmd.getOptionValue(name);
        try {
            final int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new BadOption("--" + name + " '" + TextEscape.of(v) + "' is not a number from " + min + " to " + max);
    }

    /**
     * Refuses an option given more than once, but for those named in {@code repeatable}: Commons CLI
     * keeps every value, and only one would count.
     */
    static void refuseRepeated(final CommandLine cmd, final String... repeatable) throws BadOption {
        final List<String> allowed = Arrays.asList(repeatable); // contains(null) is false here, for options without a short name
        for (Option o : cmd.getOptions()) {
            final String[] values = cmd.getOptionValues(o);
            if (values != null && values.length > 1 && !allowed.contains(o.getOpt()) && !allowed.contains(o.getLongOpt())) {
                throw new BadOption("--" + o.getLongOpt() + " is given " + values.length + " times ('"
                        + TextEscape.of(String.join("', '", values)) + "'); give it once");
            }
        }
    }
}
