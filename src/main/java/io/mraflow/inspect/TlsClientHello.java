package io.mraflow.inspect;

import io.mraflow.decode.NetworkOrder;
import org.agrona.DirectBuffer;

/**
 * TLS records (RFC 8446 section 5.1, RFC 5246 section 6.2): recognises a record stream, extracts
 * the server name (SNI, RFC 6066 section 3) from a ClientHello, and reads plaintext alerts.
 *
 * <pre>
 * record:     type(1) version(2: 0x03 0x00..0x04) length(2) fragment(length)
 * handshake:  msg_type(1: 1 = ClientHello) length(3) body
 * ClientHello body:
 *   client_version(2) random(32) session_id<0..32>(1+n) cipher_suites<2..>(2+n)
 *   compression_methods<1..>(1+n) extensions<0..>(2+n)
 * extension:  type(2) length(2) data ; server_name (type 0):
 *   server_name_list length(2) { name_type(1: 0 = host_name) length(2) name }
 * alert:      level(1: 1 warning, 2 fatal) description(1)
 * </pre>
 *
 * Every length read is bounded by the enclosing length and by the captured bytes. Stateless;
 * any thread.
 */
public final class TlsClientHello {

    public static final int CHANGE_CIPHER_SPEC = 20;
    public static final int ALERT = 21;
    public static final int HANDSHAKE = 22;
    public static final int APPLICATION_DATA = 23;

    static final int RECORD_HEADER = 5;
    /** Largest legal record: 2^14 plaintext + 2048 expansion (RFC 5246 section 6.2.3). */
    static final int MAX_RECORD = 16384 + 2048;
    /** Records walked in one payload looking for an alert. */
    static final int MAX_RECORDS = 16;

    /** {@link #extractSni} result: the payload does not start with a ClientHello record. */
    public static final int SNI_NOT_HELLO = -1;
    /** {@link #extractSni} result: a ClientHello whose server_name lies beyond the captured bytes. */
    public static final int SNI_NEED_MORE = -2;
    /** {@link #extractSni} result: a complete ClientHello without a host_name server name. */
    public static final int SNI_ABSENT = -3;

    private TlsClientHello() {
    }

    /** True when a valid TLS record header starts at {@code off} (5 bytes needed). */
    public static boolean isRecordHeader(final DirectBuffer b, final int off, final int length) {
        final int len = Wire.avail(b, off, length);
        if (len < RECORD_HEADER) {
            return false;
        }
        final int type = NetworkOrder.u8(b, off);
        final int rlen = NetworkOrder.u16(b, off + 3);
        return type >= CHANGE_CIPHER_SPEC && type <= APPLICATION_DATA && NetworkOrder.u8(b, off + 1) == 3
            && NetworkOrder.u8(b, off + 2) <= 4 && rlen > 0 && rlen <= MAX_RECORD;
    }

    /**
     * {@link Confidence#STRONG} when the payload starts with a ClientHello or ServerHello record;
     * {@link Confidence#WEAK} for any other valid record header; otherwise none.
     */
    public static int identify(final DirectBuffer b, final int off, final int length) {
        final int len = Wire.avail(b, off, length);
        if (!isRecordHeader(b, off, len)) {
            return Confidence.NONE;
        }
        if (NetworkOrder.u8(b, off) == HANDSHAKE && len >= RECORD_HEADER + 6) {
            final int hs = NetworkOrder.u8(b, off + 5);
            final int hsLen = NetworkOrder.u24(b, off + 6);
            if ((hs == 1 || hs == 2) && hsLen >= 38 && NetworkOrder.u8(b, off + 9) == 3) {
                return Confidence.STRONG;
            }
        }
        return Confidence.WEAK;
    }

    /** True when the payload starts with a handshake record carrying a ClientHello. */
    public static boolean isClientHello(final DirectBuffer b, final int off, final int length) {
        final int len = Wire.avail(b, off, length);
        return isRecordHeader(b, off, len) && NetworkOrder.u8(b, off) == HANDSHAKE && len > RECORD_HEADER
            && NetworkOrder.u8(b, off + RECORD_HEADER) == 1;
    }

    /** Bytes the first record declares, header included ({@code 5 + length}), or -1. */
    public static int recordSize(final DirectBuffer b, final int off, final int length) {
        return isRecordHeader(b, off, length) ? RECORD_HEADER + NetworkOrder.u16(b, off + 3) : -1;
    }

