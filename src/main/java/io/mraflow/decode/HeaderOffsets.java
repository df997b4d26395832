package io.mraflow.decode;

/**
 * Where each field of each header the decoder reads sits, relative to the start of that header,
 * in the manner of Agrona's {@code RecordDescriptor}: one place owns the offsets, the decoders
 * name them instead of repeating numbers. All multi-byte fields are big-endian unless a diagram
 * says otherwise.
 */
final class HeaderOffsets {
    private HeaderOffsets() {
    }

    /**
     * Ethernet II / 802.3 frame header.
     * <pre>
     *  0                   1
     *  0 1 2 3 4 5 6 7 8 9 0 1 2 3
     * +-----------+-----------+---+
     * |  dst MAC  |  src MAC  |typ|   typ &lt; 0x600 is an 802.3 length (LLC follows: not IP)
     * +-----------+-----------+---+
     * </pre>
     */
    static final class Ethernet {
        static final int TYPE = 12;
        static final int LENGTH = 14;
        /** Values below this in the type field are 802.3 lengths, not EtherTypes. */
        static final int MIN_ETHERTYPE = 0x600;

        private Ethernet() {
        }
    }

    /**
     * One 802.1Q / 802.1ad / 0x9100 tag, which sits where an EtherType would and is followed by
     * the next EtherType (offsets here are from the first byte after the tag's own type field).
     * <pre>
     * +-------+-------+
     * |  TCI  | type  |   TCI = PCP(3) DEI(1) VID(12)
     * +-------+-------+
     * </pre>
     */
    static final class VlanTag {
        static final int TYPE = 2;
        static final int LENGTH = 4;

        private VlanTag() {
        }
    }

    /**
     * MPLS label stack entry (EtherType 0x8847 / 0x8848); entries repeat until the S bit.
     * <pre>
     * +---------------------------------------+-----+-+---------------+
     * |                label (20)             | TC  |S|     TTL       |
     * +---------------------------------------+-----+-+---------------+
     * </pre>
     */
    static final class Mpls {
        static final int LENGTH = 4;
        /** Bottom-of-stack bit, in byte 2 of the entry. */
        static final int BOTTOM_BYTE = 2;
        static final int BOTTOM_BIT = 0x01;

        private Mpls() {
        }
    }

    /**
     * PPPoE session header (EtherType 0x8864), followed by a 2-byte PPP protocol.
     * <pre>
     * +-------+-------+---------------+---------------+---------------+
     * |ver|typ| code  |  session id   |    length     | PPP protocol  |
     * +-------+-------+---------------+---------------+---------------+
     * </pre>
     */
    static final class PppoeSession {
        static final int PPP = 6;

        private PppoeSession() {
        }
    }

    /**
     * Linux cooked capture v1 (LINKTYPE_LINUX_SLL).
     * <pre>
     *  0       2       4       6                              14      16
     * +-------+-------+-------+-------------------------------+-------+
     * |pkttype|hatype | halen |     link-layer address (8)    | proto |
     * +-------+-------+-------+-------------------------------+-------+
     * </pre>
     */
    static final class Sll {
        static final int PROTOCOL = 14;
        static final int LENGTH = 16;

        private Sll() {
        }
    }

    /**
     * Linux cooked capture v2 (LINKTYPE_LINUX_SLL2).
     * <pre>
     *  0       2       4               8      10  11  12                      20
     * +-------+-------+---------------+-------+---+---+-----------------------+
     * | proto | rsvd  |   ifindex     |hatype |pkt|len| link-layer address (8)|
     * +-------+-------+---------------+-------+---+---+-----------------------+
     * </pre>
     */
    static final class Sll2 {
        static final int PROTOCOL = 0;
        static final int LENGTH = 20;

        private Sll2() {
        }
    }

    /**
     * BSD loopback (LINKTYPE_NULL, host byte order) and OpenBSD loopback (LINKTYPE_LOOP,
     * network byte order): a 4-byte address family, then the IP packet.
     * <pre>
     * +---------------+
     * |    family     |   AF_INET = 2; AF_INET6 = 24 (NetBSD/OpenBSD), 28 (FreeBSD), 30 (macOS)
     * +---------------+
     * </pre>
     */
    static final class Loopback {
        static final int FAMILY = 0;
        static final int LENGTH = 4;
        static final int AF_INET = 2;
        static final int AF_INET6_BSD = 24;
        static final int AF_INET6_FREEBSD = 28;
        static final int AF_INET6_DARWIN = 30;

