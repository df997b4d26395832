package io.mraflow.inspect;

import io.mraflow.decode.NetworkOrder;
import org.agrona.DirectBuffer;

/**
 * DTLS records (RFC 6347 section 4.1, RFC 9147 section 4 for the DTLSPlaintext form):
 *
 * <pre>
 * type(1: 20..23) version(2: 0xfeff 1.0, 0xfefd 1.2, 0xfefc 1.3) epoch(2) sequence(6) length(2) fragment
 * </pre>
 *
 * Version 0x0100 is also accepted: OpenSSL's {@code DTLS1_BAD_VER}, the pre-RFC DTLS that Cisco
 * AnyConnect still speaks (ndpi/anyconnect-vpn.pcap).
 *
 * A datagram may hold several records; all of them must fit exactly for a strong match.
 * Stateless; any thread.
 */
public final class Dtls {

    static final int RECORD_HEADER = 13;
    /** Content types: change_cipher_spec (20) to application_data (23). */
    static final int FIRST_TYPE = 20;
    static final int LAST_TYPE = 23;
    static final int MAX_RECORDS = 16;

    private Dtls() {
    }

    /**
     * {@link Confidence#STRONG} when the datagram is a sequence of valid DTLS records that ends
     * exactly at its end; {@link Confidence#WEAK} when the first record header is valid but the
     * records do not tile the captured bytes (snap length, trailing data); otherwise none.
     */
    public static int identify(final DirectBuffer b, final int off, final int length) {
        final int len = Wire.avail(b, off, length);
        final int end = off + len;
        if (!header(b, off, end)) {
            return Confidence.NONE;
        }
        int p = off;
        for (int r = 0; r < MAX_RECORDS && header(b, p, end); r++) {
            p += RECORD_HEADER + NetworkOrder.u16(b, p + 11);
            if (p == end) {
                return Confidence.STRONG;
            }
        }
        return Confidence.WEAK;
    }

    private static boolean header(final DirectBuffer b, final int p, final int end) {
        if (end - p < RECORD_HEADER) {
            return false;
        }
        final int type = NetworkOrder.u8(b, p);
        final int minor = NetworkOrder.u8(b, p + 2);
        final int rlen = NetworkOrder.u16(b, p + 11);
        final int major = NetworkOrder.u8(b, p + 1);
        return type >= FIRST_TYPE && type <= LAST_TYPE
            && (major == 0xfe && (minor == 0xff || minor == 0xfd || minor == 0xfc) || major == 0x01 && minor == 0x00)
            && rlen > 0 && rlen <= TlsClientHello.MAX_RECORD;
    }
}
