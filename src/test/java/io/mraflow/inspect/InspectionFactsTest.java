package io.mraflow.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The facts beyond the protocol name: STUN request senders, ICE evidence and SOFTWARE against
 * tshark ({@code golden/inspect/stun.tsv}); RTP received/lost against tshark's RTP stream analysis
 * ({@code golden/inspect/rtp.tsv}); RTP loss and wrap-around on a real stream with packets removed;
 * TLS alerts; the MRA-specific cases of the port reference's interpretation section.
 */
class InspectionFactsTest {

    static Stream<String> stunCaptures() {
        return CaptureFlows.golden("stun.tsv").stream().map(r -> r[0]).distinct();
    }

    @ParameterizedTest
    @MethodSource("stunCaptures")
    void stunRequestSendersIceEvidenceAndSoftwareMatchTshark(final String capture) {
        final Map<String, CaptureFlows.Flow> flows = CaptureFlows.run(capture);
        final List<String> wrong = new ArrayList<>();
        for (final String[] r : CaptureFlows.golden("stun.tsv")) {
            if (!r[0].equals(capture)) {
                continue;
            }
            final String key = CaptureFlows.key(r[1], r[2], r[3]);
            final CaptureFlows.Flow f = flows.get(key);
            if (f == null) {
                wrong.add(key + " no flow");
                continue;
            }
            final List<String> senders = new ArrayList<>();
            for (final String s : r[4].split(" ")) {
                if (!s.isEmpty()) {
                    senders.add(CaptureFlows.normalize(s));
                }
            }
            final String resp = key.split("\t")[1].equals(f.orig) ? key.split("\t")[2] : key.split("\t")[1];
            final FlowInspection s = f.state;
            if (s.stunRequestFromOrig() != senders.contains(f.orig)
                || s.stunRequestFromResp() != senders.contains(resp)) {
                wrong.add(key + " requests orig/resp=" + s.stunRequestFromOrig() + "/" + s.stunRequestFromResp()
                    + " tshark senders=" + senders + " orig=" + f.orig);
            }
            if (s.iceEvidence() != r[5].equals("yes")) {
                wrong.add(key + " ice=" + s.iceEvidence() + " tshark=" + r[5]);
            }
            final String sw = r.length > 6 && !r[6].isEmpty() ? r[6] : null;
            if (!java.util.Objects.equals(sw == null ? null : sw.strip(),
                s.stunSoftware() == null ? null : s.stunSoftware().strip())) {
                wrong.add(key + " software=" + s.stunSoftware() + " tshark=" + sw);
            }
        }
        assertEquals(List.of(), wrong, capture);
    }

    @Test
    void rtpPacketsAndLossMatchTsharkForEveryDirectionWithOneSsrc() {
        final Map<String, Integer> streamsPerDirection = new HashMap<>();
        final List<String[]> rows = CaptureFlows.golden("rtp.tsv");
        for (final String[] r : rows) {
            streamsPerDirection.merge(r[0] + " " + r[1] + " " + r[2], 1, Integer::sum);
        }
        final Map<String, Map<String, CaptureFlows.Flow>> runs = new HashMap<>();
        final List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (final String[] r : rows) {
            if (streamsPerDirection.get(r[0] + " " + r[1] + " " + r[2]) != 1 || Long.parseLong(r[4]) < Rtp.MIN_SEQUENTIAL) {
                continue; // one packet cannot pass RFC 3550 probation
            }
            final CaptureFlows.Flow f = runs.computeIfAbsent(r[0], CaptureFlows::run)
                .get(CaptureFlows.key("UDP", r[1], r[2]));
            if (f == null) {
                continue; // RTP over TCP: not followed (MRA media is UDP)
            }
            final RtpStream s = f.state.rtp(CaptureFlows.normalize(r[1]).equals(f.orig));
            final long ssrc = Long.parseLong(r[3].substring(2), 16);
            final long packets = Long.parseLong(r[4]);
            final long lost = Long.parseLong(r[5]);
            if (lost < 0) {
                continue; // duplicates: tshark counts them from the first packet, A.1 from the second
            }
            checked++;
            // RFC 3550 A.1: the first packet of a source is probation, not counted as received.
            // tshark's packet count leaves out packets it decoded as another payload (T.38 switch
            // in the fax capture), so packets are compared only on loss-free streams.
            if (s.ssrc != ssrc || !s.valid || (lost == 0 && s.received() + 1 != packets) || s.lost() != lost) {
                wrong.add(r[0] + " " + r[1] + ">" + r[2] + " ssrc=" + Long.toHexString(s.ssrc) + " valid=" + s.valid
                    + " received=" + s.received() + " lost=" + s.lost() + " tshark ssrc=" + r[3] + " packets="
                    + packets + " lost=" + lost);
            }
        }
        assertTrue(checked >= 10, "checked " + checked);
        assertEquals(List.of(), wrong);
    }