        private Loopback() {
        }
    }

    /**
     * Linux netfilter log (LINKTYPE_NFLOG): a 4-byte header, then TLVs, each padded to 4 bytes.
     * TLV length and type are in the capturing host's byte order; length includes the TLV header.
     * <pre>
     *  0   1   2       4       6       8
     * +---+---+-------+-------+-------+-----------------...
     * |fam|ver| res id| tlvlen|tlvtype| value, padded to 4
     * +---+---+-------+-------+-------+-----------------...
     * </pre>
     */
    static final class Nflog {
        static final int FAMILY = 0;
        static final int HEADER_LENGTH = 4;
        static final int TLV_LENGTH = 0;
        static final int TLV_TYPE = 2;
        static final int TLV_HEADER_LENGTH = 4;
        /** NFULA_PAYLOAD: the packet itself. */
        static final int TLV_PAYLOAD = 9;
        /** The top bits of the type are netlink flags (NLA_F_NESTED, NLA_F_NET_BYTEORDER). */
        static final int TLV_TYPE_MASK = 0x3fff;
        static final int AF_INET = 2;
        static final int AF_INET6 = 10;

        private Nflog() {
        }
    }

    /**
     * PPP (RFC 1661), optionally in HDLC-like framing (RFC 1662) with address 0xff and
     * control 0x03 in front; the protocol field is 1 byte when compressed (its low bit is set).
     * <pre>
     * +----+----+---------+----------...
     * | ff | 03 | protocol| IP packet     0x0021 IPv4, 0x0057 IPv6
     * +----+----+---------+----------...
     * </pre>
     */
    static final class Ppp {
        static final int ADDRESS = 0xff;
        static final int CONTROL = 0x03;
        static final int PROTO_IPV4 = 0x0021;
        static final int PROTO_IPV6 = 0x0057;
        /** Cisco HDLC, which some captures label PPP_HDLC: address 0x0f or 0x8f, then an EtherType. */
        static final int CISCO_HDLC_UNICAST = 0x0f;
        static final int CISCO_HDLC_MULTICAST = 0x8f;
        static final int CISCO_HDLC_TYPE = 2;
        static final int CISCO_HDLC_LENGTH = 4;

        private Ppp() {
        }
    }

    /**
     * IPv4 header (RFC 791).
     * <pre>
     *  0                   1                   2                   3
     *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
     * +-------+-------+---------------+-------------------------------+
     * |Version|  IHL  |      ToS      |          Total Length         |  0
     * +-------+-------+---------------+-----+-------------------------+
     * |        Identification         |Flags|     Fragment Offset     |  4
     * +---------------+---------------+-----+-------------------------+
     * |      TTL      |   Protocol    |        Header Checksum        |  8
     * +---------------+---------------+-------------------------------+
     * |                        Source Address                         | 12
     * +---------------------------------------------------------------+
     * |                     Destination Address                       | 16
     * +---------------------------------------------------------------+
     * |                 Options (IHL &gt; 5) ...                         | 20
     * </pre>
     */
    static final class Ipv4 {
        static final int VERSION_IHL = 0;
        static final int TOTAL_LENGTH = 2;
        static final int ID = 4;
        static final int FLAGS_FRAGMENT = 6;
        static final int PROTOCOL = 9;
        static final int SRC = 12;
        static final int DST = 16;
        static final int MIN_LENGTH = 20;
        static final int MORE_FRAGMENTS = 0x2000;
        static final int OFFSET_MASK = 0x1fff;

        private Ipv4() {
        }
    }

    /**
     * IPv6 fixed header (RFC 8200).
     * <pre>
     *  0                   1                   2                   3
     *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
     * +-------+---------------+---------------------------------------+
     * |Version| Traffic Class |              Flow Label               |  0
     * +-------+---------------+-------+---------------+---------------+
     * |         Payload Length        |  Next Header  |   Hop Limit   |  4
     * +-------------------------------+---------------+---------------+
     * |                     Source Address (16)                       |  8
     * +---------------------------------------------------------------+
     * |                   Destination Address (16)                    | 24
     * +---------------------------------------------------------------+
     * </pre>
     */
    static final class Ipv6 {
        static final int PAYLOAD_LENGTH = 4;
        static final int NEXT_HEADER = 6;
        static final int SRC = 8;
        static final int DST = 24;
        static final int LENGTH = 40;

