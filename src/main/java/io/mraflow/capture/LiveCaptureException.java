package io.mraflow.capture;

/** A live interface that cannot be captured on; the message names it and says what to do. */
public final class LiveCaptureException extends Exception {
    private static final long serialVersionUID = 1L;
    /** What went wrong, so the command can choose its exit code and words. */
    public enum Kind { NO_SUCH_INTERFACE, NO_PERMISSION, BAD_FILTER, OTHER }

    private final String interfaceName;
    private final Kind kind;

    public LiveCaptureException(final String interfaceName, final String reason, final Kind kind) {
        super(interfaceName + ": " + reason);
        this.interfaceName = interfaceName;
        this.kind = kind;
    }

    public String interfaceName() {
        return interfaceName;
    }

    public Kind kind() {
        return kind;
    }
}
