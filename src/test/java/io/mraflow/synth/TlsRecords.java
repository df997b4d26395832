package io.mraflow.synth;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * TLS records on the wire (RFC 5246, RFC 8446): ClientHello with SNI, ServerHello, the
 * change-cipher-spec record, application data and alerts. Contents are random but drawn from
 * the caller's seeded generator, so the same seed gives the same bytes. Stateless.
 */
public final class TlsRecords {

    public static final int CONTENT_CHANGE_CIPHER_SPEC = 20;
    public static final int CONTENT_ALERT = 21;
    public static final int CONTENT_HANDSHAKE = 22;
    public static final int CONTENT_APPLICATION_DATA = 23;
    public static final int ALERT_HANDSHAKE_FAILURE = 40;
    public static final int ALERT_BAD_CERTIFICATE = 42;
    public static final int ALERT_CERTIFICATE_UNKNOWN = 46;
    public static final int ALERT_UNKNOWN_CA = 48;

    private static final int EXT_SERVER_NAME = 0;
    private static final int EXT_SUPPORTED_GROUPS = 10;
    private static final int EXT_EC_POINT_FORMATS = 11;
    private static final int EXT_SIGNATURE_ALGORITHMS = 13;
    private static final int EXT_ALPN = 16;
    private static final int EXT_EXTENDED_MASTER_SECRET = 23;
    private static final int EXT_SUPPORTED_VERSIONS = 43;
    private static final int EXT_PSK_MODES = 45;
    private static final int EXT_KEY_SHARE = 51;
    private static final int EXT_RENEGOTIATION_INFO = 0xFF01;

    private TlsRecords() {
    }

    /**
     * A ClientHello record offering TLS 1.3 ({@code tls13}) or TLS 1.2 only, with a server_name
     * extension naming {@code sni} (none when null) and, when given, an ALPN protocol.
     */
    public static byte[] clientHello(final String sni, final boolean tls13, final String alpn, final SplittableRandom rng) {
        final ByteSink s = new ByteSink();
        s.u8(CONTENT_HANDSHAKE).u16(0x0301);
        final int recLen = s.size();
        s.u16(0);
        s.u8(1);
        final int hsLen = s.size();
        s.u24(0);
        s.u16(0x0303).random(rng, 32);
        s.u8(32).random(rng, 32);
        final int[] suites = tls13
            ? new int[] {0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xC02C, 0xC030}
            : new int[] {0xC02B, 0xC02F, 0xC02C, 0xC030, 0x009E, 0x009F};
        s.u16(suites.length * 2);
        for (final int c : suites) {
            s.u16(c);
        }
        s.u8(1).u8(0);
        final int extLen = s.size();
        s.u16(0);
        if (sni != null) {
            final byte[] name = sni.getBytes(StandardCharsets.US_ASCII);
            s.u16(EXT_SERVER_NAME).u16(name.length + 5).u16(name.length + 3).u8(0).u16(name.length).bytes(name);
        }
        s.u16(EXT_EXTENDED_MASTER_SECRET).u16(0);
        s.u16(EXT_RENEGOTIATION_INFO).u16(1).u8(0);
        s.u16(EXT_SUPPORTED_GROUPS).u16(8).u16(6).u16(0x001D).u16(0x0017).u16(0x0018);
        s.u16(EXT_EC_POINT_FORMATS).u16(2).u8(1).u8(0);
        s.u16(EXT_SIGNATURE_ALGORITHMS).u16(12).u16(10)
            .u16(0x0403).u16(0x0804).u16(0x0401).u16(0x0503).u16(0x0805);
        if (alpn != null) {
            final byte[] p = alpn.getBytes(StandardCharsets.US_ASCII);
            s.u16(EXT_ALPN).u16(p.length + 3).u16(p.length + 1).u8(p.length).bytes(p);
        }
        if (tls13) {
            s.u16(EXT_SUPPORTED_VERSIONS).u16(5).u8(4).u16(0x0304).u16(0x0303);
            s.u16(EXT_PSK_MODES).u16(2).u8(1).u8(1);
            s.u16(EXT_KEY_SHARE).u16(38).u16(36).u16(0x001D).u16(32).random(rng, 32);
        }
        patchLengths(s, recLen, hsLen, extLen);
        return s.toArray();
    }

    /**
     * A ServerHello record followed by a change-cipher-spec record and one encrypted handshake
     * record: a TLS 1.3 full handshake's first flight, or a TLS 1.2 abbreviated (resumed) one.
     */
    public static byte[] serverHelloFlight(final boolean tls13, final SplittableRandom rng) {
        final ByteSink s = new ByteSink();
        s.u8(CONTENT_HANDSHAKE).u16(0x0303);
        final int recLen = s.size();
        s.u16(0);
        s.u8(2);
        final int hsLen = s.size();
        s.u24(0);
        s.u16(0x0303).random(rng, 32);
        s.u8(32).random(rng, 32);
        s.u16(tls13 ? 0x1301 : 0xC02F).u8(0);
        final int extLen = s.size();
        s.u16(0);
        if (tls13) {
            s.u16(EXT_SUPPORTED_VERSIONS).u16(2).u16(0x0304);
            s.u16(EXT_KEY_SHARE).u16(36).u16(0x001D).u16(32).random(rng, 32);
        } else {
            s.u16(EXT_RENEGOTIATION_INFO).u16(1).u8(0);
            s.u16(EXT_EXTENDED_MASTER_SECRET).u16(0);
            s.u16(EXT_EC_POINT_FORMATS).u16(2).u8(1).u8(0);
        }
        patchLengths(s, recLen, hsLen, extLen);
        s.u8(CONTENT_CHANGE_CIPHER_SPEC).u16(0x0303).u16(1).u8(1);
        if (tls13) {
            appendApplicationData(s, 96 + rng.nextInt(64), rng);
        } else {
            s.u8(CONTENT_HANDSHAKE).u16(0x0303).u16(40).random(rng, 40);
        }
        return s.toArray();
    }

