package io.mraflow.decode;

/**
 * One decoded packet as primitive fields, filled in place by {@link PacketDecoder} and reused
 * for every packet: nothing here is allocated per packet. Owned by the one thread that decodes;
 * valid until the next decode.
 *
 * <p>Where tunnels (GRE, ERSPAN, IP-in-IP, VXLAN) are present, the IP and transport fields
 * describe the innermost packet, as tshark's conversation statistics do.
 *
 * <p>Addresses are 128 bits in two longs each. An IPv4 address {@code a.b.c.d} is held as the
 * IPv4-mapped IPv6 address {@code ::ffff:a.b.c.d} ({@code hi = 0},
 * {@code lo = 0x0000_ffff_0000_0000L | (addr & 0xffff_ffffL)}), so one flow key serves both.
 */
public final class PacketView {

    // ---- record ----------------------------------------------------------------------------
    /** Capture time, nanoseconds since the epoch. */
    public long tsNanos;
    /** Bytes on the wire for the whole frame (record header's original length). */
    public int wireLen;
    /** Bytes captured for the whole frame. */
    public int capLen;

    // ---- outcome ---------------------------------------------------------------------------
    /** What the decoder made of the packet: one of the {@link DecodeStatus} constants. */
    public int status;

    // ---- IP (innermost) --------------------------------------------------------------------
    /** 4 or 6; 0 when no IP header was found. */
    public int ipVersion;
    public long srcHi;
    public long srcLo;
    public long dstHi;
    public long dstLo;
    /** Transport protocol number after any IPv6 extension headers (6 TCP, 17 UDP, 1, 58, ...). */
    public int ipProto;
    /**
     * IP-level bytes of the innermost packet as on the wire: IPv4 total length, or 40 + IPv6
     * payload length (jumbograms aside). Taken from the header even when the capture is cut short.
     */
    public int ipLen;
    /** How many tunnel layers were removed to reach the innermost IP header (0 = none). */
    public int tunnelDepth;

    // ---- fragments -------------------------------------------------------------------------
    /** True when this IP packet is a fragment (offset != 0 or more-fragments set). */
    public boolean fragment;
    /** Fragment offset in bytes (0 for the first fragment). */
    public int fragOffset;
    public boolean moreFragments;
    /** IPv4 identification or IPv6 fragment-header identification. */
    public long fragId;

    // ---- transport -------------------------------------------------------------------------
    /**
     * True when the TCP or UDP header was read (unfragmented packet or first fragment, with the
     * ports captured). Non-first fragments have {@code hasPorts == false}: the flow table
     * attributes them to the flow of their first fragment.
     */
    public boolean hasPorts;
    public int srcPort;
    public int dstPort;
    /** TCP flags byte (FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10, URG 0x20, ECE, CWR). */
    public int tcpFlags;
    /** TCP sequence and acknowledgement numbers, unsigned 32-bit in a long. */
    public long tcpSeq;
    public long tcpAck;
    public int tcpWindow;
    /**
     * Transport payload bytes as on the wire (from the IP and TCP/UDP lengths, not from what was
     * captured): what Zeek's orig_bytes/resp_bytes add up for UDP. For packets without a TCP or
     * UDP header (ICMP, non-first fragments, GRE that carries no IP, ESP, ...) the three payload
     * fields describe everything after the IP header(s).
     */
    public int payloadLen;
    /**
     * The bytes the offsets below point into: the packet's own buffer (a reference, set by the
     * decoder; nothing is copied). A pipeline that moves the view to another thread points it
     * at its own copy of the payload and sets {@link #payloadOffset} to match.
     */
    public org.agrona.DirectBuffer buffer;
    /** Where the captured transport payload starts in {@link #buffer}. */
    public int payloadOffset;
    /** Transport payload bytes actually captured (&lt;= payloadLen). */
    public int payloadCapLen;

    // ---- ICMP / ICMPv6 errors --------------------------------------------------------------
    public int icmpType;
    public int icmpCode;
    /**
     * True for an ICMP or ICMPv6 error (destination unreachable, time exceeded, packet too big,
     * parameter problem) whose quoted packet carried a TCP or UDP header: the quoted fields below
     * then name the flow it reports on, as that flow's packet was addressed.
     */
    public boolean icmpError;
    public int quotedProto;
    public long quotedSrcHi;
    public long quotedSrcLo;
    public long quotedDstHi;
    public long quotedDstLo;
    public int quotedSrcPort;
    public int quotedDstPort;

    /** Clears every field decoded from the bytes; the decoder calls this first. */
    public void reset() {
        status = DecodeStatus.OK;
        ipVersion = 0;
        srcHi = srcLo = dstHi = dstLo = 0;
        ipProto = 0;
        ipLen = 0;
        tunnelDepth = 0;
        fragment = false;
        fragOffset = 0;
        moreFragments = false;
        fragId = 0;
        hasPorts = false;
        srcPort = dstPort = 0;
        tcpFlags = 0;
        tcpSeq = tcpAck = 0;
        tcpWindow = 0;
        payloadLen = payloadOffset = payloadCapLen = 0;
        icmpType = icmpCode = 0;
        icmpError = false;
        quotedProto = 0;
        quotedSrcHi = quotedSrcLo = quotedDstHi = quotedDstLo = 0;
        quotedSrcPort = quotedDstPort = 0;
    }

    /** True when the packet is TCP or UDP with an IP header: something the flow table follows. */
    public boolean isTcpOrUdp() {
        return ipVersion != 0 && (ipProto == IpProto.TCP || ipProto == IpProto.UDP);
    }
}
