package io.mraflow.decode;

/**
 * IP protocol numbers (IANA's "Assigned Internet Protocol Numbers"), the one place they are
 * written. Plain {@code int} constants rather than an enum: they are compared on the per-packet
 * path against the number a header carries. {@code IpProtoSourceTest} fails the build when a raw
 * protocol number is compared anywhere else.
 */
public final class IpProto {
    public static final int ICMP = 1;
    /** IPv4 encapsulated in IP (IP-in-IP). */
    public static final int IPIP = 4;
    public static final int TCP = 6;
    public static final int UDP = 17;
    /** IPv6 encapsulated in IP. */
    public static final int IPV6 = 41;
    public static final int GRE = 47;
    public static final int ICMPV6 = 58;

    private IpProto() {
    }

    /** "tcp" or "udp" for the two protocols flows are followed on, else "ip" and the number. */
    public static String transportName(final int proto) {
        return proto == TCP ? "tcp" : proto == UDP ? "udp" : "ip" + proto;
    }
}
