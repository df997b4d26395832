package io.mraflow.synth;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * A well-formed X.509 v3 certificate in DER (RFC 5280) with an RSA-2048 key, a subject and
 * issuer common name, a validity period and subject alternative names: enough for a dissector
 * to show who the certificate names and who signed it. Key and signature bytes are random (from
 * the caller's seeded generator), so nothing verifies it. Stateless.
 */
public final class DerCertificate {

    private static final int INTEGER = 0x02;
    private static final int BIT_STRING = 0x03;
    private static final int OCTET_STRING = 0x04;
    private static final int NULL = 0x05;
    private static final int OID = 0x06;
    private static final int UTF8_STRING = 0x0C;
    private static final int PRINTABLE_STRING = 0x13;
    private static final int UTC_TIME = 0x17;
    private static final int SEQUENCE = 0x30;
    private static final int SET = 0x31;
    private static final int CONTEXT_0 = 0xA0;
    private static final int CONTEXT_3 = 0xA3;
    private static final int DNS_NAME = 0x82;

    private static final byte[] SHA256_WITH_RSA = {0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 1, 1, 11};
    private static final byte[] RSA_ENCRYPTION = {0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 1, 1, 1};
    private static final byte[] COUNTRY = {0x55, 4, 6};
    private static final byte[] ORGANISATION = {0x55, 4, 10};
    private static final byte[] COMMON_NAME = {0x55, 4, 3};
    private static final byte[] SUBJECT_ALT_NAME = {0x55, 29, 17};

    private DerCertificate() {
    }

    /**
     * A certificate for {@code subjectCn} with {@code sans} as DNS names, issued by
     * {@code issuerCn} of {@code organisation}, valid between two UTCTimes ({@code YYMMDDhhmmssZ}).
     */
    public static byte[] der(final String subjectCn, final String[] sans, final String issuerCn,
                             final String organisation, final String notBefore, final String notAfter,
                             final SplittableRandom rng) {
        final byte[] algorithm = tlv(SEQUENCE, tlv(OID, SHA256_WITH_RSA), tlv(NULL));
        final byte[] serial = new byte[16];
        for (int i = 0; i < serial.length; i++) {
            serial[i] = (byte) rng.nextInt(256);
        }
        serial[0] &= 0x7F; // a positive INTEGER
        final byte[][] names = new byte[sans.length][];
        for (int i = 0; i < sans.length; i++) {
            names[i] = tlv(DNS_NAME, ascii(sans[i]));
        }
        final byte[] extensions = tlv(CONTEXT_3, tlv(SEQUENCE,
            tlv(SEQUENCE, tlv(OID, SUBJECT_ALT_NAME), tlv(OCTET_STRING, tlv(SEQUENCE, names)))));
        final byte[] tbs = tlv(SEQUENCE,
            tlv(CONTEXT_0, tlv(INTEGER, new byte[] {2})),
            tlv(INTEGER, serial),
            algorithm,
            name(issuerCn, organisation),
            tlv(SEQUENCE, tlv(UTC_TIME, ascii(notBefore)), tlv(UTC_TIME, ascii(notAfter))),
            name(subjectCn, organisation),
            rsaPublicKey(rng),
            extensions);
        return tlv(SEQUENCE, tbs, algorithm, tlv(BIT_STRING, new byte[] {0}, random(256, rng)));
    }

    private static byte[] name(final String cn, final String organisation) {
        return tlv(SEQUENCE,
            rdn(COUNTRY, PRINTABLE_STRING, "US"),
            rdn(ORGANISATION, UTF8_STRING, organisation),
            rdn(COMMON_NAME, UTF8_STRING, cn));
    }

    private static byte[] rdn(final byte[] type, final int stringTag, final String value) {
        return tlv(SET, tlv(SEQUENCE, tlv(OID, type), tlv(stringTag, ascii(value))));
    }

    private static byte[] rsaPublicKey(final SplittableRandom rng) {
        final byte[] modulus = random(257, rng);
        modulus[0] = 0;
        modulus[1] |= (byte) 0x80; // a 2048-bit modulus, positive
        final byte[] key = tlv(SEQUENCE, tlv(INTEGER, modulus), tlv(INTEGER, new byte[] {1, 0, 1}));
        return tlv(SEQUENCE, tlv(SEQUENCE, tlv(OID, RSA_ENCRYPTION), tlv(NULL)),
            tlv(BIT_STRING, new byte[] {0}, key));
    }

    private static byte[] random(final int len, final SplittableRandom rng) {
        final byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) rng.nextInt(256);
        }
        return b;
    }

    private static byte[] ascii(final String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Tag, DER length (short or long form), then the parts in order. */
    private static byte[] tlv(final int tag, final byte[]... parts) {
        int len = 0;
        for (final byte[] p : parts) {
            len += p.length;
        }
        final ByteArrayOutputStream out = new ByteArrayOutputStream(len + 4);
        out.write(tag);
        if (len < 0x80) {
            out.write(len);
        } else if (len < 0x100) {
            out.write(0x81);
            out.write(len);
        } else {
            out.write(0x82);
            out.write(len >>> 8);
            out.write(len);
        }
        for (final byte[] p : parts) {
            out.write(p, 0, p.length);
        }
        return out.toByteArray();
    }
}