    /**
     * Copies the host_name of the ClientHello at {@code off} into {@code dst} (at most
     * {@code dst.length} bytes, raw as on the wire) and returns the name's full length, which exceeds
     * {@code dst.length} when it was cut. Otherwise returns {@link #SNI_NOT_HELLO},
     * {@link #SNI_NEED_MORE} or {@link #SNI_ABSENT}. The ClientHello is read from the first record
     * only (a hello fragmented over several records yields {@link #SNI_NEED_MORE} or
     * {@link #SNI_ABSENT}).
     */
    public static int extractSni(final DirectBuffer b, final int off, final int length, final byte[] dst) {
        final int len = Wire.avail(b, off, length);
        if (!isClientHello(b, off, len) || len < RECORD_HEADER + 4) {
            return SNI_NOT_HELLO;
        }
        final int captured = off + len;
        final int recEnd = off + RECORD_HEADER + NetworkOrder.u16(b, off + 3);
        int p = off + RECORD_HEADER;
        final int hsEnd = Math.min(recEnd, p + 4 + NetworkOrder.u24(b, p + 1));
        final int end = Math.min(captured, hsEnd);
        final boolean cut = hsEnd > captured;
        final int notFound = cut ? SNI_NEED_MORE : SNI_ABSENT;
        p += 4 + 2 + 32;
        if (p + 1 > end) {
            return notFound;
        }
        p += 1 + NetworkOrder.u8(b, p);
        if (p + 2 > end) {
            return notFound;
        }
        p += 2 + NetworkOrder.u16(b, p);
        if (p + 1 > end) {
            return notFound;
        }
        p += 1 + NetworkOrder.u8(b, p);
        if (p + 2 > end) {
            return notFound;
        }
        final int extEnd = Math.min(end, p + 2 + NetworkOrder.u16(b, p));
        p += 2;
        while (p + 4 <= extEnd) {
            final int type = NetworkOrder.u16(b, p);
            final int extLen = NetworkOrder.u16(b, p + 2);
            p += 4;
            if (type == 0) {
                return hostName(b, p, Math.min(extEnd, p + extLen), p + extLen > captured, dst);
            }
            p += extLen;
        }
        return notFound;
    }

    private static int hostName(final DirectBuffer b, final int start, final int end, final boolean cut,
                                final byte[] dst) {
        if (start + 2 > end) {
            return cut ? SNI_NEED_MORE : SNI_ABSENT;
        }
        final int listEnd = Math.min(end, start + 2 + NetworkOrder.u16(b, start));
        int q = start + 2;
        while (q + 3 <= listEnd) {
            final int nameType = NetworkOrder.u8(b, q);
            final int nameLen = NetworkOrder.u16(b, q + 1);
            q += 3;
            if (nameType == 0) {
                if (q + nameLen > end) {
                    return cut ? SNI_NEED_MORE : SNI_ABSENT;
                }
                b.getBytes(q, dst, 0, Math.min(nameLen, dst.length));
                return nameLen;
            }
            q += nameLen;
        }
        return cut ? SNI_NEED_MORE : SNI_ABSENT;
    }

    /**
     * The first plaintext alert among the records of this payload, as {@code level << 8 | description},
     * or -1. Only 2-byte alert records are read: an encrypted alert (TLS 1.3 after the ServerHello,
     * or any alert after ChangeCipherSpec in TLS 1.2) is longer and its content unknowable.
     */
    public static int alert(final DirectBuffer b, final int off, final int length) {
        final int len = Wire.avail(b, off, length);
        final int end = off + len;
        int p = off;
        for (int r = 0; r < MAX_RECORDS && isRecordHeader(b, p, end - p); r++) {
            final int rlen = NetworkOrder.u16(b, p + 3);
            if (NetworkOrder.u8(b, p) == ALERT && rlen == 2 && p + RECORD_HEADER + 2 <= end) {
                final int level = NetworkOrder.u8(b, p + RECORD_HEADER);
                if (level == 1 || level == 2) {
                    return level << 8 | NetworkOrder.u8(b, p + RECORD_HEADER + 1);
                }
            }
            p += RECORD_HEADER + rlen;
        }
        return -1;
    }
}
