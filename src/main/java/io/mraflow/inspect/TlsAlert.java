package io.mraflow.inspect;

/**
 * The names of TLS alert descriptions (RFC 8446 6.2 and the IANA TLS Alerts registry, with the
 * TLS 1.2 ones RFC 8446 dropped), as tshark names them in {@code tls.alert_message.desc}.
 */
public final class TlsAlert {
    private static final String[] NAMES = new String[256];

    static {
        name(0, "close_notify");
        name(10, "unexpected_message");
        name(20, "bad_record_mac");
        name(21, "decryption_failed");
        name(22, "record_overflow");
        name(30, "decompression_failure");
        name(40, "handshake_failure");
        name(41, "no_certificate");
        name(42, "bad_certificate");
        name(43, "unsupported_certificate");
        name(44, "certificate_revoked");
        name(45, "certificate_expired");
        name(46, "certificate_unknown");
        name(47, "illegal_parameter");
        name(48, "unknown_ca");
        name(49, "access_denied");
        name(50, "decode_error");
        name(51, "decrypt_error");
        name(60, "export_restriction");
        name(70, "protocol_version");
        name(71, "insufficient_security");
        name(80, "internal_error");
        name(86, "inappropriate_fallback");
        name(90, "user_canceled");
        name(100, "no_renegotiation");
        name(109, "missing_extension");
        name(110, "unsupported_extension");
        name(111, "certificate_unobtainable");
        name(112, "unrecognized_name");
        name(113, "bad_certificate_status_response");
        name(114, "bad_certificate_hash_value");
        name(115, "unknown_psk_identity");
        name(116, "certificate_required");
        name(120, "no_application_protocol");
    }

    private TlsAlert() {
    }

    private static void name(final int description, final String name) {
        NAMES[description] = name;
    }

    /** The name of alert {@code description} (0-255), or {@code unknown_N}. */
    public static String name(final int description) {
        final String n = description >= 0 && description < 256 ? NAMES[description] : null;
        return n != null ? n : "unknown_" + description;
    }
}
