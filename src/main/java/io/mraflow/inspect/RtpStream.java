package io.mraflow.inspect;

import java.nio.ByteBuffer;

/**
 * Sequence-number state of one RTP source in one direction of a flow: RFC 3550 appendix A.1
 * ({@code update_seq}) and A.3 (cumulative loss). Primitive fields only, created once per flow by
 * {@link FlowInspection}; updated by {@link Rtp#update} from the flow's owning thread.
 *
 * <p>Only one SSRC is followed per direction: the first that passes probation. Packets of other
 * sources (bundled audio and video, a second stream) are counted in {@link #otherSsrcPackets} and
 * otherwise ignored.
 */
public final class RtpStream {

    /** SSRC followed, unsigned 32-bit. */
    public long ssrc;
    /** True once the source passed probation (MIN_SEQUENTIAL in-order packets, RFC 3550 A.1). */
    public boolean valid;
    /** RTP-shaped packets seen in this direction, of any source, probation included. */
    public long packets;
    /** Packets of sources other than {@link #ssrc}. */
    public long otherSsrcPackets;

    // RFC 3550 A.1 source state
    int maxSeq;
    long cycles;
    int baseSeq;
    int badSeq;
    int probation;
    long received;
    boolean started;

    /** Highest sequence number seen, extended with the wrap-around count (RFC 3550 A.3). */
    public long extendedMaxSeq() {
        return cycles + maxSeq;
    }

    /** Packets counted as received since the source became valid. */
    public long received() {
        return received;
    }

    /**
     * Cumulative packets lost since the source became valid: expected ({@code extended max - base
     * + 1}) minus received (RFC 3550 A.3). Negative when duplicates outnumber losses; 0 before the
     * source is valid.
     */
    public long lost() {
        return valid ? extendedMaxSeq() - baseSeq + 1 - received : 0;
    }

    /** Bytes {@link #writeTo} writes. */
    static final int ENCODED_BYTES = 8 + 1 + 8 + 8 + 4 + 8 + 4 + 4 + 4 + 8 + 1;

    /** Writes the whole state (a flow's spill, see {@code FlowInspection.writeTo}). */
    void writeTo(final ByteBuffer out) {
        out.putLong(ssrc).put((byte) (valid ? 1 : 0)).putLong(packets).putLong(otherSsrcPackets);
        out.putInt(maxSeq).putLong(cycles).putInt(baseSeq).putInt(badSeq).putInt(probation).putLong(received);
        out.put((byte) (started ? 1 : 0));
    }

    /** Reads what {@link #writeTo} wrote. */
    void readFrom(final ByteBuffer in) {
        ssrc = in.getLong();
        valid = in.get() != 0;
        packets = in.getLong();
        otherSsrcPackets = in.getLong();
        maxSeq = in.getInt();
        cycles = in.getLong();
        baseSeq = in.getInt();
        badSeq = in.getInt();
        probation = in.getInt();
        received = in.getLong();
        started = in.get() != 0;
    }

    /** Forgets everything (flow state reuse). */
    public void reset() {
        ssrc = 0;
        valid = false;
        packets = 0;
        otherSsrcPackets = 0;
        maxSeq = 0;
        cycles = 0;
        baseSeq = 0;
        badSeq = 0;
        probation = 0;
        received = 0;
        started = false;
    }
}
