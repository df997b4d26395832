package io.mraflow.inspect;

import io.mraflow.decode.NetworkOrder;
import static io.mraflow.decode.IpProto.TCP;
import static io.mraflow.decode.IpProto.UDP;
import org.agrona.DirectBuffer;

/**
 * STUN (RFC 8489 / RFC 5389), classic STUN (RFC 3489) and TURN ChannelData (RFC 8656 section 12.4).
 *
 * <pre>
 * STUN header (20 bytes):
 *   0                   1                   2                   3
 *   |0 0|  message type (14 bits)     |  message length (attributes)  |
 *   |                 magic cookie 0x2112A442 (RFC 5389)                |
 *   |                 transaction id (96 bits; 128 in RFC 3489)         |
 * attribute: type(2) length(2) value(length, padded to 4)
 * message type bits: M11..M7 C1 M6..M4 C0 M3..M0 ; class = C1C0 (0 request, 1 indication,
 *   2 success response, 3 error response)
 *
 * over TCP: messages back to back (RFC 8489 section 6.2.2), or each behind a 2-byte length
 *   (RFC 4571, used by ICE-TCP, RFC 6544): both are tried.
 *
 * ChannelData: channel number(2: 0x4000..0x7FFF) length(2) data(length) [padding to 4]
 * </pre>
 *
 * RFC 3489 messages carry no cookie, so they are accepted only with a known type, a length equal
 * to the rest of the datagram and attributes that tile it exactly. Stateless; any thread.
 */
public final class Stun {

    public static final int REQUEST = 0;
    public static final int INDICATION = 1;
    public static final int SUCCESS = 2;
    public static final int ERROR = 3;

    public static final int BINDING = 0x001;

    /** ICE attributes (RFC 8445 section 16.1), as bits of {@link StunMessage#iceAttributes}. */
    public static final int ICE_PRIORITY = 1;
    public static final int ICE_USE_CANDIDATE = 2;
    public static final int ICE_CONTROLLED = 4;
    public static final int ICE_CONTROLLING = 8;

    static final int ATTR_PRIORITY = 0x0024;
    static final int ATTR_USE_CANDIDATE = 0x0025;
    static final int ATTR_ICE_CONTROLLED = 0x8029;
    static final int ATTR_ICE_CONTROLLING = 0x802A;
    static final int ATTR_SOFTWARE = 0x8022;
    static final int ATTR_DATA = 0x0013;

    static final int HEADER = 20;
    static final long MAGIC_COOKIE = 0x2112A442L;
    /** Attributes walked per message; a real message has a dozen at most. */
    static final int MAX_ATTRIBUTES = 64;


    private Stun() {
    }

    /** {@link #scan} without details, for any transport. */
    public static int identify(final DirectBuffer b, final int off, final int length) {
        return scan(b, off, length, 0, null);
    }

    /**
     * Recognises a STUN message at the start of the payload and, when {@code out} is not null,
     * fills it. {@code ipProto} is 6 (TCP: messages may be followed by more data, or framed by an
     * RFC 4571 length), 17 (UDP: the message is the whole datagram) or 0 (unknown: both tried).
     *
     * @return {@link Confidence#STRONG} for an RFC 5389 message, or an RFC 3489 one with attributes;
     *     {@link Confidence#WEAK} for an attribute-less RFC 3489 message; otherwise none
     */
    public static int scan(final DirectBuffer b, final int off, final int length, final int ipProto,
                           final StunMessage out) {
        final int len = Wire.avail(b, off, length);
        if (out != null) {
            out.clear();
        }
        if (len < HEADER) {
            return Confidence.NONE;
        }
        final int c = message(b, off, off + len, ipProto != UDP, ipProto == UDP, out);
        if (c != Confidence.NONE || ipProto == UDP || len < HEADER + 2) {
            return c;
        }
        final int frame = NetworkOrder.u16(b, off);
        if (frame < HEADER || frame > len - 2) {
            return Confidence.NONE;
        }
        if (NetworkOrder.u16(b, off + 4) + HEADER != frame) {
            return Confidence.NONE;
        }
        final int framed = message(b, off + 2, off + 2 + frame, false, true, out);
        if (framed != Confidence.NONE && out != null) {
            out.framed = true;
        }
        return framed;
    }

