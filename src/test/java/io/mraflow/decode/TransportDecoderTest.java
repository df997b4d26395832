package io.mraflow.decode;

import static io.mraflow.decode.Frames.cat;
import static io.mraflow.decode.Frames.decode;
import static io.mraflow.decode.Frames.hex;
import static io.mraflow.decode.Frames.ipv4;
import static io.mraflow.decode.Frames.tcp;
import static io.mraflow.decode.Frames.u16;
import static io.mraflow.decode.Frames.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mraflow.capture.LinkType;
import org.junit.jupiter.api.Test;

class TransportDecoderTest {
    @Test
    void tcpFieldsAndPayloadFromIpLength() {
        final byte[] seg = tcp(5222, 52000, 0xfffffff0L, 0x80000001L, 0x18, Frames.bytes(37));
        final PacketView v = decode(LinkType.RAW, ipv4(6, "192.0.2.1", "192.0.2.2", seg));
        assertEquals(DecodeStatus.OK, v.status);
        assertTrue(v.isTcpOrUdp());
        assertEquals(5222, v.srcPort);
        assertEquals(52000, v.dstPort);
        assertEquals(0xfffffff0L, v.tcpSeq);
        assertEquals(0x80000001L, v.tcpAck);
        assertEquals(0x18, v.tcpFlags);
        assertEquals(65535, v.tcpWindow);
        assertEquals(37, v.payloadLen);
        assertEquals(37, v.payloadCapLen);
        assertEquals(40, v.payloadOffset);
    }

    @Test
    void tcpOptionsAreSkipped() {
        final byte[] seg = tcp(1, 2, 0, 0, 0x02, cat(hex("020405b4 01030307"), Frames.bytes(5)));
        seg[12] = 0x70; // data offset 7 words: 8 bytes of options
        final PacketView v = decode(LinkType.RAW, ipv4(6, "192.0.2.1", "192.0.2.2", seg));
        assertEquals(DecodeStatus.OK, v.status);
        assertEquals(5, v.payloadLen);
        assertEquals(48, v.payloadOffset);
    }

    @Test
    void tcpDataOffsetBelowFiveOrBeyondTheSegmentIsMalformed() {
        final byte[] seg = tcp(1, 2, 0, 0, 0x02, new byte[0]);
        seg[12] = 0x40;
        final PacketView small = decode(LinkType.RAW, ipv4(6, "192.0.2.1", "192.0.2.2", seg));
        assertEquals(DecodeStatus.MALFORMED, small.status);
        assertEquals(2, small.dstPort, "ports are still reported");
        seg[12] = (byte) 0xf0;
        assertEquals(DecodeStatus.MALFORMED, decode(LinkType.RAW, ipv4(6, "192.0.2.1", "192.0.2.2", seg)).status);
    }

    @Test
    void tcpSegmentShorterThanItsHeaderIsMalformed() {
        assertEquals(DecodeStatus.MALFORMED, decode(LinkType.RAW, ipv4(6, "192.0.2.1", "192.0.2.2", new byte[12])).status);
    }

    @Test
    void udpPayloadFromIpLengthAndCheckedAgainstUdpLength() {
        final PacketView v = decode(LinkType.RAW, ipv4(17, "192.0.2.1", "192.0.2.2", udp(5060, 5060, Frames.bytes(300))));
        assertEquals(DecodeStatus.OK, v.status);
        assertEquals(300, v.payloadLen);
        assertEquals(28, v.payloadOffset);

        final byte[] longer = udp(5060, 5060, Frames.bytes(10));
        System.arraycopy(u16(100), 0, longer, 4, 2);
        final PacketView bad = decode(LinkType.RAW, ipv4(17, "192.0.2.1", "192.0.2.2", longer));
        assertEquals(DecodeStatus.MALFORMED, bad.status, "UDP length beyond the IP packet");
        assertEquals(5060, bad.srcPort);

        final byte[] tiny = udp(5060, 5060, Frames.bytes(10));
        System.arraycopy(u16(4), 0, tiny, 4, 2);
        assertEquals(DecodeStatus.MALFORMED, decode(LinkType.RAW, ipv4(17, "192.0.2.1", "192.0.2.2", tiny)).status);

        final byte[] shorter = udp(5060, 5060, Frames.bytes(10));
        System.arraycopy(u16(12), 0, shorter, 4, 2);
        final PacketView trailer = decode(LinkType.RAW, ipv4(17, "192.0.2.1", "192.0.2.2", shorter));
        assertEquals(DecodeStatus.OK, trailer.status);
        assertEquals(4, trailer.payloadLen, "bytes after the datagram inside IP are not UDP payload");
    }

    @Test
    void udpShorterThanItsHeaderIsMalformed() {
        assertEquals(DecodeStatus.MALFORMED, decode(LinkType.RAW, ipv4(17, "192.0.2.1", "192.0.2.2", new byte[6])).status);
    }

    @Test
    void otherProtocolsGetTheWholeIpPayload() {
        final PacketView v = decode(LinkType.RAW, ipv4(50, "192.0.2.1", "192.0.2.2", Frames.bytes(64))); // ESP
        assertEquals(DecodeStatus.OK, v.status);
        assertEquals(50, v.ipProto);
        assertEquals(64, v.payloadLen);
        assertEquals(20, v.payloadOffset);
        assertTrue(!v.hasPorts && !v.isTcpOrUdp());
    }
}
