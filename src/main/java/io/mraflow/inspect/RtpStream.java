package io.mraflow.inspect;

import java.nio.ByteBuffer;
import org.HdrHistogram.IntCountsHistogram;

/**
 * One RTP source (SSRC) in one direction of a flow, what tshark's {@code rtp,streams} shows as a
 * row: RFC 3550 appendix A.1 sequence state ({@code update_seq}) and A.3 loss, duplicates and
 * sequence errors, arrival spacing, interarrival jitter (A.8) with its distribution and a
 * {@link RtpTimeline}, and what RTCP reports about it. Kept by {@link RtpSources}; updated by
 * {@link Rtp#update} from the flow's owning thread.
 *
 * <p>Timing follows Wireshark's RTP stream analysis ({@code ui/tap-rtp-analysis.c}) so that the
 * figures can be compared with it row by row (Wireshark 4.0): from the source's first packet
 * (probation included), delta is the arrival spacing to the previous packet, jitter the A.8
 * estimate in milliseconds ({@code J += (|D| - J) / 16}, D the difference of arrival spacing and
 * timestamp spacing), both over the packets whose timestamp is not before the first packet's (by
 * less than 2^31: a reordered packet counts, one from before the stream started does not); max and
 * mean are taken over "regular" packets only: not the first, not one with the marker bit (the
 * first of a talk spurt, after silence), not comfort noise or the packet after it, not one before
 * the first. Mean is Wireshark's running mean (each regular packet weighted by the packets before
 * it), not a plain average.
 *
 * <p>The jitter histogram and the timeline are allocated once, when the source passes probation;
 * before that, and for the per-packet work after it, nothing allocates.
 */
public final class RtpStream {

    /** The jitter histogram takes the estimate of one packet in this many (a power of two). */
    static final int HISTOGRAM_SAMPLE_EVERY = 4;
    /** ... after the stream's first this many packets, which all count (a short stream has few). */
    static final int HISTOGRAM_EVERY_PACKET = 128;
    /** Jitter histogram unit: 10 microseconds. */
    static final double HISTOGRAM_UNITS_PER_MS = 100;
    /** Highest jitter the histogram tells apart (204.8 ms): beyond, speech is lost anyway; the exact maximum is kept apart. */
    static final long HISTOGRAM_HIGHEST = JitterCounts.HIGHEST;
    /** Bytes the histogram's encoding takes at most (HdrHistogram V2 encoding, uncompressed). */
    static final int HISTOGRAM_MAX_BYTES = JitterCounts.MAX_ENCODED_BYTES;

    /** SSRC followed, unsigned 32-bit. */
    public long ssrc;
    /** True once the source passed probation (MIN_SEQUENTIAL in-order packets, RFC 3550 A.1). */
    public boolean valid;
    /** Packets of this source, probation included (tshark's "Pkts"). */
    public long packets;

    // RFC 3550 A.1 source state
    int maxSeq;
    long cycles;
    int baseSeq;
    int badSeq;
    int probation;
    long received;
    /** Sequence numbers skipped by the last packet taken in order (0 when none). */
    int gap;
    /** Which of maxSeq, maxSeq - 1, ... maxSeq - 63 arrived (bit i for maxSeq - i): tells duplicates from late packets. */
    long seqWindow;
    long duplicates;
    long seqErrors;

    // timing, in Wireshark's terms (see the class comment)
    int payloadType = -1;
    int clockRate;
    /** Arrival of the last packet whose timestamp is not before the first packet's. */
    long lastNanos;
    /** RTP timestamp of the source's first packet (unsigned 32-bit). */
    long firstTimestamp;
    /** Timestamp of that last packet, counted from the first one's. */
    long lastNominal;
    double jitterMs;
    double maxJitterMs;
    double meanJitterMs;
    double maxDeltaMs;
    double meanDeltaMs;

    // RTCP report blocks about this source (RFC 3550 6.4.1), the latest one
    boolean rtcpSeen;
    int rtcpFractionLost;
    int rtcpCumulativeLost;
    long rtcpJitter;

    /** Recorded on the packet path; the HdrHistogram is made from it when a report asks (or the flow ends). */
    private JitterCounts jitterCounts;
    /** 1000 / {@link #clockRate}: milliseconds per timestamp tick (not carried by the spill: no packet follows). */
    private double msPerTick;
    private RtpTimeline timeline;
    /**
     * A stream read back from the spill keeps its histogram and timeline as their encoding until a
     * report asks for them: role inference and most outputs never do, and decoding every stream of
     * every pass costs the report stage its allocations.
     */
    private byte[] encodedHistogram;
    private byte[] encodedTimeline;

