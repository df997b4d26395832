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
    /** DNS on port 53, over UDP or TCP. */
    public static final int DNS = 11;

    /** Number of constants; valid values are {@code 0 .. COUNT - 1} (at most 16: a flow packs them in nibbles). */
    public static final int COUNT = 12;

    private static final String[] NAMES = {
        "unknown", "tls", "dtls", "ssh", "sip", "stun", "rtp", "rtcp", "xmpp", "http", "turn-channel", "dns"
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

    /**
     * True when {@code proto}, seen after STUN checks on the same flow, is what the flow was for:
     * ICE's checks come first, then the DTLS handshake or the media they cleared the way for.
     */
    public static boolean carriesAfterStun(final int proto) {
        return proto == DTLS || proto == RTP || proto == RTCP;
    }

    /** The constant's bit in a set of protocols (as the port reference's payload column). */
    public static int bit(final int proto) {
        return 1 << proto;
    }

    /**
     * The constant named {@code name}, case-insensitive (the port reference writes TLS, SSH|TLS).
     *
     * @throws IllegalArgumentException naming the valid names
     */
    public static int parse(final String name) {
        final String lower = name.trim().toLowerCase(java.util.Locale.ROOT);
        for (int i = 0; i < COUNT; i++) {
            if (NAMES[i].equals(lower)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown payload protocol '" + name + "', expected one of "
                + String.join(", ", NAMES).toUpperCase(java.util.Locale.ROOT));
    }

    /** A set of protocols as their upper-case names joined by {@code |}, or "-" for none. */
    public static String names(final int mask) {
        final StringBuilder b = new StringBuilder();
        for (int i = 0; i < COUNT; i++) {
            if ((mask & bit(i)) != 0) {
                if (b.length() > 0) {
                    b.append('|');
                }
                b.append(NAMES[i].toUpperCase(java.util.Locale.ROOT));
            }
        }
        return b.length() == 0 ? "-" : b.toString();
    }
}