        private Ipv6() {
        }
    }

    /**
     * IPv6 extension headers. Hop-by-hop (0), routing (43), destination options (60) and
     * mobility (135) share one shape, length in 8-octet units not counting the first 8;
     * AH (51) counts 4-octet units not counting the first 8; the fragment header (44) is 8 bytes.
     * <pre>
     * generic:   +-------+-------+--------------...   length = (hdrlen + 1) * 8
     *            | next  |hdrlen | data
     * AH:        +-------+-------+--------------...   length = (paylen + 2) * 4
     *            | next  |paylen | ...
     * fragment:  +-------+-------+---------------------+--+-+-------------------------------+
     *            | next  | rsvd  | fragment offset (13) |00|M|       identification (32)      |
     *            +-------+-------+---------------------+--+-+-------------------------------+
     * </pre>
     */
    static final class Ipv6Ext {
        static final int NEXT_HEADER = 0;
        static final int HDR_LEN = 1;
        static final int MIN_LENGTH = 8;
        static final int FRAG_OFFSET_FLAGS = 2;
        static final int FRAG_ID = 4;
        static final int FRAG_LENGTH = 8;
        static final int FRAG_OFFSET_MASK = 0xfff8;
        static final int FRAG_MORE = 0x0001;

        static final int HOP_BY_HOP = 0;
        static final int ROUTING = 43;
        static final int FRAGMENT = 44;
        static final int AH = 51;
        static final int NO_NEXT = 59;
        static final int DEST_OPTIONS = 60;
        static final int MOBILITY = 135;

        private Ipv6Ext() {
        }
    }

    /**
     * GRE (RFC 2784/2890 version 0; RFC 2637 version 1 = PPTP enhanced GRE). Optional fields
     * follow the first word in this order, each present only when its flag is set.
     * <pre>
     *  0                   1                   2                   3
     *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
     * +-+-+-+-+-+-----+-+-------+-----+-------------------------------+
     * |C|R|K|S|s|Recur|A| Flags | Ver |         Protocol Type         |
     * +-+-+-+-+-+-----+-+-------+-----+-------------------------------+
     * | v0: checksum + reserved   (C or R)                            |
     * | v0: key / v1: payload length + call id   (K)                  |
     * | sequence number           (S)                                 |
     * | v1: acknowledgement number (A)                                |
     * | v0: routing (R, obsolete: not decapsulated)                   |
     * +---------------------------------------------------------------+
     * </pre>
     */
    static final class Gre {
        static final int FLAGS = 0;
        static final int PROTOCOL = 2;
        static final int BASE_LENGTH = 4;
        static final int OPTION_LENGTH = 4;
        static final int CHECKSUM = 0x8000;
        static final int ROUTING = 0x4000;
        static final int KEY = 0x2000;
        static final int SEQUENCE = 0x1000;
        static final int ACK = 0x0080;
        static final int VERSION_MASK = 0x0007;

        static final int PROTO_TEB = 0x6558;
        static final int PROTO_PPP = 0x880b;
        static final int PROTO_ERSPAN_1_2 = 0x88be;
        static final int PROTO_ERSPAN_3 = 0x22eb;

        private Gre() {
        }
    }

    /**
     * ERSPAN type II header (8 bytes), then the mirrored Ethernet frame. Type I has no header.
     * <pre>
     * +-------+-----------------------+-----+---+-+-------------------+
     * |  Ver  |         VLAN          | COS |En |T|    Session ID     |
     * +-------+-----------------------+-----+---+-+-------------------+
     * |       Reserved        |                 Index                 |
     * +-----------------------+---------------------------------------+
     * </pre>
     */
    static final class Erspan2 {
        static final int LENGTH = 8;

        private Erspan2() {
        }
    }

