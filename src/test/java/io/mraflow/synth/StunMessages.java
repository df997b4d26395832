package io.mraflow.synth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * STUN and TURN messages (RFC 5389, RFC 5766, ICE attributes of RFC 8445): a message is begun
 * with a type and a seeded transaction id, attributes are appended, and {@link #finish} adds
 * MESSAGE-INTEGRITY (when a key is given) and FINGERPRINT with the length field set as the RFCs
 * require. Single-threaded; one instance per message.
 *
 * <pre>
 *  0                   1                   2                   3
 *  |0 0|  message type (14)        |        message length           |
 *  |                  magic cookie = 0x2112A442                      |
 *  |                  transaction id (96 bits)                       |
 *  | attribute type                | attribute length | value, padded to 4 ...
 * </pre>
 */
public final class StunMessages {

    public static final int MAGIC_COOKIE = 0x2112A442;
    public static final int BINDING_REQUEST = 0x0001;
    public static final int BINDING_SUCCESS = 0x0101;
    public static final int ALLOCATE_REQUEST = 0x0003;
    public static final int ALLOCATE_SUCCESS = 0x0103;
    public static final int ALLOCATE_ERROR = 0x0113;
    public static final int REFRESH_REQUEST = 0x0004;
    public static final int REFRESH_SUCCESS = 0x0104;

    public static final int ATTR_USERNAME = 0x0006;
    public static final int ATTR_MESSAGE_INTEGRITY = 0x0008;
    public static final int ATTR_ERROR_CODE = 0x0009;
    public static final int ATTR_LIFETIME = 0x000D;
    public static final int ATTR_REALM = 0x0014;
    public static final int ATTR_NONCE = 0x0015;
    public static final int ATTR_XOR_RELAYED_ADDRESS = 0x0016;
    public static final int ATTR_REQUESTED_TRANSPORT = 0x0019;
    public static final int ATTR_XOR_MAPPED_ADDRESS = 0x0020;
    public static final int ATTR_PRIORITY = 0x0024;
    public static final int ATTR_USE_CANDIDATE = 0x0025;
    public static final int ATTR_SOFTWARE = 0x8022;
    public static final int ATTR_FINGERPRINT = 0x8028;
    public static final int ATTR_ICE_CONTROLLED = 0x8029;
    public static final int ATTR_ICE_CONTROLLING = 0x802A;

    private final ByteSink s = new ByteSink();
    private final byte[] transactionId = new byte[12];

    private StunMessages(final int type, final byte[] transactionId) {
        System.arraycopy(transactionId, 0, this.transactionId, 0, 12);
        s.u16(type).u16(0).u32(MAGIC_COOKIE).bytes(transactionId);
    }

    /** Begins a message with a fresh transaction id drawn from {@code rng}. */
    public static StunMessages begin(final int type, final SplittableRandom rng) {
        final byte[] id = new byte[12];
        for (int i = 0; i < 12; i++) {
            id[i] = (byte) rng.nextInt(256);
        }
        return new StunMessages(type, id);
    }

    /** Begins a response to the request whose transaction id is {@code requestTxId}. */
    public static StunMessages respond(final int type, final byte[] requestTxId) {
        return new StunMessages(type, requestTxId);
    }

    public byte[] transactionId() {
        return transactionId.clone();
    }

    public StunMessages attr(final int type, final byte[] value) {
        s.u16(type).u16(value.length).bytes(value);
        s.zeros(((value.length + 3) & ~3) - value.length);
        return this;
    }

    public StunMessages text(final int type, final String value) {
        return attr(type, value.getBytes(StandardCharsets.UTF_8));
    }

    public StunMessages u32(final int type, final int value) {
        s.u16(type).u16(4).u32(value);
        return this;
    }

    public StunMessages u64(final int type, final long value) {
        s.u16(type).u16(8).u32((int) (value >>> 32)).u32((int) value);
        return this;
    }

    public StunMessages flag(final int type) {
        s.u16(type).u16(0);
        return this;
    }

    /** An XOR-MAPPED-ADDRESS style attribute (IPv4) for {@code address}:{@code port}. */
    public StunMessages xorAddress(final int type, final int address, final int port) {
        s.u16(type).u16(8).u8(0).u8(1).u16(port ^ (MAGIC_COOKIE >>> 16)).u32(address ^ MAGIC_COOKIE);
        return this;
    }

    public StunMessages errorCode(final int code, final String reason) {
        final byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        final byte[] v = new byte[4 + r.length];
        v[2] = (byte) (code / 100);
        v[3] = (byte) (code % 100);
        System.arraycopy(r, 0, v, 4, r.length);
        return attr(ATTR_ERROR_CODE, v);
    }

    /** REQUESTED-TRANSPORT: 17 = UDP. */
    public StunMessages requestedTransport(final int protocol) {
        s.u16(ATTR_REQUESTED_TRANSPORT).u16(4).u8(protocol).u8(0).u16(0);
        return this;
    }

    /**
     * Ends the message: MESSAGE-INTEGRITY (HMAC-SHA1 keyed with {@code integrityKey}) when the
     * key is not null, then FINGERPRINT (CRC-32 xor 0x5354554E).
     */
    public byte[] finish(final byte[] integrityKey) {
        if (integrityKey != null) {
            s.patch(2, 2, s.size() - 20 + 24);
            final byte[] hmac = hmacSha1(integrityKey, s.array(), s.size());
            s.u16(ATTR_MESSAGE_INTEGRITY).u16(20).bytes(hmac);
        }
        s.patch(2, 2, s.size() - 20 + 8);
        final CRC32 crc = new CRC32();
        crc.update(s.array(), 0, s.size());
        s.u16(ATTR_FINGERPRINT).u16(4).u32((int) crc.getValue() ^ 0x5354554E);
        return s.toArray();
    }

    /** The ICE short-term credential key: the password's UTF-8 bytes (RFC 8489 without SASLprep). */
    public static byte[] shortTermKey(final String password) {
        return password.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] hmacSha1(final byte[] key, final byte[] data, final int len) {
        try {
            final Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            mac.update(data, 0, len);
            return mac.doFinal();
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is required of every Java runtime", e);
        }
    }
}
