package io.mraflow.decode;

import static io.mraflow.decode.Frames.cat;
import static io.mraflow.decode.Frames.decode;
import static io.mraflow.decode.Frames.eth;
import static io.mraflow.decode.Frames.hex;
import static io.mraflow.decode.Frames.ipv4;
import static io.mraflow.decode.Frames.ipv6;
import static io.mraflow.decode.Frames.tcp;
import static io.mraflow.decode.Frames.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mraflow.capture.LinkType;
import org.junit.jupiter.api.Test;

class IpDecoderTest {
    static final String V6_SRC = "fe800000000000000000000000000001";
    static final String V6_DST = "ff020000000000000000000000000002";

    @Test
    void ipv4OptionsMoveTheTransportHeader() {
        // Router alert (4 bytes) and a record-route option padded to 36 bytes: IHL 15, the maximum.
        for (final byte[] options : new byte[][] {hex("94040000"), cat(hex("07 27 04"), new byte[36 - 3])}) {
            final byte[] seg = tcp(49152, 8443, 1, 0, 0x02, new byte[0]);
            final byte[] pkt = cat(ipv4(6, "192.0.2.1", "198.51.100.7", options, seg.length, 7, 0x4000), seg);
            final PacketView v = decode(LinkType.RAW, pkt);
            assertEquals(DecodeStatus.OK, v.status);
            assertEquals(8443, v.dstPort);
            assertEquals(0x02, v.tcpFlags);
            assertEquals(pkt.length, v.ipLen);
            assertFalse(v.fragment, "DF is not a fragment");
        }
    }

    @Test
    void ipv4HeaderLengthBelowFiveIsMalformed() {
        final byte[] pkt = ipv4(17, "192.0.2.1", "192.0.2.2", udp(1, 2, new byte[0]));
        pkt[0] = 0x44;
        assertEquals(DecodeStatus.MALFORMED, decode(LinkType.RAW, pkt).status);
    }

    @Test
    void ipv4TotalLengthBelowHeaderLengthIsMalformed() {
        final byte[] pkt = ipv4(17, "192.0.2.1", "192.0.2.2", udp(1, 2, new byte[0]));
        pkt[2] = 0;
        pkt[3] = 19;
        assertEquals(DecodeStatus.MALFORMED, decode(LinkType.RAW, pkt).status);
    }

    @Test
    void ipv4BadVersionIsMalformed() {
        final byte[] pkt = ipv4(17, "192.0.2.1", "192.0.2.2", udp(1, 2, new byte[0]));
        pkt[0] = 0x55;
        assertEquals(DecodeStatus.MALFORMED, decode(LinkType.RAW, pkt).status);
    }

    @Test
    void ipv4TotalLengthBeyondCaptureIsTruncatedButDecoded() {
        final byte[] pkt = ipv4(6, "192.0.2.1", "192.0.2.2", tcp(5061, 40000, 10, 20, 0x18, Frames.bytes(100)));
        final PacketView v = decode(LinkType.RAW, pkt, 60);
        assertEquals(DecodeStatus.TRUNCATED, v.status);
        assertEquals(5061, v.srcPort);
        assertEquals(pkt.length, v.ipLen);
        assertEquals(100, v.payloadLen, "from the IP length, not the capture");
        assertEquals(20, v.payloadCapLen);
        assertEquals(40, v.payloadOffset);
    }

    @Test
    void ethernetPaddingIsNotPayload() {
        final byte[] pkt = cat(eth(0x0800), ipv4(17, "192.0.2.1", "192.0.2.2", udp(1, 2, Frames.bytes(2))), new byte[16]);
        final PacketView v = decode(LinkType.EN10MB, pkt);
        assertEquals(DecodeStatus.OK, v.status);
        assertEquals(2, v.payloadLen);
        assertEquals(2, v.payloadCapLen);
    }

    @Test
    void zeroIpv4TotalLengthIsTakenAsSegmentationOffload() {
        final byte[] pkt = ipv4(6, "192.0.2.1", "192.0.2.2", tcp(443, 50000, 1, 1, 0x10, Frames.bytes(3000)));
        pkt[2] = 0;
        pkt[3] = 0;
        final PacketView v = decode(LinkType.RAW, pkt);
        assertEquals(DecodeStatus.OK, v.status);
        assertEquals(3000, v.payloadLen);
    }

