package io.mraflow.pipeline;

/**
 * A worker thread that stopped analysing: out of memory, a full disk under the spill, a bug.
 * Packets it received after the failure were not analysed; the flows it emitted before are kept.
 *
 * @param worker the worker's number
 * @param cause  what stopped it
 */
public record WorkerFailure(int worker, Throwable cause) {
    /** One line for the user: which worker, and what happened. */
    public String describe() {
        final String what = cause instanceof OutOfMemoryError ? "out of memory"
                : cause.getClass().getSimpleName();
        return "worker " + worker + " stopped: " + what + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
}
