package io.mraflow.flow;

/**
 * Why a flow left the flow table: the {@code ended} field of a flow line. Only {@link #EVICTED}
 * cuts a flow short (a later packet of the same 5-tuple starts a new flow); the others are how
 * flows end in any capture, and {@link #OPEN} marks a live flow's state so far.
 */
public enum FlowEnd {
    /** Idle longer than the timeout of its state ({@link FlowTableConfig}). */
    IDLE("idle"),
    /** A new connection (a pure SYN with a new sequence number) reused its finished 5-tuple. */
    REUSED("reused"),
    /** Still open when the input ended. */
    END_OF_INPUT("end-of-input"),
    /** Ended early: the table was full, and this was the least recently seen flow of a sample. */
    EVICTED("evicted"),
    /** Still open when a live capture was stopped (SIGINT, SIGTERM). */
    SHUTDOWN("shutdown"),
    /** Not ended: a live flow as it stands (the flow of a {@code finding} event). */
    OPEN("open");

    private final String label;

    FlowEnd(final String label) {
        this.label = label;
    }

    /** The name written in reports. */
    public String label() {
        return label;
    }
}
