package io.mraflow.decode;

import static io.mraflow.decode.Frames.cat;
import static io.mraflow.decode.Frames.decode;
import static io.mraflow.decode.Frames.eth;
import static io.mraflow.decode.Frames.hex;
import static io.mraflow.decode.Frames.ipv4;
import static io.mraflow.decode.Frames.ipv6;
import static io.mraflow.decode.Frames.tag;
import static io.mraflow.decode.Frames.u16;
import static io.mraflow.decode.Frames.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mraflow.capture.LinkType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LinkLayerDecoderTest {
    static final byte[] UDP4 = ipv4(17, "10.0.0.1", "10.0.0.2", udp(5060, 5061, Frames.bytes(10)));
    static final String V6_SRC = "20010db8000000000000000000000001";
    static final String V6_DST = "20010db8000000000000000000000002";
    static final byte[] UDP6 = ipv6(17, V6_SRC, V6_DST, udp(3478, 40000, Frames.bytes(4)));

    static void assertUdp4(final PacketView v) {
        assertEquals(DecodeStatus.OK, v.status);
        assertEquals(4, v.ipVersion);
        assertEquals("10.0.0.1", Frames.src(v));
        assertEquals("10.0.0.2", Frames.dst(v));
        assertEquals(17, v.ipProto);
        assertTrue(v.hasPorts);
        assertEquals(5060, v.srcPort);
        assertEquals(5061, v.dstPort);
        assertEquals(10, v.payloadLen);
        assertEquals(10, v.payloadCapLen);
        assertEquals(0, v.tunnelDepth);
    }

    static void assertUdp6(final PacketView v) {
        assertEquals(DecodeStatus.OK, v.status);
        assertEquals(6, v.ipVersion);
        assertEquals("2001:db8::1", Frames.src(v));
        assertEquals(3478, v.srcPort);
        assertEquals(40000, v.dstPort);
    }

    @Test
    void qinqThreeTagsDeepOfEveryTagTypeReachTheIpPacket() {
        final byte[] frame = cat(eth(0x88a8), tag(100, 0x8100), tag(200, 0x9100), tag(300, 0x0800), UDP4);
        assertUdp4(decode(LinkType.EN10MB, frame));
    }

    @Test
    void realDoubleTaggedAndQinqCapturesDecode() {
        final PacketView twoVlan = Frames.decodeCapture("arkime/twovlan.pcap", 0);
        assertEquals(DecodeStatus.OK, twoVlan.status);
        assertEquals(80, twoVlan.dstPort);
        final PacketView qinqinq = Frames.decodeCapture("zeek/vlan-qinqinq.pcap", 0);
        assertEquals(4, qinqinq.ipVersion);
    }

    @Test
    void ethernetIpv6() {
        assertUdp6(decode(LinkType.EN10MB, cat(eth(0x86dd), UDP6)));
    }

    @Test
    void arpIsNotIp() {
        final byte[] arp = cat(eth(0x0806), hex("0001 0800 0604 0001"), new byte[20]);
        final PacketView v = decode(LinkType.EN10MB, arp);
        assertEquals(DecodeStatus.NOT_IP, v.status);
        assertEquals(0, v.ipVersion);
    }

    @Test
    void ieee8023LengthFieldIsNotIp() {
        // STP BPDU: 802.3 length 0x0026, LLC 42 42 03.
        final byte[] stp = cat(hex("01 80 c2 00 00 00 c8 bc c8 96 d2 a0"), u16(0x26), hex("42 42 03"), new byte[35]);
        assertEquals(DecodeStatus.NOT_IP, decode(LinkType.EN10MB, stp).status);
    }

    @Test
    void lldpIsNotIp() {
        assertEquals(DecodeStatus.NOT_IP, decode(LinkType.EN10MB, cat(eth(0x88cc), new byte[30])).status);
    }

    @Test
    void ipv4EtherTypeWithVersion6HeaderIsMalformed() {
        assertEquals(DecodeStatus.MALFORMED, decode(LinkType.EN10MB, cat(eth(0x0800), UDP6)).status);
    }

    @Test
    void mplsLabelStackIsSteppedOver() {
        // Two labels, the second with the bottom-of-stack bit.
        assertUdp4(decode(LinkType.EN10MB, cat(eth(0x8847), hex("00010040 000021ff"), UDP4)));
    }

    @Test
    void pppoeSessionCarryingIpv4() {
        assertUdp4(decode(LinkType.EN10MB, cat(eth(0x8864), hex("11 00 0001"), u16(UDP4.length + 2), u16(0x0021), UDP4)));
    }

    @Test
    void linuxCookedV1AndV2() {
        assertUdp4(decode(LinkType.LINUX_SLL, cat(hex("0000 0001 0006 c8bcc896d2a0 0000"), u16(0x0800), UDP4)));
        assertUdp6(decode(LinkType.LINUX_SLL2, cat(u16(0x86dd), hex("0000 00000002 0001 00 06 c8bcc896d2a0 0000"), UDP6)));
        // A VLAN tag left in the packet by the capturing kernel.
        assertUdp4(decode(LinkType.LINUX_SLL, cat(hex("0000 0001 0006 c8bcc896d2a0 0000"), u16(0x8100), tag(5, 0x0800), UDP4)));
    }

    @ParameterizedTest(name = "AF_INET6 = {0}")
    @ValueSource(ints = {24, 28, 30})
    void nullLoopbackIpv6FamiliesInEitherByteOrder(final int family) {
        assertUdp6(decode(LinkType.NULL, cat(new byte[] {(byte) family, 0, 0, 0}, UDP6)));
        assertUdp6(decode(LinkType.NULL, cat(new byte[] {0, 0, 0, (byte) family}, UDP6)));
        assertUdp6(decode(LinkType.LOOP, cat(new byte[] {0, 0, 0, (byte) family}, UDP6)));
    }

    @Test
    void nullLoopbackIpv4InEitherByteOrderAndUnknownFamily() {
        assertUdp4(decode(LinkType.NULL, cat(hex("02000000"), UDP4)));
        assertUdp4(decode(LinkType.NULL, cat(hex("00000002"), UDP4)));
        assertUdp4(decode(LinkType.LOOP, cat(hex("00000002"), UDP4)));
        assertEquals(DecodeStatus.NOT_IP, decode(LinkType.NULL, cat(hex("07000000"), UDP4)).status);
    }

    @Test
    void realNullLoopbackCapture() {
        final PacketView v = Frames.decodeCapture("suricata-verify/tls-duplicate-hello/input.pcap", 0);
        assertEquals(DecodeStatus.OK, v.status);
        assertEquals(6, v.ipProto);
    }

    @ParameterizedTest(name = "raw link type {0}")
    @ValueSource(ints = {LinkType.RAW, LinkType.IPV4, LinkType.IPV6, LinkType.DLT_RAW_BSD, LinkType.DLT_RAW_OPENBSD})
    void rawLinkTypesLetTheVersionNibbleDecide(final int linkType) {
        if (linkType != LinkType.IPV6) {
            assertUdp4(decode(linkType, UDP4));
        }
        if (linkType != LinkType.IPV4) {
            assertUdp6(decode(linkType, UDP6));
        }
    }

    @Test
    void nflogSkipsTlvsToThePayloadInEitherByteOrder() {
        final byte[] prefix = cat(hex("0800 0100"), hex("6e66 0000")); // NFULA_PACKET_HDR (type 1), 8 bytes
        final byte[] little = cat(hex("02 00 0000"), prefix, u16le(4 + UDP4.length), hex("0900"), UDP4);
        assertUdp4(decode(LinkType.NFLOG, little));
        final byte[] big = cat(hex("02 00 0000"), hex("0008 0001 6e66 0000"), u16(4 + UDP4.length), hex("0009"), UDP4);
        assertUdp4(decode(LinkType.NFLOG, big));
        final byte[] v6 = cat(hex("0a 00 0000"), u16le(4 + UDP6.length), hex("0900"), UDP6);
        assertUdp6(decode(LinkType.NFLOG, v6));
        final byte[] noPayload = cat(hex("02 00 0000"), prefix);
        assertEquals(DecodeStatus.NOT_IP, decode(LinkType.NFLOG, noPayload).status);
    }

    @Test
    void realNflogCapture() {
        final PacketView v = Frames.decodeCapture("arkime/nflog.pcap", 0);
        assertEquals(DecodeStatus.OK, v.status);
        assertEquals("10.10.10.10", Frames.src(v));
        assertEquals(6, v.ipProto);
    }

    @Test
    void pppFramingsAllReachIp() {
        assertUdp4(decode(LinkType.PPP, cat(hex("ff03 0021"), UDP4)));
        assertUdp4(decode(LinkType.PPP, cat(hex("0021"), UDP4)));
        assertUdp4(decode(LinkType.PPP, cat(hex("21"), UDP4)));
        assertUdp4(decode(LinkType.PPP, cat(hex("ff03 21"), UDP4)));
        assertUdp6(decode(LinkType.PPP, cat(hex("ff03 0057"), UDP6)));
        assertUdp6(decode(LinkType.PPP_HDLC, cat(hex("ff03 0057"), UDP6)));
        assertUdp4(decode(LinkType.PPP_HDLC, cat(hex("0f00 0800"), UDP4))); // Cisco HDLC
        assertEquals(DecodeStatus.NOT_IP, decode(LinkType.PPP, cat(hex("ff03 c021"), new byte[8])).status); // LCP
    }

    @Test
    void realPppCapture() {
        final PacketView v = Frames.decodeCapture("ndpi/dlt_ppp.pcap", 0);
        assertEquals(DecodeStatus.OK, v.status);
        assertTrue(v.ipVersion != 0);
    }

    @Test
    void unknownLinkTypeIsUnsupported() {
        assertFalse(PacketDecoder.supports(147));
        final PacketView v = decode(147, cat(eth(0x0800), UDP4));
        assertEquals(DecodeStatus.UNSUPPORTED_LINK, v.status);
        assertEquals(0, v.ipVersion);
        assertEquals(DecodeStatus.UNSUPPORTED_LINK, decode(-1, new byte[0]).status);
    }

    @Test
    void supportedLinkTypes() {
        for (final int t : new int[] {LinkType.NULL, LinkType.EN10MB, LinkType.PPP, LinkType.PPP_HDLC, LinkType.RAW,
            LinkType.DLT_RAW_BSD, LinkType.DLT_RAW_OPENBSD, LinkType.LOOP, LinkType.LINUX_SLL, LinkType.IPV4,
            LinkType.IPV6, LinkType.NFLOG, LinkType.LINUX_SLL2}) {
            assertTrue(PacketDecoder.supports(t), LinkType.describe(t));
        }
    }

    private static byte[] u16le(final int v) {
        return new byte[] {(byte) v, (byte) (v >>> 8)};
    }
}
