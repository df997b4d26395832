package io.mraflow.capture;

import java.io.IOException;

/**
 * A capture file could not be opened at all: missing, unreadable, empty, not a capture file, or
 * damaged in its file header. The message is one line: {@code file: cannot open at byte N: reason}.
 */
public final class CaptureOpenException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final long byteOffset;
    private final String reason;

    public CaptureOpenException(final String source, final long byteOffset, final String reason) {
        super(source + ": cannot open at byte " + byteOffset + ": " + reason);
        this.source = source;
        this.byteOffset = byteOffset;
        this.reason = reason;
    }

    /** The file name as given. */
    public String source() {
        return source;
    }

    /** Offset of the first byte that could not be read as a valid header (0 for the file header). */
    public long byteOffset() {
        return byteOffset;
    }

    /** What is wrong, in words. */
    public String reason() {
        return reason;
    }
}