    /**
     * @param end            end of the captured bytes the message may occupy
     * @param trailingAllowed more bytes may follow the message (TCP stream)
     * @param exact           the message must end exactly at {@code end} unless cut by the capture
     */
    private static int message(final DirectBuffer b, final int p, final int end, final boolean trailingAllowed,
                               final boolean exact, final StunMessage out) {
        if (end - p < HEADER) {
            return Confidence.NONE;
        }
        final int type = NetworkOrder.u16(b, p);
        final int ml = NetworkOrder.u16(b, p + 2);
        if ((type & 0xC000) != 0) {
            return Confidence.NONE;
        }
        final int msgEnd = p + HEADER + ml;
        final boolean cookie = NetworkOrder.u32(b, p + 4) == MAGIC_COOKIE;
        // RFC 8489 pads every attribute, so the length is a multiple of 4. Some clients leave the
        // last one unpadded (arkime/stun.pcap, an Allocate with a 9-byte REALM): with the cookie
        // and a length that ends exactly at the end of the data, that is still STUN.
        if ((ml & 3) != 0 && !(cookie && msgEnd == end)) {
            return Confidence.NONE;
        }
        if (cookie) {
            // A cut-off message (capture snap length) is still accepted: the cookie is evidence enough.
            if (msgEnd < end && !trailingAllowed && exact) {
                return Confidence.NONE;
            }
        } else {
            if (!classicType(type) || msgEnd > end || (msgEnd < end && !trailingAllowed)) {
                return Confidence.NONE;
            }
            if (!attributesTile(b, p + HEADER, msgEnd)) {
                return Confidence.NONE;
            }
        }
        if (out != null) {
            out.offset = p;
            out.classic = !cookie;
            out.type = type;
            out.messageClass = ((type >> 7) & 2) | ((type >> 4) & 1);
            out.method = (type & 0x000F) | ((type & 0x00E0) >> 1) | ((type & 0x3E00) >> 2);
            out.length = ml;
            attributes(b, p + HEADER, Math.min(end, msgEnd), out);
        }
        return cookie || ml > 0 ? Confidence.STRONG : Confidence.WEAK;
    }

    /** RFC 3489 section 11.1: Binding and Shared Secret requests and their responses. */
    private static boolean classicType(final int type) {
        return type == 0x0001 || type == 0x0101 || type == 0x0111 || type == 0x0002 || type == 0x0102 || type == 0x0112;
    }

    private static boolean attributesTile(final DirectBuffer b, final int start, final int end) {
        int p = start;
        for (int i = 0; i < MAX_ATTRIBUTES && p + 4 <= end; i++) {
            p += 4 + ((NetworkOrder.u16(b, p + 2) + 3) & ~3);
        }
        return p == end;
    }

    private static void attributes(final DirectBuffer b, final int start, final int end, final StunMessage out) {
        int p = start;
        for (int i = 0; i < MAX_ATTRIBUTES && p + 4 <= end; i++) {
            final int t = NetworkOrder.u16(b, p);
            final int l = NetworkOrder.u16(b, p + 2);
            switch (t) {
                case ATTR_PRIORITY -> out.iceAttributes |= ICE_PRIORITY;
                case ATTR_USE_CANDIDATE -> out.iceAttributes |= ICE_USE_CANDIDATE;
                case ATTR_ICE_CONTROLLED -> out.iceAttributes |= ICE_CONTROLLED;
                case ATTR_ICE_CONTROLLING -> out.iceAttributes |= ICE_CONTROLLING;
                case ATTR_DATA -> {
                    if (out.dataOffset < 0) {
                        out.dataOffset = p + 4;
                        out.dataLength = Math.max(0, Math.min(l, end - (p + 4)));
                    }
                }
                case ATTR_SOFTWARE -> {
                    if (out.softwareOffset < 0) {
                        out.softwareOffset = p + 4;
                        out.softwareLength = Math.max(0, Math.min(l, end - (p + 4)));
                    }
                }
                default -> {
                }
            }
            p += 4 + ((l + 3) & ~3);
        }
    }

    /**
     * True for the methods of RFC 8489 and RFC 8656 / RFC 6062 (Binding, Allocate, Refresh, Send,
     * Data, CreatePermission, ChannelBind, Connect, ConnectionBind, ConnectionAttempt) and Google's
     * GOOG-PING (0x080). Proprietary methods (WhatsApp's 0x202, ...) keep the cookie but their
     * "request" class says nothing about who opened a flow.
     */
    public static boolean knownMethod(final int method) {
        return method == BINDING || (method >= 0x003 && method <= 0x00C) || method == 0x080;
    }

    /**
     * The channel number of a TURN ChannelData message at the start of the payload, or -1.
     * Over UDP the data must end the datagram (padding of up to 3 bytes allowed); over TCP more may
     * follow. A single match is weak evidence: the caller corroborates it.
     */
    public static int channelData(final DirectBuffer b, final int off, final int length, final int ipProto) {
        final int len = Wire.avail(b, off, length);
        if (len < 4) {
            return -1;
        }
        final int channel = NetworkOrder.u16(b, off);
        if (channel < 0x4000 || channel > 0x7FFF) {
            return -1;
        }
        final int dataEnd = 4 + NetworkOrder.u16(b, off + 2);
        if (dataEnd > len || (ipProto != TCP && len - dataEnd > 3)) {
            return -1;
        }
        return channel;
    }
}
