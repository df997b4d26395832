package io.mraflow.inspect;

import io.mraflow.decode.IpProto;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Each protocol class on small hand-made payloads: the boundaries between protocols that share a
 * shape (SIP and HTTP request lines, RTP and RTCP, STUN framings), and the weak/strong split.
 */
class ProtocolShapesTest {

    private static UnsafeBuffer text(final String s) {
        return new UnsafeBuffer(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static UnsafeBuffer hex(final String s) {
        return new UnsafeBuffer(HexFormat.of().parseHex(s));
    }

    private static int len(final UnsafeBuffer b) {
        return b.capacity();
    }

    @Test
    void optionsIsSipOrHttpByItsVersionNotItsMethod() {
        final UnsafeBuffer sip = text("OPTIONS sip:expe.example.com SIP/2.0\r\nVia: x\r\n\r\n");
        final UnsafeBuffer http = text("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(Confidence.STRONG, Sip.identify(sip, 0, len(sip)));
        assertEquals(Confidence.NONE, Http.identify(sip, 0, len(sip)));
        assertEquals(Confidence.NONE, Sip.identify(http, 0, len(http)));
        assertEquals(Confidence.STRONG, Http.identify(http, 0, len(http)));
    }

    @Test
    void sipStatusLinesKeepAlivesAndCutLines() {
        final UnsafeBuffer status = text("SIP/2.0 200 OK\r\n");
        assertEquals(Confidence.STRONG, Sip.identify(status, 0, len(status)));
        final UnsafeBuffer afterPing = text("\r\n\r\nREGISTER sip:a.example SIP/2.0\r\n");
        assertEquals(Confidence.STRONG, Sip.identify(afterPing, 0, len(afterPing)));
        final UnsafeBuffer cut = text("INVITE sip:alice@a.example;transport=tl");
        assertEquals(Confidence.WEAK, Sip.identify(cut, 0, len(cut)));
        final UnsafeBuffer unknownMethod = text("FETCH sip:a SIP/2.0\r\n");
        assertEquals(Confidence.NONE, Sip.identify(unknownMethod, 0, len(unknownMethod)));
        final UnsafeBuffer badStatus = text("SIP/2.0 2x0 OK\r\n");
        assertEquals(Confidence.NONE, Sip.identify(badStatus, 0, len(badStatus)));
    }

    @Test
    void httpStatusAndCutRequest() {
        final UnsafeBuffer status = text("HTTP/1.1 403 Forbidden\r\n");
        assertEquals(Confidence.STRONG, Http.identify(status, 0, len(status)));
        final UnsafeBuffer cut = text("GET /cucm-uds/users?name=abcdefgh");
        assertEquals(Confidence.WEAK, Http.identify(cut, 0, len(cut)));
        final UnsafeBuffer lower = text("get / HTTP/1.1\r\n");
        assertEquals(Confidence.NONE, Http.identify(lower, 0, len(lower)));
    }

    @Test
    void sshBannerAfterOtherLines() {
        final UnsafeBuffer b = text("Welcome\r\nSSH-2.0-OpenSSH_9.0\r\n");
        assertEquals(Confidence.STRONG, Ssh.identify(b, 0, len(b)));
        final UnsafeBuffer weak = text("SSH-3.0-future\r\n");
        assertEquals(Confidence.WEAK, Ssh.identify(weak, 0, len(weak)));
        final UnsafeBuffer none = text("xSSH-2.0-OpenSSH\r\n");
        assertEquals(Confidence.NONE, Ssh.identify(none, 0, len(none)));
    }

    @Test
    void xmppStreamHeaderDeclarationAndStanzas() {
        final UnsafeBuffer stream = text("<?xml version='1.0'?><stream:stream to='example.com' xmlns='jabber:client'>");
        assertEquals(Confidence.STRONG, Xmpp.identify(stream, 0, len(stream)));
        final UnsafeBuffer declOnly = text("<?xml version='1.0'?><soap:Envelope>");
        assertEquals(Confidence.WEAK, Xmpp.identify(declOnly, 0, len(declOnly)));
        final UnsafeBuffer iq = text("<iq type='get' id='1'><ping/></iq>");
        assertEquals(Confidence.WEAK, Xmpp.identify(iq, 0, len(iq)));
    }

    @Test
    void rtcpCompoundTilesExactlyAndSrtcpTrailerIsWeak() {
        // RR with no report blocks (8 bytes) + SDES with one empty chunk (8 bytes)
        final String compound = "80c90001aabbccdd" + "81ca0001aabbccdd";
        final UnsafeBuffer exact = hex(compound);
        assertEquals(Confidence.STRONG, Rtcp.identify(exact, 0, len(exact)));
        final UnsafeBuffer srtcp = hex(compound + "80000001" + "00112233445566778899");
        assertEquals(Confidence.WEAK, Rtcp.identify(srtcp, 0, len(srtcp)));
        final UnsafeBuffer rtp = hex("80000001aabbccdd11223344");
        assertEquals(Confidence.NONE, Rtcp.identify(rtp, 0, len(rtp)));
    }

    @Test
    void rtpHeaderChecks() {
        assertEquals(Confidence.WEAK, Rtp.identify(hex("80080001000000a0aabbccdd00"), 0, 13));
        // marker bit + PT 72 is RTCP SR's 200: never RTP
        assertEquals(Confidence.NONE, Rtp.identify(hex("80c8000100000000aabbccdd"), 0, 12));
        // padding count larger than the packet
        assertEquals(Confidence.NONE, Rtp.identify(hex("a0080001000000a0aabbccddff"), 0, 13));
        // CSRC count beyond the data
        assertEquals(Confidence.NONE, Rtp.identify(hex("8f080001000000a0aabbccdd"), 0, 12));
    }

    @Test
    void dtlsRecordsMustTileTheDatagram() {
        final String rec = "16fefd" + "0000" + "000000000000" + "0002" + "0102";
        final UnsafeBuffer two = hex(rec + rec);
        assertEquals(Confidence.STRONG, Dtls.identify(two, 0, len(two)));
        final UnsafeBuffer trailing = hex(rec + "00");
        assertEquals(Confidence.WEAK, Dtls.identify(trailing, 0, len(trailing)));
        final UnsafeBuffer anyconnect = hex("170100" + "0001" + "000000000001" + "0002" + "0102");
        assertEquals(Confidence.STRONG, Dtls.identify(anyconnect, 0, len(anyconnect)));
        final UnsafeBuffer tls = hex("1603030002" + "0102");
        assertEquals(Confidence.NONE, Dtls.identify(tls, 0, len(tls)));
    }

    @Test
    void stunOverUdpTcpAndRfc4571Framing() {
        final String binding = "00010000" + "2112a442" + "000102030405060708090a0b";
        final StunMessage m = new StunMessage();
        final UnsafeBuffer udp = hex(binding);
        assertEquals(Confidence.STRONG, Stun.scan(udp, 0, len(udp), IpProto.UDP, m));
        assertEquals(Stun.REQUEST, m.messageClass);
        assertEquals(Stun.BINDING, m.method);
        // trailing bytes: not a UDP STUN datagram, fine on a TCP stream
        final UnsafeBuffer tail = hex(binding + "00000000");
        assertEquals(Confidence.NONE, Stun.scan(tail, 0, len(tail), IpProto.UDP, m));
        assertEquals(Confidence.STRONG, Stun.scan(tail, 0, len(tail), IpProto.TCP, m));
        // ICE-TCP: 2-byte length prefix (RFC 4571)
        final UnsafeBuffer framed = hex("0014" + binding);
        assertEquals(Confidence.STRONG, Stun.scan(framed, 0, len(framed), IpProto.TCP, m));
        assertEquals(true, m.framed);
        assertEquals(Confidence.NONE, Stun.scan(framed, 0, len(framed), IpProto.UDP, m));
        // success response: class 2
        final UnsafeBuffer ok = hex("01010000" + "2112a442" + "000102030405060708090a0b");
        assertEquals(Confidence.STRONG, Stun.scan(ok, 0, len(ok), IpProto.UDP, m));
        assertEquals(Stun.SUCCESS, m.messageClass);
    }

    @Test
    void classicStunNeedsAKnownTypeAndTilingAttributes() {
        final StunMessage m = new StunMessage();
        final UnsafeBuffer bare = hex("00010000" + "00112233445566778899aabbccddeeff");
        assertEquals(Confidence.WEAK, Stun.scan(bare, 0, len(bare), IpProto.UDP, m));
        assertEquals(true, m.classic);
        final UnsafeBuffer change = hex("00010008" + "00112233445566778899aabbccddeeff" + "0003000400000000");
        assertEquals(Confidence.STRONG, Stun.scan(change, 0, len(change), IpProto.UDP, m));
        final UnsafeBuffer badTiling = hex("00010008" + "00112233445566778899aabbccddeeff" + "0003000800000000");
        assertEquals(Confidence.NONE, Stun.scan(badTiling, 0, len(badTiling), IpProto.UDP, m));
        final UnsafeBuffer unknownType = hex("00050000" + "00112233445566778899aabbccddeeff");
        assertEquals(Confidence.NONE, Stun.scan(unknownType, 0, len(unknownType), IpProto.UDP, m));
    }

    @Test
    void turnChannelDataBounds() {
        assertEquals(0x4000, Stun.channelData(hex("40000003aabbcc00"), 0, 8, IpProto.UDP));
        assertEquals(-1, Stun.channelData(hex("40000003aabbcc0000000000"), 0, 12, IpProto.UDP));
        assertEquals(0x4000, Stun.channelData(hex("40000003aabbcc0000000000"), 0, 12, IpProto.TCP));
        assertEquals(-1, Stun.channelData(hex("80000003aabbcc00"), 0, 8, IpProto.UDP));
        assertEquals(-1, Stun.channelData(hex("40000010aabbcc00"), 0, 8, IpProto.UDP));
    }

    @Test
    void tlsRecordKinds() {
        final UnsafeBuffer appData = hex("1703030010" + "00".repeat(16));
        assertEquals(Confidence.WEAK, TlsClientHello.identify(appData, 0, len(appData)));
        final UnsafeBuffer badVersion = hex("1603050010" + "00".repeat(16));
        assertEquals(Confidence.NONE, TlsClientHello.identify(badVersion, 0, len(badVersion)));
        final UnsafeBuffer notHello = hex("1703030010" + "00".repeat(16));
        assertEquals(TlsClientHello.SNI_NOT_HELLO, TlsClientHello.extractSni(notHello, 0, len(notHello), new byte[8]));
        assertEquals(2 << 8 | 48, TlsClientHello.alert(hex("15030300020230"), 0, 7));
        assertEquals(-1, TlsClientHello.alert(hex("15030300020330"), 0, 7)); // level 3 does not exist
    }

    @Test
    void appProtoNames() {
        assertEquals("tls", AppProto.name(AppProto.TLS));
        assertEquals("turn-channel", AppProto.name(AppProto.TURN_CHANNEL));
        assertEquals("unknown", AppProto.name(-1));
        assertEquals("unknown", AppProto.name(AppProto.COUNT));
        for (int p = 0; p < AppProto.COUNT; p++) {
            assertEquals(p, AppProto.of(AppProto.name(p)));
        }
    }
}
