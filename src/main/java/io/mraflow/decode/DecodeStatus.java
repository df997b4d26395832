package io.mraflow.decode;

/**
 * What {@link PacketDecoder} made of a packet. Anything but {@link #OK} and {@link #TRUNCATED} is
 * counted and skipped, never fatal (Zeek's "weird" idea: oddities are counted, not alerted).
 *
 * <p>Int constants, not an enum: every packet's decode returns one, and it indexes the per-worker
 * counters directly.
 */
public final class DecodeStatus {
    /** Fully decoded. */
    public static final int OK = 0;
    /** Cut short by the snap length: decoded as far as the captured bytes go. */
    public static final int TRUNCATED = 1;
    /** Not an IP packet (ARP, STP, LLDP, ...): nothing for the flow table. */
    public static final int NOT_IP = 2;
    /** A header that contradicts itself (bad IP header length, bad version, ...). */
    public static final int MALFORMED = 3;
    /** A link type the decoder does not know. */
    public static final int UNSUPPORTED_LINK = 4;

    public static final int COUNT = 5;

    private DecodeStatus() {
    }

    public static String name(final int status) {
        return switch (status) {
            case OK -> "ok";
            case TRUNCATED -> "truncated";
            case NOT_IP -> "not_ip";
            case MALFORMED -> "malformed";
            case UNSUPPORTED_LINK -> "unsupported_link";
            default -> "unknown";
        };
    }
}
