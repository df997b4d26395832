package io.mraflow.synth;

/**
 * Builds Ethernet II frames carrying IPv4 or IPv6 with TCP, UDP or an ICMPv4 error into one
 * reused byte array, with correct IPv4 header, TCP, UDP and ICMP checksums. Single-threaded:
 * one generator owns one builder.
 *
 * <p>The fast path writes the payload in place: put it at {@link #UDP4_PAYLOAD} (or
 * {@link #TCP4_PAYLOAD}, ...) of {@link #frame()} and then call {@code udp4}/{@code tcp4} with its
 * length; nothing is copied or allocated. The convenience overloads take addresses as byte
 * arrays (4 or 16 bytes) and copy the payload in.
 *
 * <pre>
 *  0       6      12    14                   34 (IPv4) / 54 (IPv6)
 *  | dst MAC | src MAC | type | IP header      | TCP (20, SYN 28) / UDP (8) | payload
 * </pre>
 * MAC addresses are derived from the IP address (02:00 + its last four bytes), so each host
 * has one stable, locally administered MAC.
 */
public final class FrameBuilder {

    public static final int ETH_LEN = 14;
    public static final int IPV4_LEN = 20;
    public static final int IPV6_LEN = 40;
    public static final int UDP_LEN = 8;
    public static final int TCP_LEN = 20;
    public static final int UDP4_PAYLOAD = ETH_LEN + IPV4_LEN + UDP_LEN;
    public static final int TCP4_PAYLOAD = ETH_LEN + IPV4_LEN + TCP_LEN;
    public static final int UDP6_PAYLOAD = ETH_LEN + IPV6_LEN + UDP_LEN;
    public static final int TCP6_PAYLOAD = ETH_LEN + IPV6_LEN + TCP_LEN;
    public static final int MAX_FRAME = 65535 + ETH_LEN + IPV6_LEN;

    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;

    private static final int PROTO_ICMP = 1;
    private static final int PROTO_TCP = 6;
    private static final int PROTO_UDP = 17;
    private static final int SYN_OPTIONS_LEN = 8; // MSS 1460, NOP, NOP, SACK permitted
    private static final int TCP_WINDOW = 64240;

    private final byte[] frame = new byte[MAX_FRAME];
    private int ipId = 0x1000;

    public byte[] frame() {
        return frame;
    }

    // ---------------------------------------------------------------- IPv4, payload in place

    /** UDP over IPv4; the payload is already at {@link #UDP4_PAYLOAD}. Returns the frame length. */
    public int udp4(final int src, final int srcPort, final int dst, final int dstPort, final int payloadLen) {
        final int l4 = ETH_LEN + IPV4_LEN;
        final int udpLen = UDP_LEN + payloadLen;
        ipv4Header(src, dst, PROTO_UDP, udpLen, false);
        put16(l4, srcPort);
        put16(l4 + 2, dstPort);
        put16(l4 + 4, udpLen);
        put16(l4 + 6, 0);
        int sum = pseudo4(src, dst, PROTO_UDP, udpLen);
        int c = fold(sum + sum(frame, l4, udpLen));
        c = ~c & 0xFFFF;
        put16(l4 + 6, c == 0 ? 0xFFFF : c);
        return l4 + udpLen;
    }

    /**
     * TCP over IPv4; the payload is already at {@link #TCP4_PAYLOAD} (a SYN carries options and
     * no payload). Sequence numbers are taken modulo 2^32. Returns the frame length.
     */
    public int tcp4(final int src, final int srcPort, final int dst, final int dstPort,
                    final long seq, final long ack, final int flags, final int payloadLen) {
        final int l4 = ETH_LEN + IPV4_LEN;
        final int hdr = tcpHeaderLen(flags, payloadLen);
        final int segLen = hdr + payloadLen;
        ipv4Header(src, dst, PROTO_TCP, segLen, true);
        tcpHeader(l4, srcPort, dstPort, seq, ack, flags, hdr);
        final int sum = pseudo4(src, dst, PROTO_TCP, segLen);
        put16(l4 + 16, ~fold(sum + sum(frame, l4, segLen)) & 0xFFFF);
        return l4 + segLen;
    }

