package io.mraflow.rules;

/**
 * A line of a rules input (port reference, profile, topology file, allow list) that could not be
 * read; the message names the source, the line number and what was expected there.
 */
public final class RulesFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;

    public RulesFormatException(final String source, final int line, final String message) {
        super(source + ":" + line + ": " + message);
        this.source = source;
        this.line = line;
    }

    /** File or resource name. */
    public String source() {
        return source;
    }

    /** 1-based line number. */
    public int line() {
        return line;
    }
}
