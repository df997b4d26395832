package io.mraflow.decode;

import static io.mraflow.decode.Frames.cat;
import static io.mraflow.decode.Frames.decode;
import static io.mraflow.decode.Frames.eth;
import static io.mraflow.decode.Frames.hex;
import static io.mraflow.decode.Frames.ipv4;
import static io.mraflow.decode.Frames.ipv6;
import static io.mraflow.decode.Frames.tcp;
import static io.mraflow.decode.Frames.u16;
import static io.mraflow.decode.Frames.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mraflow.capture.LinkType;
import org.junit.jupiter.api.Test;

class TunnelDecoderTest {
    static final byte[] INNER_TCP = ipv4(6, "172.16.0.5", "172.16.9.9", tcp(40001, 5061, 100, 0, 0x02, new byte[0]));
    static final byte[] INNER_FRAME = cat(eth(0x8100), Frames.tag(10, 0x0800), INNER_TCP);
    static final String V6_A = "20010db8000000000000000000000001";
    static final String V6_B = "20010db8000000000000000000000002";

    /** The outer packet: Ethernet, IPv4 10.1.1.1 -> 10.2.2.2 with the given protocol and payload. */
    static byte[] outer(final int proto, final byte[] payload) {
        return cat(eth(0x0800), ipv4(proto, "10.1.1.1", "10.2.2.2", payload));
    }

    static void assertInnerTcp(final PacketView v, final int depth) {
        assertEquals(DecodeStatus.OK, v.status);
        assertEquals(depth, v.tunnelDepth);
        assertEquals(4, v.ipVersion);
        assertEquals("172.16.0.5", Frames.src(v));
        assertEquals("172.16.9.9", Frames.dst(v));
        assertEquals(6, v.ipProto);
        assertEquals(40001, v.srcPort);
        assertEquals(5061, v.dstPort);
        assertEquals(0x02, v.tcpFlags);
        assertEquals(INNER_TCP.length, v.ipLen);
    }

    @Test
    void erspanTypeTwo() {
        final byte[] gre = cat(hex("1000 88be"), hex("0000002a"), hex("1064 0001 0000 0000"), INNER_FRAME);
        assertInnerTcp(decode(LinkType.EN10MB, outer(47, gre)), 1);
    }

    @Test
    void erspanTypeOneHasNoHeader() {
        final byte[] gre = cat(hex("0000 88be"), INNER_FRAME);
        assertInnerTcp(decode(LinkType.EN10MB, outer(47, gre)), 1);
    }

    @Test
    void erspanTypeThreeWithAndWithoutPlatformSubheader() {
        final byte[] header = hex("2064 0001 11223344 0000 0000");
        assertInnerTcp(decode(LinkType.EN10MB, outer(47, cat(hex("1000 22eb 00000001"), header, INNER_FRAME))), 1);
        final byte[] withO = hex("2064 0001 11223344 0000 0001");
        assertInnerTcp(decode(LinkType.EN10MB, outer(47, cat(hex("1000 22eb 00000001"), withO, new byte[8], INNER_FRAME))), 1);
    }

    @Test
    void greWithChecksumKeyAndSequenceCarryingIpv4AndIpv6() {
        assertInnerTcp(decode(LinkType.EN10MB, outer(47, cat(hex("b000 0800 0000 0000 00000005 00000009"), INNER_TCP))), 1);
        final byte[] inner6 = ipv6(17, V6_A, V6_B, udp(3478, 3479, new byte[4]));
        final PacketView v = decode(LinkType.EN10MB, outer(47, cat(hex("2000 86dd 00000005"), inner6)));
        assertEquals(DecodeStatus.OK, v.status);
        assertEquals(6, v.ipVersion);
        assertEquals(3479, v.dstPort);
        assertEquals(1, v.tunnelDepth);
    }

    @Test
    void greTransparentEthernetBridging() {
        assertInnerTcp(decode(LinkType.EN10MB, outer(47, cat(hex("0000 6558"), INNER_FRAME))), 1);
    }

    @Test
    void realGreTransparentEthernetCapture() {
        // heplify/erspan_sip_ipv4_udp.pcapng: GRE 0x6558 mirror of SIP/UDP.
        final PacketView v = Frames.decodeCapture("heplify/erspan_sip_ipv4_udp.pcapng", 0);
        assertEquals(1, v.tunnelDepth);
        assertEquals("180.173.83.248", Frames.src(v));
        assertEquals("101.231.48.19", Frames.dst(v));
        assertTrue(v.hasPorts);
    }

    @Test
    void pptpEnhancedGreCarryingPpp() {
        final byte[] gre = cat(hex("3081 880b"), u16(INNER_TCP.length + 4), hex("9850 0000006a 0000008c"), hex("ff03 0021"), INNER_TCP);
        assertInnerTcp(decode(LinkType.EN10MB, outer(47, gre)), 1);
        // The real one: ndpi/gre.pcapng, VLAN + GRE v1 + PPP + IPv4 + UDP (SIP).
        final PacketView real = Frames.decodeCapture("ndpi/gre.pcapng", 0);
        assertEquals(DecodeStatus.OK, real.status);
        assertEquals(1, real.tunnelDepth);
        assertEquals(17, real.ipProto);
    }

