package io.mraflow.inspect;

/**
 * The payload protocols {@link PayloadInspector} can name, as int constants so that per-flow
 * state stays primitive. {@link #name(int)} gives the stable lower-case name used in reports.
 */
public final class AppProto {

    public static final int UNKNOWN = 0;
    public static final int TLS = 1;
    public static final int DTLS = 2;
    public static final int SSH = 3;
    public static final int SIP = 4;
    public static final int STUN = 5;
    public static final int RTP = 6;
    public static final int RTCP = 7;
    public static final int XMPP = 8;
    public static final int HTTP = 9;
    /** TURN ChannelData (RFC 8656 section 12.4): relayed media framed by a 4-byte channel header. */
    public static final int TURN_CHANNEL = 10;

    /** Number of constants; valid values are {@code 0 .. COUNT - 1}. */
    public static final int COUNT = 11;

    private static final String[] NAMES = {
        "unknown", "tls", "dtls", "ssh", "sip", "stun", "rtp", "rtcp", "xmpp", "http", "turn-channel"
    };

    private AppProto() {
    }

    /** Lower-case name of {@code proto}; {@code "unknown"} for any value out of range. */
    public static String name(final int proto) {
        return proto >= 0 && proto < COUNT ? NAMES[proto] : NAMES[UNKNOWN];
    }

    /** The constant whose {@link #name(int)} is {@code name}, or {@link #UNKNOWN}. */
    public static int of(final String name) {
        for (int i = 0; i < COUNT; i++) {
            if (NAMES[i].equals(name)) {
                return i;
            }
        }
        return UNKNOWN;
    }
}
