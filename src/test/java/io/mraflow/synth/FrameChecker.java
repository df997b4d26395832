package io.mraflow.synth;

import io.mraflow.capture.CaptureFrames;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Test-only checks of frames: IPv4 header, TCP, UDP and ICMP checksums (IPv6 too), and TCP
 * sequence/acknowledgement consistency per connection: each segment starts where the last one
 * from that side ended (a repeated SYN, or the last segment sent again, excepted: counted in
 * {@link #retransmissions}) and acknowledges everything the other side sent.
 * Throws {@link AssertionError} naming the frame on the first failure.
 */
final class FrameChecker {

    private final Map<String, Long> nextSeq = new HashMap<>();
    int tcp;
    int udp;
    int icmp;
    int retransmissions;

    void checkAll(final List<CaptureFrames.Frame> frames) {
        long last = Long.MIN_VALUE;
        for (int i = 0; i < frames.size(); i++) {
            final CaptureFrames.Frame f = frames.get(i);
            if (f.tsNanos() < last) {
                throw new AssertionError("frame " + (i + 1) + ": time goes backwards");
            }
            last = f.tsNanos();
            check(i + 1, f.data());
        }
    }

    void check(final int n, final byte[] f) {
        final int type = u16(f, 12);
        final int l4;
        final int proto;
        final int l4Len;
        final long pseudo;
        final String src;
        final String dst;
        if (type == 0x0800) {
            final int ihl = (f[14] & 0x0F) * 4;
            expect(n, (f[14] & 0xF0) == 0x40, "IPv4 version");
            expect(n, fold(FrameBuilder.sum(f, 14, ihl)) == 0xFFFF, "IPv4 header checksum");
            final int total = u16(f, 16);
            expect(n, 14 + total == f.length, "IPv4 total length " + total + " vs frame " + f.length);
            proto = f[23] & 0xFF;
            l4 = 14 + ihl;
            l4Len = total - ihl;
            pseudo = (long) FrameBuilder.sum(f, 26, 8) + proto + l4Len;
            src = (f[26] & 0xFF) + "." + (f[27] & 0xFF) + "." + (f[28] & 0xFF) + "." + (f[29] & 0xFF);
            dst = (f[30] & 0xFF) + "." + (f[31] & 0xFF) + "." + (f[32] & 0xFF) + "." + (f[33] & 0xFF);
        } else if (type == 0x86DD) {
            l4Len = u16(f, 18);
            expect(n, 54 + l4Len == f.length, "IPv6 payload length");
            proto = f[20] & 0xFF;
            l4 = 54;
            pseudo = (long) FrameBuilder.sum(f, 22, 32) + proto + l4Len;
            src = "v6:" + FrameBuilder.sum(f, 22, 16);
            dst = "v6:" + FrameBuilder.sum(f, 38, 16);
        } else {
            throw new AssertionError("frame " + n + ": ethertype " + Integer.toHexString(type));
        }
        if (proto == 6) {
            tcp++;
            expect(n, fold((int) (pseudo + FrameBuilder.sum(f, l4, l4Len))) == 0xFFFF, "TCP checksum");
            tcpSequence(n, f, l4, l4Len, src, dst);
        } else if (proto == 17) {
            udp++;
            expect(n, u16(f, l4 + 4) == l4Len, "UDP length");
            expect(n, fold((int) (pseudo + FrameBuilder.sum(f, l4, l4Len))) == 0xFFFF, "UDP checksum");
        } else if (proto == 1) {
            icmp++;
            expect(n, fold(FrameBuilder.sum(f, l4, l4Len)) == 0xFFFF, "ICMP checksum");
        } else {
            throw new AssertionError("frame " + n + ": IP protocol " + proto);
        }
    }

    private void tcpSequence(final int n, final byte[] f, final int l4, final int l4Len, final String src, final String dst) {
        final int sport = u16(f, l4);
        final int dport = u16(f, l4 + 2);
        final long seq = u32(f, l4 + 4);
        final long ack = u32(f, l4 + 8);
        final int hdr = ((f[l4 + 12] & 0xF0) >> 4) * 4;
        final int flags = f[l4 + 13] & 0xFF;
        final int payload = l4Len - hdr;
        final String fwd = src + ":" + sport + ">" + dst + ":" + dport;
        final String rev = dst + ":" + dport + ">" + src + ":" + sport;
        final boolean syn = (flags & FrameBuilder.SYN) != 0;
        final boolean hasAck = (flags & FrameBuilder.ACK) != 0;
        final Long expected = nextSeq.get(fwd);
        final Long peer = nextSeq.get(rev);
        if (syn) {
            final boolean retransmission = !hasAck && expected != null && seq == ((expected - 1) & 0xFFFFFFFFL);
            if (!retransmission) { // a new connection, possibly reusing an old 4-tuple
                nextSeq.put(fwd, (seq + 1 + payload) & 0xFFFFFFFFL);
            }
            if (hasAck) {
                expect(n, peer != null && ack == peer, fwd + " SYN-ACK acknowledges the SYN");
            }
            return;
        }
        if (expected == null) {
            expect(n, (flags & FrameBuilder.RST) != 0, "first segment of " + fwd + " is neither SYN nor RST");
        } else if (payload > 0 && ((seq + payload) & 0xFFFFFFFFL) == expected) {
            retransmissions++; // the last segment sent again: same sequence number, same length
        } else {
            expect(n, seq == expected, fwd + " seq " + seq + " expected " + expected);
        }
        if (hasAck && peer != null) {
            expect(n, ack == peer, fwd + " ack " + ack + " expected " + peer);
        }
        nextSeq.put(fwd, (seq + payload + ((flags & FrameBuilder.FIN) != 0 ? 1 : 0)) & 0xFFFFFFFFL);
    }

    private static void expect(final int n, final boolean ok, final String what) {
        if (!ok) {
            throw new AssertionError("frame " + n + ": " + what);
        }
    }

    private static int fold(int s) {
        return FrameBuilder.fold(s);
    }

    private static int u16(final byte[] b, final int at) {
        return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }

    private static long u32(final byte[] b, final int at) {
        return (long) u16(b, at) << 16 | u16(b, at + 2);
    }
}
