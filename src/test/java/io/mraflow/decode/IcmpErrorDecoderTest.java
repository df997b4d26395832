package io.mraflow.decode;

import static io.mraflow.decode.Frames.cat;
import static io.mraflow.decode.Frames.decode;
import static io.mraflow.decode.Frames.hex;
import static io.mraflow.decode.Frames.ipv4;
import static io.mraflow.decode.Frames.ipv6;
import static io.mraflow.decode.Frames.tcp;
import static io.mraflow.decode.Frames.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import io.mraflow.capture.LinkType;
import org.junit.jupiter.api.Test;

class IcmpErrorDecoderTest {
    static final String V6_A = "20010db8000000000000000000000001";
    static final String V6_B = "20010db8000000000000000000000002";

    @Test
    void realIcmpPortUnreachableQuotingUdp() {
        // zeek/icmp/icmp-destunreach-udp.pcap: 192.168.1.102 tells 192.168.1.1 its DNS reply was unreachable.
        final PacketView v = Frames.decodeCapture("zeek/icmp/icmp-destunreach-udp.pcap", 0);
        assertEquals(DecodeStatus.OK, v.status);
        assertEquals(1, v.ipProto);
        assertEquals(3, v.icmpType);
        assertEquals(3, v.icmpCode);
        assertTrue(v.icmpError);
        assertFalse(v.hasPorts);
        assertEquals(17, v.quotedProto);
        assertEquals("192.168.1.1", AddressText.formatAny(v.quotedSrcHi, v.quotedSrcLo));
        assertEquals("192.168.1.102", AddressText.formatAny(v.quotedDstHi, v.quotedDstLo));
        assertEquals(53, v.quotedSrcPort);
        assertEquals(59207, v.quotedDstPort);
    }

    @Test
    void realIcmpv6UnreachableQuotingUdpBehindExtensionHeaders() {
        final PacketView v = Frames.decodeCapture("zeek/icmp/icmp6-destunreach-ip6ext-udp.pcap", 0);
        assertEquals(DecodeStatus.OK, v.status);
        assertEquals(58, v.ipProto);
        assertEquals(1, v.icmpType);
        assertTrue(v.icmpError);
        assertEquals(17, v.quotedProto);
        final String[] golden = TsharkGolden.frame("zeek/icmp/icmp6-destunreach-ip6ext-udp.pcap", 0);
        assertEquals(golden[7], AddressText.formatAny(v.quotedSrcHi, v.quotedSrcLo));
        assertEquals(golden[8], AddressText.formatAny(v.quotedDstHi, v.quotedDstLo));
        assertEquals(golden[9], Integer.toString(v.quotedSrcPort));
        assertEquals(golden[10], Integer.toString(v.quotedDstPort));
    }

    @Test
    void timeExceededQuotingTcpWithOnlyEightBytes() {
        final byte[] quotedTcp = Arrays.copyOf(tcp(51000, 443, 1, 0, 0x02, new byte[0]), 8);
        final byte[] quoted = cat(ipv4(6, "10.0.0.1", "203.0.113.9", new byte[0], 20, 3, 0), quotedTcp);
        final PacketView v = decode(LinkType.RAW, ipv4(1, "198.51.100.1", "10.0.0.1", cat(hex("0b00 0000 00000000"), quoted)));
        assertEquals(DecodeStatus.OK, v.status, "a short quote is normal, not truncation");
        assertEquals(11, v.icmpType);
        assertTrue(v.icmpError);
        assertEquals(6, v.quotedProto);
        assertEquals("10.0.0.1", AddressText.formatAny(v.quotedSrcHi, v.quotedSrcLo));
        assertEquals(51000, v.quotedSrcPort);
        assertEquals(443, v.quotedDstPort);
    }

    @Test
    void icmpv6PacketTooBigQuotingTcpAfterAFragmentHeader() {
        final byte[] quotedTcp = Arrays.copyOf(tcp(5061, 40000, 1, 0, 0x10, new byte[0]), 8);
        final byte[] quoted = cat(hex("60000000 05c0 2c 40"), Frames.hex(V6_A), Frames.hex(V6_B), hex("06 00 0001 00000001"), quotedTcp);
        final PacketView v = decode(LinkType.RAW, ipv6(58, V6_B, V6_A, cat(hex("0200 0000 00000500"), quoted)));
        assertEquals(2, v.icmpType);
        assertTrue(v.icmpError);
        assertEquals(6, v.quotedProto);
        assertEquals("2001:db8::1", AddressText.formatAny(v.quotedSrcHi, v.quotedSrcLo));
        assertEquals(5061, v.quotedSrcPort);
    }

    @Test
    void unreachableQuotingAnotherIcmpIsNotAFlowError() {
        final byte[] quoted = ipv4(1, "10.0.0.1", "203.0.113.9", hex("0800 0000 0001 0001"));
        final PacketView v = decode(LinkType.RAW, ipv4(1, "198.51.100.1", "10.0.0.1", cat(hex("0301 0000 00000000"), quoted)));
        assertEquals(3, v.icmpType);
        assertEquals(1, v.icmpCode);
        assertFalse(v.icmpError);
        assertEquals(1, v.quotedProto);
    }

    @Test
    void echoRequestIsNotAnError() {
        final PacketView v = decode(LinkType.RAW, ipv4(1, "10.0.0.1", "10.0.0.2", hex("0800 0000 0001 0001")));
        assertEquals(8, v.icmpType);
        assertFalse(v.icmpError);
        assertEquals(0, v.quotedProto);
        final PacketView v6 = decode(LinkType.RAW, ipv6(58, V6_A, V6_B, hex("8000 0000 0001 0001")));
        assertEquals(128, v6.icmpType);
        assertFalse(v6.icmpError);
    }

    @Test
    void realIcmpv6UnreachablesInArkimeV6() {
        final TestCaptureFile file = Frames.capture("arkime/v6.pcap");
        int errors = 0;
        for (int i = 0; i < file.records.size(); i++) {
            final PacketView v = Frames.decodeCapture("arkime/v6.pcap", i);
            if (v.icmpError) {
                errors++;
                assertTrue(v.icmpType == 1 || v.icmpType == 3, "unreachable or time exceeded: " + v.icmpType);
                assertTrue(v.quotedProto == 17 || v.quotedProto == 6);
            }
        }
        assertTrue(errors > 0);
    }

    @Test
    void udpIcmpDestinationPortsStayOutOfTheFlowFields() {
        final PacketView v = decode(LinkType.RAW, ipv4(1, "198.51.100.1", "10.0.0.1",
            cat(hex("0303 0000 00000000"), ipv4(17, "10.0.0.1", "198.51.100.1", udp(40000, 3478, new byte[0])))));
        assertFalse(v.isTcpOrUdp());
        assertEquals(0, v.srcPort);
        assertEquals(3478, v.quotedDstPort);
    }
}
