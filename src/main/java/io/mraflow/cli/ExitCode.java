package io.mraflow.cli;

/** Process exit codes, as documented in --help and the README. */
public final class ExitCode {
    /** Every input read to its end. */
    public static final int OK = 0;
    /** Findings at or above --fail-on (classification). */
    public static final int FINDINGS = 1;
    /** Nothing could be read, or the command line was wrong. */
    public static final int UNREADABLE = 2;
    /** Some input was damaged or unreadable: the report covers what was read. */
    public static final int PARTIAL = 3;
    /**
     * mraflow itself failed (out of memory, a worker that stopped, a temporary file it could not
     * write): one line on stderr says what; whatever was analysed until then is still written.
     */
    public static final int INTERNAL = 4;

    private ExitCode() {
    }
}
