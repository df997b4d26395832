package io.mraflow.capture;

/** libpcap could not be loaded; the message says what to install. */
public final class LibpcapUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LibpcapUnavailableException(final String message) {
        super(message);
    }
}