    @Test
    void rtpLossCountsRemovedPacketsAcrossSequenceWrap() {
        final List<byte[]> rtp = new ArrayList<>();
        for (final byte[] p : CaptureFlows.payloads("sipp/g711a.pcap")) {
            rtp.add(p);
        }
        assertEquals(236, rtp.size());
        final FlowInspection s = new FlowInspection(17);
        final PayloadInspector inspector = new PayloadInspector();
        int removed = 0;
        for (int i = 0; i < rtp.size(); i++) {
            final byte[] p = rtp.get(i).clone();
            final int seq = (65500 + i) & 0xffff; // wraps at i = 36
            p[2] = (byte) (seq >> 8);
            p[3] = (byte) seq;
            if (i > 5 && i % 10 == 0) {
                removed++;
                continue;
            }
            inspector.inspect(s, true, new UnsafeBuffer(p), 0, p.length, i * 30_000_000L);
        }
        final RtpStream st = s.rtp(true);
        assertEquals(AppProto.RTP, s.appProto());
        assertTrue(st.valid);
        assertEquals(removed, st.lost());
        assertEquals(65536 + ((65500 + 235) & 0xffff), st.extendedMaxSeq());
        assertNull(s.rtp(false));
    }

    @Test
    void eachSourceIsFollowedApartAndASourceAfterTheFirstValidOneIsAnSsrcChange() {
        final List<byte[]> rtp = CaptureFlows.payloads("sipp/g711a.pcap");
        final RtpSources src = new RtpSources();
        // A stray packet of one source, then a real source: each is its own stream.
        feed(src, rtp.get(0), 0x1111, 0);
        for (int i = 1; i < 20; i++) {
            feed(src, rtp.get(i), 0x2222, i);
        }
        assertEquals(2, src.count());
        final RtpStream first = src.stream(1);
        assertEquals(0x2222, first.ssrc);
        assertTrue(first.valid);
        assertFalse(src.stream(0).valid);
        assertEquals(0, src.ssrcChanges());
        final long received = first.received();
        // Another source once the first is valid: followed apart, an SSRC change, the first untouched.
        for (int i = 20; i < 30; i++) {
            feed(src, rtp.get(i), 0x3333, i);
        }
        assertEquals(3, src.count());
        assertEquals(10, src.stream(2).packets);
        assertTrue(src.stream(2).valid);
        assertEquals(1, src.ssrcChanges());
        assertEquals(received, first.received());
        assertEquals(Confidence.STRONG, feed(src, rtp.get(20), 0x2222, 30));
        assertEquals(20, first.packets);
        // Sources beyond the bound: one that never passed probation gives way; then packets are only counted.
        feed(src, rtp.get(0), 0x4444, 31);
        assertEquals(RtpSources.MAX_SOURCES, src.count());
        feed(src, rtp.get(0), 0x5555, 32);
        assertEquals(0x5555, src.stream(0).ssrc);
        feed(src, rtp.get(1), 0x4444, 33);
        assertTrue(src.stream(3).valid);
        for (int i = 0; i < 3; i++) {
            feed(src, rtp.get(30 + i), 0x6666, 34 + i);
        }
        assertEquals(0x6666, src.stream(0).ssrc);
        assertEquals(3, src.ssrcChanges());
        feed(src, rtp.get(40), 0x7777, 40);
        assertEquals(1, src.otherSsrcPackets());
    }

    private static int feed(final RtpSources src, final byte[] packet, final int ssrc, final int at) {
        final byte[] p = packet.clone();
        p[8] = (byte) (ssrc >>> 24);
        p[9] = (byte) (ssrc >>> 16);
        p[10] = (byte) (ssrc >>> 8);
        p[11] = (byte) ssrc;
        return Rtp.update(src, new UnsafeBuffer(p), 0, p.length, at * 20_000_000L, 0);
    }