    @Test
    void pptpAcknowledgementWithoutPayloadLeavesTheOuterPacket() {
        final PacketView v = decode(LinkType.EN10MB, outer(47, hex("2081 880b 0000 9850 0000008c")));
        assertEquals(DecodeStatus.OK, v.status);
        assertEquals(0, v.tunnelDepth);
        assertEquals(47, v.ipProto);
        assertEquals("10.1.1.1", Frames.src(v));
        assertFalse(v.hasPorts);
    }

    @Test
    void greCarryingArpLeavesTheOuterPacket() {
        final PacketView v = decode(LinkType.EN10MB, outer(47, cat(hex("0000 6558"), eth(0x0806), new byte[28])));
        assertEquals(DecodeStatus.OK, v.status);
        assertEquals(0, v.tunnelDepth);
        assertEquals(47, v.ipProto);
        assertEquals("10.2.2.2", Frames.dst(v));
    }

    @Test
    void vxlan() {
        final byte[] vx = udp(51234, 4789, cat(hex("08000000 00138800"), INNER_FRAME));
        assertInnerTcp(decode(LinkType.EN10MB, outer(17, vx)), 1);
        // Without the I flag it is plain UDP to 4789.
        final PacketView plain = decode(LinkType.EN10MB, outer(17, udp(51234, 4789, cat(hex("00000000 00138800"), INNER_FRAME))));
        assertEquals(0, plain.tunnelDepth);
        assertEquals(4789, plain.dstPort);
    }

    @Test
    void ipInIpEveryCombination() {
        final byte[] inner4 = INNER_TCP;
        final byte[] inner6 = ipv6(6, V6_A, V6_B, tcp(40001, 5061, 1, 0, 0x02, new byte[0]));
        assertInnerTcp(decode(LinkType.EN10MB, outer(4, inner4)), 1);
        final PacketView sixInFour = decode(LinkType.EN10MB, outer(41, inner6));
        assertEquals(6, sixInFour.ipVersion);
        assertEquals(1, sixInFour.tunnelDepth);
        assertEquals(5061, sixInFour.dstPort);
        assertInnerTcp(decode(LinkType.EN10MB, cat(eth(0x86dd), ipv6(4, V6_A, V6_B, inner4))), 1);
        final PacketView sixInSix = decode(LinkType.EN10MB, cat(eth(0x86dd), ipv6(41, V6_B, V6_A, inner6)));
        assertEquals("2001:db8::1", Frames.src(sixInSix));
        assertEquals(1, sixInSix.tunnelDepth);
        // Two levels: IPv4 in GRE in IPv4-in-IPv6.
        final byte[] gre = cat(hex("0000 0800"), inner4);
        assertInnerTcp(decode(LinkType.EN10MB, cat(eth(0x86dd), ipv6(4, V6_A, V6_B, ipv4(47, "10.1.1.1", "10.2.2.2", gre)))), 2);
    }

    @Test
    void realIpInIpCapture() {
        // Frames 2 and 3 are tunnelled (10.15.196.229 -> outer); 1 and 4 are not.
        final PacketView v = Frames.decodeCapture("sngrep/ipip.pcap", 1);
        assertEquals(DecodeStatus.OK, v.status);
        assertEquals(1, v.tunnelDepth);
        assertEquals("10.15.193.31", Frames.src(v));
        assertEquals(6, v.ipProto);
    }

    @Test
    void tunnelNestingIsBounded() {
        byte[] pkt = INNER_TCP;
        for (int i = 0; i < PacketDecoder.MAX_TUNNEL_DEPTH; i++) {
            pkt = ipv4(4, "10.0.0." + i, "10.0.1." + i, pkt);
        }
        assertInnerTcp(decode(LinkType.RAW, pkt), PacketDecoder.MAX_TUNNEL_DEPTH);
        final PacketView tooDeep = decode(LinkType.RAW, ipv4(4, "10.9.9.9", "10.9.9.8", pkt));
        assertEquals(DecodeStatus.MALFORMED, tooDeep.status);
    }

    @Test
    void innerHeaderCutShortLeavesTheOuterPacketTruncated() {
        final byte[] pkt = outer(4, INNER_TCP);
        final PacketView v = decode(LinkType.EN10MB, pkt, 14 + 20 + 10);
        assertEquals(DecodeStatus.TRUNCATED, v.status);
        assertEquals(0, v.tunnelDepth);
        assertEquals("10.1.1.1", Frames.src(v));
        assertEquals(4, v.ipProto);
    }

    @Test
    void outerUdpPortsDoNotLeakIntoAnInnerIcmpPacket() {
        final byte[] icmp = ipv4(1, "172.16.0.5", "172.16.9.9", hex("0800 0000 0001 0001"));
        final PacketView v = decode(LinkType.EN10MB, outer(17, udp(51234, 4789, cat(hex("08000000 00000100"), eth(0x0800), icmp))));
        assertEquals(1, v.tunnelDepth);
        assertEquals(1, v.ipProto);
        assertFalse(v.hasPorts);
        assertEquals(0, v.srcPort);
        assertEquals(8, v.icmpType);
    }
}
