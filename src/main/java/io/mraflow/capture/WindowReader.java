package io.mraflow.capture;

import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;

/**
 * What the two Java readers ({@link PcapReader}, {@link PcapngReader}) share: a {@link CaptureWindow}
 * they read front to back, where they are in it, how many packets they gave, and the first damage,
 * after which they read nothing more.
 */
abstract class WindowReader implements PacketSource {
    protected final String name;
    protected final CaptureWindow window;
    /** The window's bytes; {@link CaptureWindow#index} turns a file offset into an index here. */
    protected final UnsafeBuffer view;
    /** Input offset of the record or block after the last one read: where reading goes on. */
    protected long position;
    protected long packetsRead;
    protected CaptureDamage damage;

    protected WindowReader(final String name, final CaptureWindow window, final long position) {
        this.name = name;
        this.window = window;
        this.view = window.view();
        this.position = position;
    }

    /** Packets delivered so far. */
    final long packetsRead() {
        return packetsRead;
    }

    /** Input offset of the record or block after the last one read: where reading goes on. */
    final long position() {
        return position;
    }

    @Override
    public final CaptureDamage damage() {
        return damage;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final void close() {
        window.close();
    }

    /** {@link CaptureWindow#load}, with a read error as damage at {@code from} (then -1). */
    protected final int load(final long from, final int length) {
        try {
            return window.load(from, length);
        } catch (IOException e) {
            damaged(from, "cannot read the " + window.kind() + ": " + e.getMessage());
            return -1;
        }
    }

    /** Records the damage at {@code offset}; false, so that a reader can {@code return damaged(...)}. */
    protected final boolean damaged(final long offset, final String reason) {
        damage = new CaptureDamage(name, offset, packetsRead, reason);
        return false;
    }
}
