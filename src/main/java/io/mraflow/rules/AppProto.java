package io.mraflow.rules;

import java.util.Locale;

/**
 * The payload protocol the inspectors identified on a flow, as small int constants so that
 * {@link FlowFacts} stays primitive; immutable constants only. The payload inspectors set
 * {@link FlowFacts#appProto}; the port reference names the protocols each row accepts by these
 * names ({@code TLS}, {@code SSH|TLS}, ...). {@link #UNKNOWN} is never a protocol mismatch.
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

    /** Number of constants; every constant is below this. */
    public static final int COUNT = 10;

    private static final String[] NAMES = {
        "UNKNOWN", "TLS", "DTLS", "SSH", "SIP", "STUN", "RTP", "RTCP", "XMPP", "HTTP"
    };

    private AppProto() {
    }

    /** The constant's name; {@code UNKNOWN} for anything out of range. */
    public static String name(int appProto) {
        return appProto >= 0 && appProto < COUNT ? NAMES[appProto] : NAMES[UNKNOWN];
    }

    /** The constant's bit in a set of protocols (as the port reference's payload column). */
    public static int bit(int appProto) {
        return 1 << appProto;
    }

    /**
     * The constant named {@code name} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the valid names
     */
    public static int parse(String name) {
        final String upper = name.trim().toUpperCase(Locale.ROOT);
        for (int i = 0; i < COUNT; i++) {
            if (NAMES[i].equals(upper)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown payload protocol '" + name + "', expected one of "
                + String.join(", ", NAMES));
    }

    /** A set of protocols as their names joined by {@code |}. */
    public static String names(int mask) {
        final StringBuilder b = new StringBuilder();
        for (int i = 0; i < COUNT; i++) {
            if ((mask & bit(i)) != 0) {
                if (b.length() > 0) {
                    b.append('|');
                }
                b.append(NAMES[i]);
            }
        }
        return b.length() == 0 ? "-" : b.toString();
    }
}