    @Test
    void plaintextTlsAlertIsRecordedWithItsSenderEvenAfterTheWindow() {
        final FlowInspection s = new FlowInspection(6);
        final PayloadInspector inspector = new PayloadInspector(2);
        final byte[] hello = firstClientHello();
        inspector.inspect(s, true, new UnsafeBuffer(hello), 0, hello.length, 0L);
        final byte[] appData = HexFormat.of().parseHex("1703030005aabbccddee");
        for (int i = 0; i < 5; i++) {
            inspector.inspect(s, false, new UnsafeBuffer(appData), 0, appData.length, 0L);
        }
        // an encrypted alert (length != 2) says nothing
        final byte[] encrypted = HexFormat.of().parseHex("1503030012" + "00".repeat(18));
        inspector.inspect(s, true, new UnsafeBuffer(encrypted), 0, encrypted.length, 0L);
        assertFalse(s.tlsAlertSeen());
        final byte[] warning = HexFormat.of().parseHex("15030300020100");
        inspector.inspect(s, false, new UnsafeBuffer(warning), 0, warning.length, 0L);
        assertTrue(s.tlsAlertSeen());
        assertEquals(1, s.tlsAlertLevel());
        // a fatal alert (handshake_failure 40) after application data in the same segment replaces the warning
        final byte[] fatal = HexFormat.of().parseHex("1703030001ff" + "15030300020228");
        inspector.inspect(s, true, new UnsafeBuffer(fatal), 0, fatal.length, 0L);
        assertEquals(2, s.tlsAlertLevel());
        assertEquals(40, s.tlsAlertDescription());
        assertTrue(s.tlsAlertFromOrig());
        assertEquals(AppProto.TLS, s.appProto());
    }

    private static byte[] firstClientHello() {
        for (final byte[] p : CaptureFlows.payloads("suricata-verify/tls-duplicate-hello/input.pcap")) {
            if (TlsClientHello.isClientHello(new UnsafeBuffer(p), 0, p.length)) {
                return p;
            }
        }
        throw new AssertionError("no ClientHello");
    }

    @Test
    void httpOnSipPortIsHttpNotSip() {
        final Map<String, CaptureFlows.Flow> flows = CaptureFlows.run("ndpi/http_on_sip_port.pcap");
        assertEquals(1, flows.size());
        final FlowInspection s = flows.values().iterator().next().state;
        assertEquals("http", s.appProtoName());
        assertFalse(s.sipSeen());
    }

    @Test
    void cleartextSipOn5061IsSip() {
        final Map<String, CaptureFlows.Flow> flows =
            CaptureFlows.run("suricata-verify/sip-body-frames/public-cloudshark-sip-s0.pcap");
        assertTrue(flows.values().stream().allMatch(f -> f.state.appProto() == AppProto.SIP && f.state.sipSeen()));
    }

    @Test
    void xmppWithStarttlsStaysXmppAndNotesTls() {
        final Map<String, CaptureFlows.Flow> flows = CaptureFlows.run("zeek/tls/xmpp-starttls.pcap");
        final FlowInspection s = flows.values().iterator().next().state;
        assertEquals("xmpp", s.appProtoName());
        assertTrue(s.tlsSeen());
    }

    @Test
    void sshBannerOnPort2222StyleFlowsIsSsh() {
        for (final String c : List.of("arkime/ssh2.pcap", "zeek/ssh/server-pre-banner-data.pcap",
            "ndpi/ssh_unidirectional.pcap")) {
            final Map<String, CaptureFlows.Flow> flows = CaptureFlows.run(c);
            assertTrue(flows.values().stream().anyMatch(f -> f.state.appProto() == AppProto.SSH), c);
        }
    }

    @Test
    void iceTestCallShowsIceEvidenceAndTheRequestSenderOpenedTheFlow() {
        final Map<String, CaptureFlows.Flow> flows = CaptureFlows.run("arkime/stun-ice-testcall.pcap");
        final CaptureFlows.Flow f = flows.get(CaptureFlows.key("UDP", "192.168.43.155:59977", "155.212.214.188:23130"));
        assertEquals(AppProto.STUN, f.state.appProto());
        assertTrue(f.state.iceEvidence());
        assertTrue((f.state.iceAttributes() & Stun.ICE_CONTROLLING) != 0);
        assertTrue(f.state.stunRequestFromOrig());
        assertFalse(f.state.ciscoSoftware());
        // the Google STUN server flow: plain binding, no ICE attributes
        final CaptureFlows.Flow g = flows.get(CaptureFlows.key("UDP", "192.168.43.155:60020", "74.125.141.127:19302"));
        assertFalse(g.state.iceEvidence());
        assertTrue(g.state.stunRequestFromOrig());
        assertFalse(g.state.stunRequestFromResp());
    }