    /**
     * ERSPAN type III header (12 bytes), an 8-byte platform-specific subheader when O is set,
     * then the mirrored frame (FT 0 = Ethernet).
     * <pre>
     * +-------+-----------------------+-----+---+-+-------------------+
     * |  Ver  |         VLAN          | COS |BSO|T|    Session ID     |  0
     * +-------+-----------------------+-----+---+-+-------------------+
     * |                          Timestamp                            |  4
     * +-------------------------------+-+---------+-----------+-+---+-+
     * |              SGT              |P|   FT    |   Hw ID   |D|Gra|O|  8
     * +-------------------------------+-+---------+-----------+-+---+-+
     * |            platform specific subheader (8, when O)            | 12
     * +---------------------------------------------------------------+
     * </pre>
     */
    static final class Erspan3 {
        static final int LENGTH = 12;
        static final int FRAME_TYPE_BYTE = 10;
        static final int FRAME_TYPE_SHIFT = 2;
        static final int FRAME_TYPE_MASK = 0x1f;
        static final int FRAME_TYPE_ETHERNET = 0;
        static final int O_BYTE = 11;
        static final int O_BIT = 0x01;
        static final int SUBHEADER_LENGTH = 8;

        private Erspan3() {
        }
    }

    /**
     * VXLAN header (RFC 7348) after UDP to port 4789, then the inner Ethernet frame.
     * <pre>
     * +-+-+-+-+-+-+-+-+-----------------------------------------------+
     * |R|R|R|R|I|R|R|R|                  Reserved                     |
     * +---------------------------------------------------------------+
     * |                VXLAN Network Identifier       |   Reserved    |
     * +-----------------------------------------------+---------------+
     * </pre>
     */
    static final class Vxlan {
        static final int PORT = 4789;
        static final int LENGTH = 8;
        static final int FLAGS = 0;
        /** The I flag: a VNI is present (RFC 7348 says it must be set). */
        static final int FLAG_VNI = 0x08;

        private Vxlan() {
        }
    }

    /**
     * TCP header (RFC 9293).
     * <pre>
     *  0                   1                   2                   3
     *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
     * +-------------------------------+-------------------------------+
     * |          Source Port          |       Destination Port        |  0
     * +-------------------------------+-------------------------------+
     * |                        Sequence Number                        |  4
     * +---------------------------------------------------------------+
     * |                    Acknowledgment Number                      |  8
     * +-------+-------+---------------+-------------------------------+
     * |  Off  | Rsvd  |     Flags     |            Window             | 12
     * +-------+-------+---------------+-------------------------------+
     * |           Checksum            |        Urgent Pointer         | 16
     * +-------------------------------+-------------------------------+
     * </pre>
     */
    static final class Tcp {
        static final int SRC_PORT = 0;
        static final int DST_PORT = 2;
        static final int SEQ = 4;
        static final int ACK = 8;
        static final int DATA_OFFSET = 12;
        static final int FLAGS = 13;
        static final int WINDOW = 14;
        static final int MIN_LENGTH = 20;

        private Tcp() {
        }
    }

    /**
     * UDP header (RFC 768).
     * <pre>
     * +---------------+---------------+---------------+---------------+
     * |  Source Port  |   Dest Port   |    Length     |   Checksum    |
     * +---------------+---------------+---------------+---------------+
     * </pre>
     */
    static final class Udp {
        static final int SRC_PORT = 0;
        static final int DST_PORT = 2;
        static final int LENGTH_FIELD = 4;
        static final int LENGTH = 8;

        private Udp() {
        }
    }

    /**
     * ICMP (RFC 792) and ICMPv6 (RFC 4443) error messages: 8 bytes, then as much of the
     * offending packet as fits, starting with its IP header.
     * <pre>
     * +-------+-------+---------------+-------------------------------+
     * | type  | code  |   checksum    |  unused / MTU / pointer       |
     * +-------+-------+---------------+-------------------------------+
     * |      quoted IP header + at least 8 bytes of its payload ...   |
     * </pre>
     */
    static final class Icmp {
        static final int TYPE = 0;
        static final int CODE = 1;
        static final int QUOTED = 8;

        private Icmp() {
        }
    }

    /** The first 4 bytes of TCP and UDP alike: what an ICMP error quotes at least. */
    static final int PORTS_LENGTH = 4;
}