    /** Highest sequence number seen, extended with the wrap-around count (RFC 3550 A.3). */
    public long extendedMaxSeq() {
        return cycles + maxSeq;
    }

    /** Packets counted as received since the source became valid (duplicates included, as in A.1). */
    public long received() {
        return received;
    }

    /** Packets expected since the source became valid: extended max - base + 1 (RFC 3550 A.3); 0 before. */
    public long expected() {
        return valid ? extendedMaxSeq() - baseSeq + 1 : 0;
    }

    /**
     * Cumulative packets lost since the source became valid: expected minus received (RFC 3550 A.3).
     * Negative when duplicates outnumber losses; 0 before the source is valid.
     */
    public long lost() {
        return valid ? expected() - received : 0;
    }

    /** Packets that arrived again with a sequence number already seen (among the last 64). */
    public long duplicates() {
        return duplicates;
    }

    /** Packets A.1 did not take in order: late (reordered) and jumps beyond MAX_DROPOUT. */
    public long seqErrors() {
        return seqErrors;
    }

    /** Payload type of the latest packet, or -1. */
    public int payloadType() {
        return payloadType;
    }

    /** Clock rate the jitter was measured with (Hz), or 0 when none was known: then no jitter. */
    public int clockRate() {
        return clockRate;
    }

    /** Largest arrival spacing of a regular packet, ms. */
    public double maxDeltaMs() {
        return maxDeltaMs;
    }

    /** Wireshark's mean arrival spacing, ms. */
    public double meanDeltaMs() {
        return meanDeltaMs;
    }

    /** Interarrival jitter after the latest packet (RFC 3550 A.8), ms. */
    public double jitterMs() {
        return jitterMs;
    }

    /** Highest jitter after a regular packet, ms. */
    public double maxJitterMs() {
        return maxJitterMs;
    }

    /** Wireshark's mean jitter, ms. */
    public double meanJitterMs() {
        return meanJitterMs;
    }

    /** Jitter after each packet from probation on, in 10 us units up to 204.8 ms; null before probation. */
    public IntCountsHistogram jitterHistogram() {
        if (!valid) {
            return null;
        }
        final byte[] sparse = jitterSparse();
        return sparse == null ? null : JitterCounts.toHistogram(sparse);
    }

    /** Jitter (ms) below which {@code percent} % of the packets' jitter values fell; NaN without a histogram or clock. */
    public double jitterPercentileMs(final double percent) {
        final byte[] sparse = valid && clockRate != 0 ? jitterSparse() : null;
        if (sparse == null || JitterCounts.totalCount(sparse) == 0) {
            return Double.NaN;
        }
        return JitterCounts.valueAtPercentile(sparse, percent) / HISTOGRAM_UNITS_PER_MS;
    }

    /** The jitter counts in their sparse form: an ended stream's, or a live one's snapshot; null before probation. */
    private byte[] jitterSparse() {
        return jitterCounts != null ? jitterCounts.encode() : encodedHistogram;
    }

    /** The stream over time; null before probation. */
    public RtpTimeline timeline() {
        if (!valid) {
            return null;
        }
        if (timeline == null && encodedTimeline != null) {
            timeline = RtpTimeline.readFrom(ByteBuffer.wrap(encodedTimeline));
            encodedTimeline = null;
        }
        return timeline;
    }

    /** True when an RTCP SR or RR carried a report block about this source. */
    public boolean rtcpSeen() {
        return rtcpSeen;
    }

    /** The latest report block's fraction lost, 0-255 (loss since the previous report, in 256ths). */
    public int rtcpFractionLost() {
        return rtcpFractionLost;
    }

    /** The latest report block's cumulative packets lost (signed 24-bit). */
    public int rtcpCumulativeLost() {
        return rtcpCumulativeLost;
    }

    /** The latest report block's interarrival jitter in ms, by this stream's clock rate; NaN when unknown. */
    public double rtcpJitterMs() {
        return clockRate == 0 ? Double.NaN : rtcpJitter * 1000.0 / clockRate;
    }