    /**
     * A TLS 1.2 full handshake's first flight from the server, one record per message:
     * ServerHello (ECDHE-RSA-AES128-GCM-SHA256), Certificate carrying {@code chain} (DER, leaf
     * first) in clear, ServerKeyExchange (x25519, RSA-PSS signature) and ServerHelloDone.
     */
    public static byte[] serverCertificateFlight(final byte[][] chain, final SplittableRandom rng) {
        final ByteSink s = new ByteSink();
        s.u8(CONTENT_HANDSHAKE).u16(0x0303);
        final int recLen = s.size();
        s.u16(0);
        s.u8(2);
        final int hsLen = s.size();
        s.u24(0);
        s.u16(0x0303).random(rng, 32);
        s.u8(32).random(rng, 32);
        s.u16(0xC02F).u8(0);
        final int extLen = s.size();
        s.u16(0);
        s.u16(EXT_RENEGOTIATION_INFO).u16(1).u8(0);
        s.u16(EXT_EXTENDED_MASTER_SECRET).u16(0);
        s.u16(EXT_EC_POINT_FORMATS).u16(2).u8(1).u8(0);
        patchLengths(s, recLen, hsLen, extLen);

        int listLen = 0;
        for (final byte[] cert : chain) {
            listLen += 3 + cert.length;
        }
        s.u8(CONTENT_HANDSHAKE).u16(0x0303).u16(4 + 3 + listLen).u8(11).u24(3 + listLen).u24(listLen);
        for (final byte[] cert : chain) {
            s.u24(cert.length).bytes(cert);
        }

        final int keyExchangeLen = 4 + 32 + 2 + 2 + 256;
        s.u8(CONTENT_HANDSHAKE).u16(0x0303).u16(4 + keyExchangeLen).u8(12).u24(keyExchangeLen)
            .u8(3).u16(0x001D).u8(32).random(rng, 32).u16(0x0804).u16(256).random(rng, 256);

        s.u8(CONTENT_HANDSHAKE).u16(0x0303).u16(4).u8(14).u24(0);
        return s.toArray();
    }

    /** The client's finishing flight: change-cipher-spec and an encrypted Finished. */
    public static byte[] clientFinished(final boolean tls13, final SplittableRandom rng) {
        final ByteSink s = new ByteSink();
        s.u8(CONTENT_CHANGE_CIPHER_SPEC).u16(0x0303).u16(1).u8(1);
        if (tls13) {
            appendApplicationData(s, 53, rng);
        } else {
            s.u8(CONTENT_HANDSHAKE).u16(0x0303).u16(40).random(rng, 40);
        }
        return s.toArray();
    }

    /** One application-data record with {@code len} bytes of (random) ciphertext. */
    public static byte[] applicationData(final int len, final SplittableRandom rng) {
        final ByteSink s = new ByteSink();
        appendApplicationData(s, len, rng);
        return s.toArray();
    }

    /**
     * Writes the 5-byte application-data record header for {@code len} bytes of ciphertext at
     * {@code at}; the caller fills the ciphertext. Returns the record length.
     */
    public static int applicationDataHeader(final byte[] dst, final int at, final int len) {
        dst[at] = CONTENT_APPLICATION_DATA;
        dst[at + 1] = 3;
        dst[at + 2] = 3;
        dst[at + 3] = (byte) (len >>> 8);
        dst[at + 4] = (byte) len;
        return 5 + len;
    }

    /** A cleartext alert record (as sent before the handshake completes). */
    public static byte[] alert(final boolean fatal, final int description) {
        return new byte[] {CONTENT_ALERT, 3, 3, 0, 2, (byte) (fatal ? 2 : 1), (byte) description};
    }

    /**
     * An encrypted alert record as TLS 1.2 sends after the handshake (close_notify: its level and
     * description are inside the 26 bytes of ciphertext).
     */
    public static byte[] encryptedAlert(final SplittableRandom rng) {
        final ByteSink s = new ByteSink();
        s.u8(CONTENT_ALERT).u16(0x0303).u16(26).random(rng, 26);
        return s.toArray();
    }

    private static void appendApplicationData(final ByteSink s, final int len, final SplittableRandom rng) {
        s.u8(CONTENT_APPLICATION_DATA).u16(0x0303).u16(len).random(rng, len);
    }

    private static void patchLengths(final ByteSink s, final int recLen, final int hsLen, final int extLen) {
        final int end = s.size();
        s.patch(recLen, 2, end - recLen - 2);
        s.patch(hsLen, 3, end - hsLen - 3);
        s.patch(extLen, 2, end - extLen - 2);
    }
}
