package io.mraflow.capture;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * One captured packet as a packet source hands it over: the record header and a view of the
 * captured bytes. Reused for every packet by the one thread that reads the source; the view is
 * valid only until the next call to {@link PacketSource#next(CapturedPacket)}.
 */
public final class CapturedPacket {
    /** The captured bytes, {@code capLen} of them, starting at index 0. Wraps native or heap memory. */
    public final UnsafeBuffer bytes = new UnsafeBuffer(0L, 0);
    /** Capture time, nanoseconds since the epoch. */
    public long tsNanos;
    /** Bytes captured (may be less than {@link #wireLen} when the snap length cut the packet). */
    public int capLen;
    /** Bytes on the wire, as the record header says. */
    public int wireLen;
    /** Link-layer header type of this packet (a {@link LinkType} value; pcapng may mix them). */
    public int linkType;
}
