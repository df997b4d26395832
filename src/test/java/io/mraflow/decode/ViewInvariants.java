package io.mraflow.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a decoded {@link PacketView} holds whatever the bytes were: every field in the range of
 * the header field it came from, and a payload window that lies inside the captured bytes.
 */
final class ViewInvariants {
    /** The fields decoded from bytes: every public field but the buffer reference. */
    private static final Field[] FIELDS = Arrays.stream(PacketView.class.getFields())
        .filter(f -> !Modifier.isStatic(f.getModifiers()) && !f.getName().equals("buffer"))
        .toArray(Field[]::new);

    private ViewInvariants() {
    }

    static void check(final PacketView v, final int capLen) {
        assertTrue(v.status >= 0 && v.status < DecodeStatus.COUNT, "status " + v.status);
        assertTrue(v.ipVersion == 0 || v.ipVersion == 4 || v.ipVersion == 6, "ip version " + v.ipVersion);
        assertTrue(v.tunnelDepth >= 0 && v.tunnelDepth <= PacketDecoder.MAX_TUNNEL_DEPTH, "tunnel depth " + v.tunnelDepth);
        assertTrue(byteRange(v.ipProto) && byteRange(v.icmpType) && byteRange(v.icmpCode) && byteRange(v.quotedProto)
            && byteRange(v.tcpFlags), "a one-byte field out of range");
        assertTrue(portRange(v.srcPort) && portRange(v.dstPort) && portRange(v.quotedSrcPort) && portRange(v.quotedDstPort)
            && portRange(v.tcpWindow), "a two-byte field out of range");
        assertTrue(v.tcpSeq >= 0 && v.tcpSeq <= 0xffff_ffffL && v.tcpAck >= 0 && v.tcpAck <= 0xffff_ffffL
            && v.fragId >= 0 && v.fragId <= 0xffff_ffffL, "a four-byte field out of range");
        assertTrue(v.fragOffset >= 0 && v.fragOffset <= 0xfff8 && v.fragOffset % 8 == 0, "fragment offset " + v.fragOffset);
        assertTrue(v.fragOffset == 0 || v.fragment, "an offset fragment not marked a fragment");
        assertTrue(v.ipLen >= 0, "ip length " + v.ipLen);
        assertPayloadWindow(v, capLen);
        if (v.ipVersion == 0) {
            assertFalse(v.hasPorts, "ports without an IP header");
        }
        if (v.icmpError) {
            assertTrue(v.quotedProto == 6 || v.quotedProto == 17, "an ICMP error quoting protocol " + v.quotedProto);
        }
        if (v.ipVersion == 4) {
            assertEquals(0, v.srcHi, "IPv4 addresses are IPv4-mapped");
            assertEquals(0x0000_ffffL, v.srcLo >>> 32, "IPv4 addresses are IPv4-mapped");
        }
    }

    /** Payload lengths are never negative; the captured part never more than the whole, and inside the capture. */
    static void assertPayloadWindow(final PacketView v, final int capLen) {
        assertTrue(v.payloadLen >= 0, "payload length " + v.payloadLen);
        assertTrue(v.payloadCapLen >= 0 && v.payloadCapLen <= v.payloadLen,
            "captured payload " + v.payloadCapLen + " of " + v.payloadLen);
        assertTrue(v.payloadCapLen == 0 || v.payloadOffset >= 0 && v.payloadOffset + v.payloadCapLen <= capLen,
            "payload [" + v.payloadOffset + ", +" + v.payloadCapLen + ") outside the " + capLen + " bytes captured");
    }

    /** Every decoded field, to compare two decodings of the same bytes. */
    static List<Object> fields(final PacketView v) {
        final List<Object> values = new ArrayList<>(FIELDS.length);
        try {
            for (final Field f : FIELDS) {
                values.add(f.getName() + "=" + f.get(v));
            }
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
        return values;
    }

    private static boolean byteRange(final int v) {
        return v >= 0 && v <= 0xff;
    }

    private static boolean portRange(final int v) {
        return v >= 0 && v <= 0xffff;
    }
}