    /**
     * ICMPv4 destination unreachable ({@code code} 3 = port unreachable) from {@code src} to
     * {@code dst}, quoting {@code quoted} (an IP header and at least the first eight bytes of its
     * payload, RFC 792). Returns the frame length.
     */
    public int icmp4Unreachable(final int src, final int dst, final int code,
                                final byte[] quoted, final int off, final int len) {
        final int l4 = ETH_LEN + IPV4_LEN;
        final int icmpLen = 8 + len;
        System.arraycopy(quoted, off, frame, l4 + 8, len);
        ipv4Header(src, dst, PROTO_ICMP, icmpLen, false);
        frame[l4] = 3;
        frame[l4 + 1] = (byte) code;
        put16(l4 + 2, 0);
        put32(l4 + 4, 0);
        put16(l4 + 2, ~fold(sum(frame, l4, icmpLen)) & 0xFFFF);
        return l4 + icmpLen;
    }

    // ---------------------------------------------------------------- IPv6, payload in place

    public int udp6(final byte[] src, final int srcPort, final byte[] dst, final int dstPort, final int payloadLen) {
        final int l4 = ETH_LEN + IPV6_LEN;
        final int udpLen = UDP_LEN + payloadLen;
        ipv6Header(src, dst, PROTO_UDP, udpLen);
        put16(l4, srcPort);
        put16(l4 + 2, dstPort);
        put16(l4 + 4, udpLen);
        put16(l4 + 6, 0);
        int c = ~fold(pseudo6(src, dst, PROTO_UDP, udpLen) + sum(frame, l4, udpLen)) & 0xFFFF;
        put16(l4 + 6, c == 0 ? 0xFFFF : c);
        return l4 + udpLen;
    }

    public int tcp6(final byte[] src, final int srcPort, final byte[] dst, final int dstPort,
                    final long seq, final long ack, final int flags, final int payloadLen) {
        final int l4 = ETH_LEN + IPV6_LEN;
        final int hdr = tcpHeaderLen(flags, payloadLen);
        final int segLen = hdr + payloadLen;
        ipv6Header(src, dst, PROTO_TCP, segLen);
        tcpHeader(l4, srcPort, dstPort, seq, ack, flags, hdr);
        put16(l4 + 16, ~fold(pseudo6(src, dst, PROTO_TCP, segLen) + sum(frame, l4, segLen)) & 0xFFFF);
        return l4 + segLen;
    }

    // ---------------------------------------------------------------- convenience, any family

    /** UDP between two addresses of 4 or 16 bytes, copying the payload in. */
    public int udp(final byte[] src, final int srcPort, final byte[] dst, final int dstPort,
                   final byte[] payload, final int off, final int len) {
        if (src.length == 4) {
            System.arraycopy(payload, off, frame, UDP4_PAYLOAD, len);
            return udp4(Ip.v4(src), srcPort, Ip.v4(dst), dstPort, len);
        }
        System.arraycopy(payload, off, frame, UDP6_PAYLOAD, len);
        return udp6(src, srcPort, dst, dstPort, len);
    }

    /** TCP between two addresses of 4 or 16 bytes, copying the payload in. */
    public int tcp(final byte[] src, final int srcPort, final byte[] dst, final int dstPort,
                   final long seq, final long ack, final int flags,
                   final byte[] payload, final int off, final int len) {
        if (src.length == 4) {
            if (len > 0) {
                System.arraycopy(payload, off, frame, TCP4_PAYLOAD, len);
            }
            return tcp4(Ip.v4(src), srcPort, Ip.v4(dst), dstPort, seq, ack, flags, len);
        }
        if (len > 0) {
            System.arraycopy(payload, off, frame, TCP6_PAYLOAD, len);
        }
        return tcp6(src, srcPort, dst, dstPort, seq, ack, flags, len);
    }

    // ---------------------------------------------------------------- headers

    private static int tcpHeaderLen(final int flags, final int payloadLen) {
        if ((flags & SYN) != 0) {
            if (payloadLen != 0) {
                throw new IllegalArgumentException("a SYN built here carries no payload");
            }
            return TCP_LEN + SYN_OPTIONS_LEN;
        }
        return TCP_LEN;
    }

