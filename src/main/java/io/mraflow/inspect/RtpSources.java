package io.mraflow.inspect;

import java.nio.ByteBuffer;

/**
 * The RTP sources (SSRCs) of one direction of a flow, each its own {@link RtpStream}: one row per
 * SSRC, as tshark's {@code rtp,streams} has them. Bounded: at most {@link #MAX_SOURCES}; a stream
 * object is allocated only when a new SSRC appears, once per slot (a flow state reused keeps them).
 * A new SSRC when every slot is taken replaces a source that never passed probation (a stray
 * RTP-shaped packet); when all of them did, its packets are only counted.
 *
 * <p>Updated by {@link Rtp#update} and {@link Rtcp#readReports} from the flow's owning thread.
 */
public final class RtpSources {

    /** Sources kept per direction: the current one and a few before it, or bundled audio and video. */
    public static final int MAX_SOURCES = 4;

    private final RtpStream[] streams = new RtpStream[MAX_SOURCES];
    /** The source of the packet before: nearly always this packet's too, found without the array. */
    private RtpStream last;
    private int count;
    private int validCount;
    private int ssrcChanges;
    private long otherSsrcPackets;

    /** The direction ended: each source's histogram and timeline become their encodings ({@link RtpStream#compact}). */
    void compact() {
        for (int i = 0; i < count; i++) {
            streams[i].compact();
        }
    }

    /** Sources followed. */
    public int count() {
        return count;
    }

    /** Source {@code i}, in order of first packet. */
    public RtpStream stream(final int i) {
        return streams[i];
    }

    /** True when a packet of any source was followed. */
    public boolean started() {
        return count > 0;
    }

    /**
     * Sources that passed probation after the direction's first one did: the sender changed its
     * SSRC (a restart, a transfer, a re-INVITE that resets the media) or added a source (bundled video).
     */
    public int ssrcChanges() {
        return ssrcChanges;
    }

    /** Packets of sources beyond {@link #MAX_SOURCES}. */
    public long otherSsrcPackets() {
        return otherSsrcPackets;
    }

    /** The valid source with the most packets, else the first one, else null: what a one-stream summary reads. */
    public RtpStream main() {
        RtpStream best = count > 0 ? streams[0] : null;
        for (int i = 0; i < count; i++) {
            final RtpStream s = streams[i];
            if (s.valid && (!best.valid || s.packets > best.packets)) {
                best = s;
            }
        }
        return best;
    }

    /** The source of the latest packet, or null: the next packet's too, nearly always. */
    RtpStream latest() {
        return last;
    }

    /** The stream of {@code ssrc}, or null when none is followed. */
    RtpStream find(final long ssrc) {
        for (int i = 0; i < count; i++) {
            if (streams[i].ssrc == ssrc) {
                return streams[i];
            }
        }
        return null;
    }

    /** The stream of {@code ssrc}, started for it when it is new; null when there is no room (counted). */
    RtpStream streamFor(final long ssrc) {
        final RtpStream recent = last;
        if (recent != null && recent.ssrc == ssrc) {
            return recent;
        }
        final RtpStream s = find(ssrc);
        return last = s != null ? s : add(ssrc);
    }

    /** A new source: a free slot (its stream allocated the first time), or a stray one's; null when none. */
    private RtpStream add(final long ssrc) {
        int slot = count;
        if (slot == MAX_SOURCES) {
            slot = strayest();
            if (slot < 0) {
                otherSsrcPackets++;
                return null;
            }
        } else {
            count++;
        }
        if (streams[slot] == null) {
            streams[slot] = new RtpStream();
        }
        final RtpStream fresh = streams[slot];
        fresh.reset();
        fresh.ssrc = ssrc;
        return fresh;
    }

    /** The source that never passed probation and has the fewest packets, or -1. */
    private int strayest() {
        int slot = -1;
        for (int i = 0; i < count; i++) {
            if (!streams[i].valid && (slot < 0 || streams[i].packets < streams[slot].packets)) {
                slot = i;
            }
        }
        return slot;
    }

    /** {@code s} just passed probation at {@code nanos}. */
    void becameValid(final RtpStream s, final long nanos, final boolean timeline) {
        if (validCount > 0) {
            ssrcChanges++;
        }
        validCount++;
        s.startRecording(nanos, timeline);
    }

    private static final int HEADER_BYTES = 4 * 3 + 8;
    /** Bytes {@link #writeTo} writes at most. */
    static final int MAX_ENCODED_BYTES = HEADER_BYTES + MAX_SOURCES * RtpStream.MAX_ENCODED_BYTES;

    /** Bytes {@link #writeTo} writes at most with the sources followed now. */
    int encodedBytesBound() {
        return HEADER_BYTES + count * RtpStream.MAX_ENCODED_BYTES;
    }

    void writeTo(final ByteBuffer out) {
        out.putInt(count).putInt(validCount).putInt(ssrcChanges).putLong(otherSsrcPackets);
        for (int i = 0; i < count; i++) {
            streams[i].writeTo(out);
        }
    }

    void readFrom(final ByteBuffer in) {
        count = in.getInt();
        validCount = in.getInt();
        ssrcChanges = in.getInt();
        otherSsrcPackets = in.getLong();
        for (int i = 0; i < count; i++) {
            streams[i] = new RtpStream();
            streams[i].readFrom(in);
        }
    }

    /** Forgets every source; keeps the stream objects (flow state reuse). */
    public void reset() {
        last = null;
        count = 0;
        validCount = 0;
        ssrcChanges = 0;
        otherSsrcPackets = 0;
    }
}
