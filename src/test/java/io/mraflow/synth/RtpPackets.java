package io.mraflow.synth;

import java.nio.charset.StandardCharsets;

/**
 * RTP (RFC 3550, version 2) and RTCP sender reports, written in place into a caller's buffer.
 * The G.711 payload is a 400 Hz tone in mu-law, so it is deterministic and looks like audio.
 * Stateless; the caller keeps sequence numbers, timestamps and SSRCs.
 *
 * <pre>
 * RTP:  |V=2|P|X|CC|M| PT |   sequence number   |  timestamp (32)  |  SSRC (32)  | payload
 * RTCP: |V=2|P| RC | PT=200 | length | SSRC | NTP (64) | RTP ts | packets | octets |
 *       then SDES (PT=202) with a CNAME item
 * </pre>
 */
public final class RtpPackets {

    public static final int HEADER_LEN = 12;
    public static final int PT_PCMU = 0;
    public static final int PT_PCMA = 8;
    public static final int PT_H264 = 96;
    /** 20 ms of 8 kHz G.711. */
    public static final int G711_FRAME = 160;

    private static final byte[] TONE = tone();

    private RtpPackets() {
    }

    /**
     * Writes an RTP header at {@code at}, then {@code payloadLen} payload bytes taken from the
     * tone (offset by {@code timestamp}). Returns the packet length.
     */
    public static int write(final byte[] dst, final int at, final int payloadType, final boolean marker,
                            final int seq, final long timestamp, final int ssrc, final int payloadLen) {
        dst[at] = (byte) 0x80;
        dst[at + 1] = (byte) ((marker ? 0x80 : 0) | payloadType);
        dst[at + 2] = (byte) (seq >>> 8);
        dst[at + 3] = (byte) seq;
        putInt(dst, at + 4, (int) timestamp);
        putInt(dst, at + 8, ssrc);
        int from = (int) Long.remainderUnsigned(timestamp, TONE.length);
        int to = at + HEADER_LEN;
        int left = payloadLen;
        while (left > 0) {
            final int n = Math.min(left, TONE.length - from);
            System.arraycopy(TONE, from, dst, to, n);
            to += n;
            left -= n;
            from = 0;
        }
        return HEADER_LEN + payloadLen;
    }

    /** An RTP packet as a new array. */
    public static byte[] packet(final int payloadType, final boolean marker, final int seq, final long timestamp,
                                final int ssrc, final int payloadLen) {
        final byte[] b = new byte[HEADER_LEN + payloadLen];
        write(b, 0, payloadType, marker, seq, timestamp, ssrc, payloadLen);
        return b;
    }

    /** A compound RTCP packet: a sender report (no report blocks) and an SDES CNAME. */
    public static byte[] senderReport(final int ssrc, final long epochNanos, final long rtpTimestamp,
                                      final int packets, final int octets, final String cname) {
        final ByteSink s = new ByteSink();
        s.u8(0x80).u8(200).u16(6).u32(ssrc);
        final long ntpSeconds = epochNanos / 1_000_000_000L + 2_208_988_800L;
        final long frac = ((epochNanos % 1_000_000_000L) << 32) / 1_000_000_000L;
        s.u32((int) ntpSeconds).u32((int) frac).u32((int) rtpTimestamp).u32(packets).u32(octets);
        final byte[] name = cname.getBytes(StandardCharsets.US_ASCII);
        final int chunk = 4 + 2 + name.length + 1; // SSRC, CNAME item, at least one null octet
        final int padded = (chunk + 3) & ~3;
        s.u8(0x81).u8(202).u16((4 + padded) / 4 - 1).u32(ssrc).u8(1).u8(name.length).bytes(name);
        s.zeros(padded - (chunk - 1));
        return s.toArray();
    }

    /** An RTCP receiver report with no report blocks: what a receiver sends before it has heard anything. */
    public static byte[] emptyReceiverReport(final int ssrc) {
        return new ByteSink().u8(0x80).u8(201).u16(1).u32(ssrc).toArray();
    }

    /**
     * An RTCP receiver report from {@code ssrc} with one report block about {@code about}
     * (RFC 3550 6.4.2): fraction lost (0-255), cumulative lost, extended highest sequence number,
     * interarrival jitter in timestamp units; no LSR/DLSR.
     */
    public static byte[] receiverReport(final int ssrc, final int about, final int fractionLost, final int cumulativeLost,
                                        final int highestSeq, final int jitter) {
        final ByteSink s = new ByteSink();
        s.u8(0x81).u8(201).u16(7).u32(ssrc);
        s.u32(about).u8(fractionLost).u8(cumulativeLost >>> 16).u16(cumulativeLost & 0xffff).u32(highestSeq).u32(jitter);
        s.u32(0).u32(0);
        return s.toArray();
    }

    private static void putInt(final byte[] b, final int at, final int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    private static byte[] tone() {
        final byte[] t = new byte[8000];
        for (int i = 0; i < t.length; i++) {
            final double v = Math.sin(2 * Math.PI * 400 * i / 8000.0) * 4000;
            t[i] = muLaw((int) Math.round(v));
        }
        return t;
    }

    /** G.711 mu-law encoding of a 16-bit linear sample. */
    static byte muLaw(int pcm) {
        final int bias = 0x84;
        final int sign = (pcm >> 8) & 0x80;
        if (sign != 0) {
            pcm = -pcm;
        }
        pcm = Math.min(pcm, 32635) + bias;
        int exponent = 7;
        for (int mask = 0x4000; (pcm & mask) == 0 && exponent > 0; mask >>= 1) {
            exponent--;
        }
        final int mantissa = (pcm >> (exponent + 3)) & 0x0F;
        return (byte) ~(sign | (exponent << 4) | mantissa);
    }
}
