package io.mraflow.capture;

/**
 * A stream of captured packets: a capture file or a live interface. Not thread-safe: one thread
 * reads it. Reading never throws for damaged input: {@link #next} returns {@code false} and
 * {@link #damage()} says where and why reading stopped.
 */
public interface PacketSource extends AutoCloseable {

    /**
     * Fills {@code out} with the next packet. Allocates nothing.
     *
     * @return {@code false} at the end of the input or at damage (then {@link #damage()} is set)
     */
    boolean next(CapturedPacket out);

    /** Where reading stopped early, or {@code null} while the input reads cleanly. */
    CaptureDamage damage();

    /** The file name or interface name, for messages. */
    String name();

    @Override
    void close();
}
