package io.mraflow.capture;

/** The link-layer header types (LINKTYPE_* of the tcpdump.org registry) that mraflow decodes. */
public final class LinkType {
    public static final int NULL = 0;         // BSD loopback: 4-byte address family, host byte order
    public static final int EN10MB = 1;       // Ethernet
    public static final int PPP = 9;          // PPP, RFC 1661 framing
    public static final int RAW = 101;        // raw IPv4 or IPv6, version nibble decides
    public static final int PPP_HDLC = 50;    // PPP in HDLC-like framing (0xff 0x03 prefix)
    public static final int LOOP = 108;       // OpenBSD loopback: address family in network byte order
    public static final int LINUX_SLL = 113;  // Linux cooked capture v1
    public static final int IPV4 = 228;       // raw IPv4
    public static final int IPV6 = 229;       // raw IPv6
    public static final int NFLOG = 239;      // Linux netfilter log
    public static final int LINUX_SLL2 = 276; // Linux cooked capture v2
    public static final int DLT_RAW_OPENBSD = 14; // DLT_RAW's value on OpenBSD, written by some tools
    public static final int DLT_RAW_BSD = 12;     // DLT_RAW's value on most BSDs

    private LinkType() {
    }

    /** The registry name of a link type, for messages (e.g. "LINKTYPE_ETHERNET (1)"). */
    public static String describe(final int linkType) {
        String name = switch (linkType) {
            case NULL -> "LINKTYPE_NULL";
            case EN10MB -> "LINKTYPE_ETHERNET";
            case PPP -> "LINKTYPE_PPP";
            case PPP_HDLC -> "LINKTYPE_PPP_HDLC";
            case RAW, DLT_RAW_BSD, DLT_RAW_OPENBSD -> "LINKTYPE_RAW";
            case LOOP -> "LINKTYPE_LOOP";
            case LINUX_SLL -> "LINKTYPE_LINUX_SLL";
            case IPV4 -> "LINKTYPE_IPV4";
            case IPV6 -> "LINKTYPE_IPV6";
            case NFLOG -> "LINKTYPE_NFLOG";
            case LINUX_SLL2 -> "LINKTYPE_LINUX_SLL2";
            default -> "link type";
        };
        return name + " (" + linkType + ")";
    }
}
