package io.mraflow.cli;

/** Process exit codes, as documented in --help and the README. */
public enum ExitCode {
    /** Every input read to its end. */
    OK(0),
    /** Findings at or above --fail-on (classification). */
    FINDINGS(1),
    /** Nothing could be read, or the command line was wrong. */
    UNREADABLE(2),
    /** Some input was damaged or unreadable: the report covers what was read. */
    PARTIAL(3),
    /**
     * mraflow itself failed (out of memory, a worker that stopped, a temporary file it could not
     * write): one line on stderr says what; whatever was analysed until then is still written.
     */
    INTERNAL(4);

    private final int status;

    ExitCode(final int status) {
        this.status = status;
    }

    /** The process exit status. */
    public int status() {
        return status;
    }
}