    private void tcpHeader(final int at, final int srcPort, final int dstPort, final long seq, final long ack,
                           final int flags, final int hdr) {
        put16(at, srcPort);
        put16(at + 2, dstPort);
        put32(at + 4, (int) seq);
        put32(at + 8, (flags & ACK) != 0 ? (int) ack : 0);
        frame[at + 12] = (byte) ((hdr / 4) << 4);
        frame[at + 13] = (byte) flags;
        put16(at + 14, (flags & RST) != 0 ? 0 : TCP_WINDOW);
        put16(at + 16, 0);
        put16(at + 18, 0);
        if (hdr > TCP_LEN) {
            frame[at + 20] = 2; // MSS
            frame[at + 21] = 4;
            put16(at + 22, 1460);
            frame[at + 24] = 1; // NOP
            frame[at + 25] = 1; // NOP
            frame[at + 26] = 4; // SACK permitted
            frame[at + 27] = 2;
        }
    }

    private void ipv4Header(final int src, final int dst, final int proto, final int l4Len, final boolean df) {
        ethernet(src, dst, 0x0800);
        final int at = ETH_LEN;
        frame[at] = 0x45;
        frame[at + 1] = 0;
        put16(at + 2, IPV4_LEN + l4Len);
        put16(at + 4, ipId);
        ipId = (ipId + 1) & 0xFFFF;
        put16(at + 6, df ? 0x4000 : 0);
        frame[at + 8] = 64;
        frame[at + 9] = (byte) proto;
        put16(at + 10, 0);
        put32(at + 12, src);
        put32(at + 16, dst);
        put16(at + 10, ~fold(sum(frame, at, IPV4_LEN)) & 0xFFFF);
    }

    private void ipv6Header(final byte[] src, final byte[] dst, final int proto, final int l4Len) {
        ethernet(tail32(src), tail32(dst), 0x86DD);
        final int at = ETH_LEN;
        put32(at, 0x60000000);
        put16(at + 4, l4Len);
        frame[at + 6] = (byte) proto;
        frame[at + 7] = 64;
        System.arraycopy(src, 0, frame, at + 8, 16);
        System.arraycopy(dst, 0, frame, at + 24, 16);
    }

    private void ethernet(final int src, final int dst, final int etherType) {
        frame[0] = 0x02;
        frame[1] = 0;
        put32(2, dst);
        frame[6] = 0x02;
        frame[7] = 0;
        put32(8, src);
        put16(12, etherType);
    }

    private static int tail32(final byte[] a) {
        final int n = a.length;
        return (a[n - 4] & 0xFF) << 24 | (a[n - 3] & 0xFF) << 16 | (a[n - 2] & 0xFF) << 8 | (a[n - 1] & 0xFF);
    }

    // ---------------------------------------------------------------- checksums

    private static int pseudo4(final int src, final int dst, final int proto, final int len) {
        return (src >>> 16) + (src & 0xFFFF) + (dst >>> 16) + (dst & 0xFFFF) + proto + len;
    }

    private static int pseudo6(final byte[] src, final byte[] dst, final int proto, final int len) {
        return sum(src, 0, 16) + sum(dst, 0, 16) + proto + len;
    }

    /** The 16-bit one's complement sum of {@code len} bytes, not yet folded. */
    static int sum(final byte[] b, final int off, final int len) {
        int s = 0;
        int i = off;
        final int end = off + (len & ~1);
        while (i < end) {
            s += ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
            i += 2;
        }
        if ((len & 1) != 0) {
            s += (b[end] & 0xFF) << 8;
        }
        return s;
    }

    static int fold(int s) {
        while ((s >>> 16) != 0) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return s;
    }

    private void put16(final int at, final int v) {
        frame[at] = (byte) (v >>> 8);
        frame[at + 1] = (byte) v;
    }

    private void put32(final int at, final int v) {
        frame[at] = (byte) (v >>> 24);
        frame[at + 1] = (byte) (v >>> 16);
        frame[at + 2] = (byte) (v >>> 8);
        frame[at + 3] = (byte) v;
    }
}