    /**
     * Reads what the next packet's {@link Rtp#update} and {@link #arrival} read, for
     * {@link InspectionPrefetch}: the sequence state, the timing state and the histogram bucket
     * the current jitter falls in. Returns a sum of them, for the caller to keep.
     */
    long touch() {
        final long next = packets + 1;
        // Fields from the start, middle and end of what the JVM lays out: every line arrival writes.
        long touched = next + maxSeq + cycles + received + seqWindow + lastNanos + firstTimestamp + lastNominal
                + Double.doubleToRawLongBits(jitterMs + meanJitterMs + meanDeltaMs) + payloadType + clockRate
                + (valid ? 1 : 0);
        final JitterCounts counts = jitterCounts;
        if (counts != null && (next < HISTOGRAM_EVERY_PACKET || (next & (HISTOGRAM_SAMPLE_EVERY - 1)) == 0)) {
            touched += counts.peek((long) (jitterMs * HISTOGRAM_UNITS_PER_MS)); // the bucket, near enough
        }
        return touched;
    }

    /**
     * Timing of one packet of this source: arrival {@code nanos}, RTP timestamp {@code timestamp}
     * (unsigned 32-bit), payload type, marker bit, clock rate ({@code clock}, 0 when unknown).
     */
    void arrival(final long nanos, final long timestamp, final int pt, final boolean marker, final int clock) {
        if (payloadType < 0) {
            lastNanos = nanos;
            firstTimestamp = timestamp;
            lastNominal = 0;
            payloadType = pt;
            return;
        }
        final long nominal = (timestamp - firstTimestamp) & 0xffff_ffffL;
        final boolean inOrder = nominal < 0x8000_0000L;
        final boolean regular = !marker && inOrder && !RtpClock.comfortNoise(pt) && !RtpClock.comfortNoise(payloadType);
        payloadType = pt;
        double deltaMs = 0;
        if (inOrder) {
            // multiplications, not divisions: this runs for every RTP packet
            deltaMs = (nanos - lastNanos) * 1e-6;
            lastNanos = nanos;
            if (clock != 0) {
                if (clock != clockRate) {
                    clockRate = clock;
                    msPerTick = 1000.0 / clock;
                }
                final double d = Math.abs(deltaMs - (nominal - lastNominal) * msPerTick);
                jitterMs += (d - jitterMs) * 0.0625; // RFC 3550 A.8: 1/16 of the way
                lastNominal = nominal;
            }
        }
        if (regular) {
            // packets before this one, the weight of Wireshark's running means
            final long before = packets - 1;
            maxDeltaMs = Math.max(maxDeltaMs, deltaMs);
            meanDeltaMs = (meanDeltaMs * (before - 1) + deltaMs) / before;
            if (clock != 0) {
                maxJitterMs = Math.max(maxJitterMs, jitterMs);
                meanJitterMs = (meanJitterMs * (before - 1) + jitterMs) / before;
            }
        }
        if (valid) {
            // Every packet of a short stream, then every 4th: the estimate moves 1/16 of the way per
            // packet, so neighbours say nearly the same, and the counts are one more cache line to touch.
            if (clock != 0 && (packets < HISTOGRAM_EVERY_PACKET || (packets & (HISTOGRAM_SAMPLE_EVERY - 1)) == 0)) {
                jitterCounts.record(Math.round(jitterMs * HISTOGRAM_UNITS_PER_MS));
            }
            if (timeline != null) {
                timeline.record(nanos, gap, jitterMs);
            }
        }
    }

    /**
     * The stream ended: its histogram and timeline become their encodings (tens of bytes for a
     * steady call instead of the live objects; BENCHMARKS.md, Memory), decoded again only if a
     * report reads them.
     * Ended flows wait for the report in memory, and the memory budget counts on them being small.
     */
    void compact() {
        if (jitterCounts != null) {
            encodedHistogram = jitterCounts.encode();
            jitterCounts = null;
        }
        if (timeline != null) {
            final ByteBuffer b = ByteBuffer.allocate(timeline.encodedBytes());
            timeline.writeTo(b);
            encodedTimeline = b.array();
            timeline = null;
        }
    }

    /** The source passed probation at {@code nanos}: its histogram and timeline, allocated once (kept over {@link #reset}). */
    void startRecording(final long nanos, final boolean keepTimeline) {
        encodedHistogram = null;
        encodedTimeline = null;
        // exact to 0.32 ms, then one significant binary digit more than a decimal one (at most 1/16
        // off) up to 204.8 ms: 181 counts of 2 bytes
        if (jitterCounts == null) {
            jitterCounts = new JitterCounts();
        } else {
            jitterCounts.reset();
        }
        if (!keepTimeline) {
            timeline = null;
        } else if (timeline == null) {
            timeline = new RtpTimeline(nanos);
        } else {
            timeline.reset(nanos);
        }
    }


