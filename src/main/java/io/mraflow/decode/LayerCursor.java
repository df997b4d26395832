package io.mraflow.decode;

/**
 * Where decoding has got to in one packet: which header comes next, where it starts, and where
 * the captured bytes that belong to it end. One instance per {@link PacketDecoder}, reused for
 * every packet, touched only by the decoding thread; the decoders hand it along instead of
 * returning small objects, so that nothing is allocated per packet.
 */
final class LayerCursor {
    /** Nothing decodable follows (not IP, or the header before it was cut short). */
    static final int NONE = 0;
    /** An IP header whose version nibble decides (raw link types, GRE's EtherType for either). */
    static final int IP = 1;
    /** An IP header that must be version 4 (EtherType 0x0800, PPP 0x0021, ...). */
    static final int IPV4 = 2;
    /** An IP header that must be version 6. */
    static final int IPV6 = 3;
    /** An Ethernet frame (transparent Ethernet bridging, ERSPAN, VXLAN). */
    static final int ETHERNET = 4;
    /** A PPP frame, with or without the 0xff03 address and control (PPTP's enhanced GRE). */
    static final int PPP = 5;

    /** What comes next: one of the constants above. */
    int next;
    /** Index in the packet buffer where the next header starts. */
    int offset;
    /**
     * Index one past the last captured byte that belongs to the current layer: the captured
     * length, lowered by each IP header's length so that Ethernet padding is never read as data.
     */
    int end;
    /**
     * Bytes of the header at {@link #offset} and everything after it as the enclosing IP header
     * says they were on the wire (set by the IP decoder for the transport layer).
     */
    int wireLength;
    /** Set as soon as any header says more bytes were on the wire than were captured. */
    boolean truncated;

    void start(final int capturedEnd) {
        next = NONE;
        offset = 0;
        end = capturedEnd;
        wireLength = 0;
        truncated = false;
    }

    /** Points the cursor at the next header; returns {@link DecodeStatus#OK} for chaining. */
    int moveTo(final int nextKind, final int nextOffset) {
        next = nextKind;
        offset = nextOffset;
        return DecodeStatus.OK;
    }

    /** True when {@code length} bytes from {@code at} were captured within this layer. */
    boolean has(final int at, final int length) {
        return at >= 0 && length >= 0 && at <= end - length;
    }
}