    @Test
    void ipv4FirstAndLaterFragments() {
        final byte[] udp = udp(5060, 5060, Frames.bytes(24));
        final byte[] first = cat(ipv4(17, "192.0.2.1", "192.0.2.2", new byte[0], 16, 0x1234, 0x2000), java.util.Arrays.copyOf(udp, 16));
        final PacketView f = decode(LinkType.RAW, first);
        assertEquals(DecodeStatus.OK, f.status);
        assertTrue(f.fragment);
        assertTrue(f.moreFragments);
        assertEquals(0, f.fragOffset);
        assertEquals(0x1234, f.fragId);
        assertTrue(f.hasPorts, "the first fragment carries the ports");
        assertEquals(5060, f.dstPort);
        assertEquals(8, f.payloadLen, "this fragment's share; the UDP length covers the datagram");

        final byte[] last = cat(ipv4(17, "192.0.2.1", "192.0.2.2", new byte[0], 16, 0x1234, 2), java.util.Arrays.copyOfRange(udp, 16, 32));
        final PacketView l = decode(LinkType.RAW, last);
        assertEquals(DecodeStatus.OK, l.status);
        assertTrue(l.fragment);
        assertFalse(l.moreFragments);
        assertEquals(16, l.fragOffset);
        assertFalse(l.hasPorts);
        assertEquals(17, l.ipProto);
        assertEquals(16, l.payloadLen);
    }

    @Test
    void ipv6ExtensionChainWithFirstFragmentHeader() {
        final byte[] udp = udp(5062, 15060, Frames.bytes(8));
        final byte[] chain = cat(
            hex("2b 00 0502 0000 0000"),                // hop-by-hop, next routing, PadN
            hex("3c 02 00 00 00000000"), new byte[16],  // routing type 0, 24 bytes, next dest opts
            hex("2c 00 0104 00000000"),                 // destination options 8 bytes, next fragment
            hex("11 00 0001 deadbeef"),                 // fragment: offset 0, M set, next UDP
            udp);
        final PacketView v = decode(LinkType.RAW, ipv6(0, V6_SRC, V6_DST, chain));
        assertEquals(DecodeStatus.OK, v.status);
        assertEquals(6, v.ipVersion);
        assertEquals("fe80::1", Frames.src(v));
        assertEquals("ff02::2", Frames.dst(v));
        assertEquals(17, v.ipProto);
        assertTrue(v.fragment);
        assertTrue(v.moreFragments);
        assertEquals(0, v.fragOffset);
        assertEquals(0xdeadbeefL, v.fragId);
        assertTrue(v.hasPorts);
        assertEquals(15060, v.dstPort);
        assertEquals(40 + chain.length, v.ipLen);
    }

    @Test
    void ipv6LaterFragmentHasNoPorts() {
        final PacketView v = decode(LinkType.RAW, ipv6(44, V6_SRC, V6_DST, cat(hex("11 00 0058 00000007"), Frames.bytes(40))));
        assertEquals(DecodeStatus.OK, v.status);
        assertEquals(17, v.ipProto);
        assertEquals(88, v.fragOffset);
        assertFalse(v.moreFragments);
        assertTrue(v.fragment);
        assertEquals(7, v.fragId);
        assertFalse(v.hasPorts);
        assertEquals(40, v.payloadLen);
    }

    @Test
    void ipv6AuthenticationAndMobilityHeadersAreWalked() {
        final byte[] ah = cat(hex("87 04 0000"), new byte[20]);  // AH, (4 + 2) * 4 = 24 bytes, next mobility
        final byte[] mobility = cat(hex("06 00"), new byte[6]); // mobility header, 8 bytes, next TCP
        final PacketView v = decode(LinkType.RAW, ipv6(51, V6_SRC, V6_DST, cat(ah, mobility, tcp(1, 5222, 0, 0, 2, new byte[0]))));
        assertEquals(DecodeStatus.OK, v.status);
        assertEquals(6, v.ipProto);
        assertEquals(5222, v.dstPort);
    }

    @Test
    void ipv6NoNextHeaderStops() {
        final PacketView v = decode(LinkType.RAW, ipv6(60, V6_SRC, V6_DST, hex("3b 00 0104 00000000")));
        assertEquals(DecodeStatus.OK, v.status);
        assertEquals(59, v.ipProto);
        assertFalse(v.hasPorts);
    }

    @Test
    void ipv6ExtensionHeaderLongerThanThePacketIsMalformed() {
        assertEquals(DecodeStatus.MALFORMED, decode(LinkType.RAW, ipv6(0, V6_SRC, V6_DST, hex("11 05 0000 00000000"))).status);
    }

    @Test
    void realFragmentedCapturesMatchTheirFragmentFields() {
        // sngrep/ipv6frag.pcap: SIP over fragmented IPv6 on Linux cooked capture.
        final TestCaptureFile file = Frames.capture("sngrep/ipv6frag.pcap");
        int first = 0;
        int later = 0;
        for (int i = 0; i < file.records.size(); i++) {
            final PacketView v = Frames.decodeCapture("sngrep/ipv6frag.pcap", i);
            if (v.fragment && v.fragOffset == 0) {
                first++;
                assertTrue(v.hasPorts);
            } else if (v.fragment) {
                later++;
                assertFalse(v.hasPorts);
                assertTrue(v.fragId != 0);
            }
        }
        assertTrue(first > 0 && later > 0, first + " first, " + later + " later fragments");
    }
}
