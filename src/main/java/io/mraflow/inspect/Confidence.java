package io.mraflow.inspect;

/**
 * How sure an {@code identify} function is that a payload belongs to its protocol. Ordered: a
 * flow's protocol is only replaced by a later finding of strictly higher confidence.
 *
 * <p>Int constants, not an enum: every {@code identify} call on the per-packet path returns one,
 * and {@link FlowInspection} keeps it in a byte of its primitive per-flow state.
 */
public final class Confidence {

    /** Not this protocol (or too few bytes to tell). */
    public static final int NONE = 0;
    /** Plausible header, but a random payload could also pass: needs corroboration. */
    public static final int WEAK = 1;
    /** Self-consistent structure that random bytes practically never satisfy. */
    public static final int STRONG = 2;

    private Confidence() {
    }
}
