package io.mraflow.rules;

/**
 * A string from a rules input or an option, as error messages quote it: whole when short, else its
 * first {@link #MAX_CHARS} characters and its length, so that a bad 50 MB line does not come back
 * whole. Escaping for the terminal is the printer's ({@code report.TextEscape}).
 */
final class Quote {
    /** Characters of a string shown in a message. */
    static final int MAX_CHARS = 80;

    private Quote() {
    }

    /** {@code 'text'}, or {@code 'first 80 characters...' (N characters)}. */
    static String of(final String s) {
        return s.length() <= MAX_CHARS ? "'" + s + "'" : start(s, s.length() + " characters");
    }

    /** The first {@link #MAX_CHARS} characters of {@code s} quoted, then {@code ...} and what the whole is. */
    static String start(final CharSequence s, final String whole) {
        return "'" + s.subSequence(0, Math.min(MAX_CHARS, s.length())) + "...' (" + whole + ")";
    }
}
