package io.mraflow.inspect;

import io.mraflow.decode.NetworkOrder;
import org.agrona.DirectBuffer;

/**
 * DNS messages (RFC 1035 section 4) on port 53, over UDP or over TCP with the 2-byte length
 * prefix of RFC 1035 section 4.2.2:
 *
 * <pre>
 * [TCP only: length(2)] id(2) flags(2: QR opcode(4) AA TC RD RA Z AD CD rcode(4))
 * qdcount(2) ancount(2) nscount(2) arcount(2) question... answer RRs...
 * question: name type(2) class(2)
 * RR:       name type(2) class(2) ttl(4) rdlength(2) rdata
 * </pre>
 *
 * Names are label sequences that may end in a compression pointer ({@code 11} + 14-bit offset
 * into the message). A pointer must point before the place it is read from and at most
 * {@link #MAX_POINTERS} are followed per name, so a loop or a forward chain is refused, as is
 * a name longer than 255 bytes. Over TCP only a message that starts a segment is read (one
 * per segment; a prefix alone in its segment is not followed into the next). Stateless; any thread; never throws and allocates nothing: names
 * are written into the flow's {@link DnsExchange}.
 */
public final class Dns {

    public static final int PORT = 53;
    static final int HEADER = 12;
    static final int TCP_PREFIX = 2;
    public static final int TYPE_A = 1;
    public static final int TYPE_CNAME = 5;
    public static final int TYPE_AAAA = 28;
    public static final int TYPE_SRV = 33;
    static final int CLASS_IN = 1;
    /** Compression pointers followed in one name; real messages use one or two. */
    static final int MAX_POINTERS = 16;
    /** Longest name on the wire (RFC 1035 section 2.3.4). */
    static final int MAX_NAME = 255;
    /** Answer records read from one message: the rest is not looked at. */
    static final int MAX_RECORDS_READ = 32;
    /** A malformed name: {@link #readName} result. */
    static final long BAD_NAME = -1;

    private Dns() {
    }

    /**
     * {@link Confidence#STRONG} when the payload starts a DNS message (a query or a response with
     * opcode QUERY, NOTIFY or UPDATE) whose single question reads as a name, a type and a class
     * inside the captured bytes; otherwise none. Only meant for flows on port 53.
     */
    public static int identify(final DirectBuffer b, final int off, final int length, final boolean tcp) {
        return questionEnd(b, off, Wire.avail(b, off, length), tcp) > 0 ? Confidence.STRONG : Confidence.NONE;
    }

    /**
     * Reads a DNS message into {@code x}: the first question of the flow, and the A, AAAA, CNAME
     * and SRV answers of a response (while {@code x} has room). Malformed parts end the reading.
     */
    public static void read(final DirectBuffer b, final int off, final int length, final boolean tcp,
                            final DnsExchange x) {
        final int n = Wire.avail(b, off, length);
        final int qEnd = questionEnd(b, off, n, tcp);
        if (qEnd < 0) {
            return;
        }
        final int msg = tcp ? off + TCP_PREFIX : off;
        final int end = messageEnd(b, off, n, tcp);
        final boolean response = (NetworkOrder.u8(b, msg + 2) & 0x80) != 0;
        if (!x.hasQuery()) {
            final long q = readName(b, msg, end, msg + HEADER, x.queryBuffer(), 0, x.queryBuffer().length);
            x.setQuery((int) q, NetworkOrder.u16(b, qEnd - 4));
        }
        if (response) {
            x.responseSeen(NetworkOrder.u8(b, msg + 3) & 0x0f);
            answers(b, msg, end, qEnd, Math.min(NetworkOrder.u16(b, msg + 6), MAX_RECORDS_READ), x);
        }
    }