    @Test
    void ciscoSoftwareAttributeIsRecognised() {
        // Binding request, cookie, SOFTWARE "Cisco-Jabber" (12 bytes), no ICE attributes.
        final byte[] m = HexFormat.of().parseHex(
            "00010010" + "2112a442" + "0102030405060708090a0b0c" + "8022000c" + "436973636f2d4a6162626572");
        final FlowInspection s = new FlowInspection(17);
        new PayloadInspector().inspect(s, false, new UnsafeBuffer(m), 0, m.length, 0L);
        assertEquals(AppProto.STUN, s.appProto());
        assertTrue(s.ciscoSoftware());
        assertEquals("Cisco-Jabber", s.stunSoftware());
        assertTrue(s.stunRequestFromResp());
        assertFalse(s.stunRequestFromOrig());
        assertFalse(s.iceEvidence());
    }

    @Test
    void turnChannelDataNeedsCorroborationThenCarriesRtpStats() {
        final byte[] rtp = CaptureFlows.payloads("sipp/g711a.pcap").get(0);
        final FlowInspection s = new FlowInspection(17);
        final PayloadInspector inspector = new PayloadInspector();
        for (int i = 0; i < 3; i++) {
            final byte[] cd = new byte[4 + rtp.length];
            cd[0] = 0x40;
            cd[1] = 0x01;
            cd[2] = (byte) (rtp.length >> 8);
            cd[3] = (byte) rtp.length;
            System.arraycopy(rtp, 0, cd, 4, rtp.length);
            cd[4 + 3] = (byte) (rtp[3] + i); // consecutive sequence numbers
            inspector.inspect(s, true, new UnsafeBuffer(cd), 0, cd.length, 0L);
            assertEquals(AppProto.TURN_CHANNEL, s.appProto());
            assertEquals(i == 0 ? Confidence.WEAK : Confidence.STRONG, s.confidence());
        }
        assertEquals(0x4001, s.turnChannel());
        assertTrue(s.rtp(true).valid);
    }

    @Test
    void sniIsDecodedAsUtf8WithReplacementAndKeptRaw() {
        final byte[] hello = firstClientHello();
        final UnsafeBuffer b = new UnsafeBuffer(hello);
        final byte[] name = new byte[FlowInspection.SNI_CAPACITY];
        final int n = TlsClientHello.extractSni(b, 0, hello.length, name);
        assertEquals("localhost", new String(name, 0, n, java.nio.charset.StandardCharsets.US_ASCII));
        // overwrite the name with bytes that are not UTF-8
        final int at = indexOf(hello, "localhost".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        hello[at] = (byte) 0xff;
        hello[at + 1] = 0x07;
        final FlowInspection s = new FlowInspection(6);
        new PayloadInspector().inspect(s, true, new UnsafeBuffer(hello), 0, hello.length, 0L);
        assertEquals("\uFFFD\u0007calhost", s.sni());
        final byte[] raw = new byte[64];
        assertEquals(9, s.copySni(raw));
        assertEquals((byte) 0xff, raw[0]);
        assertFalse(s.sniTruncated());
    }

    @Test
    void splitClientHelloIsReassembledAndRetransmittedHelloRestarts() {
        final byte[] hello = firstClientHello();
        final FlowInspection s = new FlowInspection(6);
        final PayloadInspector inspector = new PayloadInspector();
        // first 20 bytes, then the same start again (retransmission), then the rest in 7-byte pieces
        inspector.inspect(s, true, new UnsafeBuffer(hello), 0, 20, 0L);
        assertNull(s.sni());
        inspector.inspect(s, true, new UnsafeBuffer(hello), 0, 30, 0L);
        for (int p = 30; p < hello.length; p += 7) {
            inspector.inspect(s, true, new UnsafeBuffer(hello), p, Math.min(7, hello.length - p), 0L);
        }
        assertEquals("localhost", s.sni());
    }

    private static int indexOf(final byte[] hay, final byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (hay[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