    /** An RTCP report block about this source. */
    void report(final int fractionLost, final int cumulativeLost, final long jitter) {
        rtcpSeen = true;
        rtcpFractionLost = fractionLost;
        rtcpCumulativeLost = cumulativeLost;
        rtcpJitter = jitter;
    }

    /** Bytes {@link #writeTo} writes at most. */
    static final int MAX_ENCODED_BYTES = (8 + 1 + 8) + (4 * 4 + 8 * 2) + (4 + 8 * 3) + (4 + 4) + 8 * 3 + 8 * 5
        + (1 + 4 + 4 + 8) + 4 + HISTOGRAM_MAX_BYTES + 1 + RtpTimeline.MAX_ENCODED_BYTES; // a line of writeTo each

    /** Writes the whole state (a flow's spill, see {@code FlowInspection.writeTo}). */
    void writeTo(final ByteBuffer out) {
        out.putLong(ssrc).put((byte) (valid ? 1 : 0)).putLong(packets);
        out.putInt(maxSeq).putInt(baseSeq).putInt(badSeq).putInt(probation).putLong(cycles).putLong(received);
        out.putInt(gap).putLong(seqWindow).putLong(duplicates).putLong(seqErrors);
        out.putInt(payloadType).putInt(clockRate);
        out.putLong(lastNanos).putLong(firstTimestamp).putLong(lastNominal);
        out.putDouble(jitterMs).putDouble(maxJitterMs).putDouble(meanJitterMs).putDouble(maxDeltaMs).putDouble(meanDeltaMs);
        out.put((byte) (rtcpSeen ? 1 : 0)).putInt(rtcpFractionLost).putInt(rtcpCumulativeLost).putLong(rtcpJitter);
        if (valid) {
            final int at = out.position();
            out.putInt(0);
            final byte[] sparse = jitterSparse();
            out.put(sparse);
            out.putInt(at, sparse.length);
            final RtpTimeline t = timeline();
            out.put((byte) (t != null ? 1 : 0));
            if (t != null) {
                t.writeTo(out);
            }
        }
    }

    /** Reads what {@link #writeTo} wrote. */
    void readFrom(final ByteBuffer in) {
        ssrc = in.getLong();
        valid = in.get() != 0;
        packets = in.getLong();
        maxSeq = in.getInt();
        baseSeq = in.getInt();
        badSeq = in.getInt();
        probation = in.getInt();
        cycles = in.getLong();
        received = in.getLong();
        gap = in.getInt();
        seqWindow = in.getLong();
        duplicates = in.getLong();
        seqErrors = in.getLong();
        payloadType = in.getInt();
        clockRate = in.getInt();
        lastNanos = in.getLong();
        firstTimestamp = in.getLong();
        lastNominal = in.getLong();
        jitterMs = in.getDouble();
        maxJitterMs = in.getDouble();
        meanJitterMs = in.getDouble();
        maxDeltaMs = in.getDouble();
        meanDeltaMs = in.getDouble();
        rtcpSeen = in.get() != 0;
        rtcpFractionLost = in.getInt();
        rtcpCumulativeLost = in.getInt();
        rtcpJitter = in.getLong();
        if (valid) {
            final int n = in.getInt();
            encodedHistogram = new byte[n];
            in.get(encodedHistogram);
            encodedTimeline = null;
            if (in.get() != 0) {
                final int t = in.position();
                RtpTimeline.skip(in);
                encodedTimeline = new byte[in.position() - t];
                in.get(t, encodedTimeline);
            }
            timeline = null;
        }
    }

    /** Forgets everything but its buffers (flow state reuse). */
    public void reset() {
        ssrc = 0;
        valid = false;
        packets = 0;
        maxSeq = 0;
        cycles = 0;
        baseSeq = 0;
        badSeq = 0;
        probation = 0;
        received = 0;
        gap = 0;
        seqWindow = 0;
        duplicates = 0;
        seqErrors = 0;
        payloadType = -1;
        clockRate = 0;
        lastNanos = firstTimestamp = lastNominal = 0;
        jitterMs = maxJitterMs = meanJitterMs = maxDeltaMs = meanDeltaMs = 0;
        rtcpSeen = false;
        rtcpFractionLost = rtcpCumulativeLost = 0;
        rtcpJitter = 0;
    }
}