    private static void answers(final DirectBuffer b, final int msg, final int end, final int from, final int count,
                                final DnsExchange x) {
        int p = from;
        for (int i = 0; i < count && !x.full(); i++) {
            final int ownerAt = p;
            final long owner = readName(b, msg, end, p, null, 0, 0);
            if (owner == BAD_NAME) {
                return;
            }
            p = (int) (owner >>> 32);
            if (end - p < 10) {
                return;
            }
            final int type = NetworkOrder.u16(b, p);
            final int cls = NetworkOrder.u16(b, p + 2) & 0x7fff; // mDNS-style cache-flush bit ignored
            final int rdLength = NetworkOrder.u16(b, p + 8);
            final int rdata = p + 10;
            if (rdata + rdLength > end) {
                return;
            }
            p = rdata + rdLength;
            if (cls != CLASS_IN) {
                continue;
            }
            if (type == TYPE_A && rdLength == 4 || type == TYPE_AAAA && rdLength == 16 || type == TYPE_CNAME
                || type == TYPE_SRV && rdLength > DnsExchange.SRV_FIXED) {
                x.add(type, b, msg, end, ownerAt, rdata, rdLength);
            }
        }
    }

    /** End of the message: the captured end, or the TCP length prefix's when that comes first. */
    private static int messageEnd(final DirectBuffer b, final int off, final int n, final boolean tcp) {
        if (!tcp) {
            return off + n;
        }
        return off + TCP_PREFIX + Math.min(n - TCP_PREFIX, NetworkOrder.u16(b, off));
    }

    /** Offset just after the first question, or -1 when the payload is not a DNS message. */
    private static int questionEnd(final DirectBuffer b, final int off, final int n, final boolean tcp) {
        final int msg = tcp ? off + TCP_PREFIX : off;
        if (n < (tcp ? TCP_PREFIX : 0) + HEADER + 5 || tcp && NetworkOrder.u16(b, off) < HEADER + 5) {
            return -1;
        }
        final int end = messageEnd(b, off, n, tcp);
        final int opcode = (NetworkOrder.u8(b, msg + 2) >> 3) & 0x0f;
        if (opcode != 0 && opcode != 4 && opcode != 5 || NetworkOrder.u16(b, msg + 4) != 1 || (NetworkOrder.u8(b, msg + 3) & 0x40) != 0) {
            return -1; // one question, the Z bit clear
        }
        final long q = readName(b, msg, end, msg + HEADER, null, 0, 0);
        if (q == BAD_NAME) {
            return -1;
        }
        final int p = (int) (q >>> 32);
        if (end - p < 4) {
            return -1;
        }
        final int cls = NetworkOrder.u16(b, p + 2) & 0x7fff;
        return cls == CLASS_IN || cls == 3 || cls == 255 ? p + 4 : -1;
    }

    /**
     * Reads the name at {@code at} of the message {@code msg .. end}, writing it dotted (no final
     * dot; the root as ".") into {@code dst} from {@code dstOff}, at most {@code cap} bytes (less is
     * cut); {@code dst} may be null to only skip the name. Returns the offset just after the name
     * in the upper 32 bits and the bytes written in the lower, or {@link #BAD_NAME}.
     */
    static long readName(final DirectBuffer b, final int msg, final int end, final int at, final byte[] dst,
                         final int dstOff, final int cap) {
        int p = at;
        int next = -1;
        int pointers = 0;
        int onWire = 0;
        int w = 0;
        while (true) {
            if (p < msg || p >= end) {
                return BAD_NAME;
            }
            final int len = NetworkOrder.u8(b, p);
            if ((len & 0xc0) == 0xc0) {
                if (p + 1 >= end || ++pointers > MAX_POINTERS) {
                    return BAD_NAME;
                }
                final int target = msg + ((len & 0x3f) << 8 | NetworkOrder.u8(b, p + 1));
                if (target >= p) {
                    return BAD_NAME; // a pointer goes back to a prior name: this refuses loops
                }
                if (next < 0) {
                    next = p + 2;
                }
                p = target;
                continue;
            }
            if (len > 63) {
                return BAD_NAME; // the extended label types of RFC 6891 are obsolete
            }
            if (len == 0) {
                if (next < 0) {
                    next = p + 1;
                }
                break;
            }
            onWire += len + 1;
            if (onWire > MAX_NAME || p + 1 + len > end) {
                return BAD_NAME;
            }
            if (dst != null) {
                if (w > 0 && w < cap) {
                    dst[dstOff + w++] = '.';
                }
                final int copy = Math.min(len, cap - w);
                if (copy > 0) {
                    b.getBytes(p + 1, dst, dstOff + w, copy);
                    w += copy;
                }
            }
            p += 1 + len;
        }
        if (dst != null && w == 0 && cap > 0) {
            dst[dstOff + w++] = '.';
        }
        return (long) next << 32 | w;
    }
}
