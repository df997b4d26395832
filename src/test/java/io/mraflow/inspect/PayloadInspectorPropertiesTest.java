package io.mraflow.inspect;

import static io.mraflow.fuzz.Coverage.reach;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mraflow.inspect.InspectorPropertiesTest.Window;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.StatisticsReport;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * {@link PayloadInspector} over whole flows: TLS with ClientHellos split over segments and alerts
 * late in the flow, STUN and TURN with relayed media, RTP and RTCP past the identification window,
 * the text protocols, and any mix; damaged, each payload a window in a larger buffer. After every
 * packet the flow's facts stay in their bounds and only ever grow (a protocol is replaced only by
 * a surer one; the first SNI, SOFTWARE and channel stay); the packet counters count exactly the
 * payloads given. A flow replayed from copies of its windows, into a fresh inspector and fresh
 * state, ends in the same facts as in the long-lived inspector and the pooled, reset state.
 */
@StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
class PayloadInspectorPropertiesTest {

    // Long-lived, as in a worker: the inspector for every flow, the state taken from a pool.
    private final PayloadInspector inspector = new PayloadInspector();
    private final FlowInspection pooled = new FlowInspection(0);

    /** One payload and the side that sent it. */
    record Packet(boolean fromOrig, Window window) {
        @Override
        public String toString() {
            return (fromOrig ? "orig " : "resp ") + window;
        }
    }

    record Flow(int ipProto, List<Packet> packets) {
    }

    @Provide
    Arbitrary<Flow> flows() {
        return Arbitraries.longs().map(PayloadInspectorPropertiesTest::flow);
    }

    @Property(seed = InspectorPropertiesTest.SEED)
    void factsStayInBoundsAndOnlyGrow(@ForAll("flows") final Flow flow) {
        pooled.reset(flow.ipProto());
        int orig = 0;
        int resp = 0;
        List<Object> before = snapshot(pooled);
        for (final Packet p : flow.packets()) {
            final Window w = p.window();
            inspector.inspect(pooled, p.fromOrig(), w.view(), w.off(), w.len(), 0L);
            if (w.exact().length > 0) {
                orig += p.fromOrig() ? 1 : 0;
                resp += p.fromOrig() ? 0 : 1;
            }
            assertInBounds(pooled);
            assertEquals(List.of(orig, resp), List.of(pooled.payloadPackets(true), pooled.payloadPackets(false)),
                "payload packets counted");
            final List<Object> after = snapshot(pooled);
            assertGrown(before, after);
            before = after;
        }
        reach("a protocol named", pooled.appProto() != AppProto.UNKNOWN, 40);
        reach("an SNI found", pooled.hasSni(), 3);
        reach("a ClientHello reassembled", pooled.helloPackets > 1 && pooled.hasSni(), 0.3);
        reach("past the identification window", Math.max(orig, resp) > inspector.packetsPerDirection(), 15);

        final FlowInspection fresh = new FlowInspection(flow.ipProto());
        final PayloadInspector freshInspector = new PayloadInspector();
        for (final Packet p : flow.packets()) {
            final byte[] exact = p.window().exact();
            freshInspector.inspect(fresh, p.fromOrig(), new UnsafeBuffer(exact), 0, exact.length, 0L);
        }
        assertEquals(snapshot(fresh), snapshot(pooled), "the same payloads left different facts");
    }

    private static void assertInBounds(final FlowInspection s) {
        assertTrue(s.appProto() >= 0 && s.appProto() < AppProto.COUNT, "protocol " + s.appProto());
        assertTrue(s.confidence() >= Confidence.NONE && s.confidence() <= Confidence.STRONG, "confidence " + s.confidence());
        assertEquals(s.appProto() == AppProto.UNKNOWN, s.confidence() == Confidence.NONE, "a protocol without confidence");
        assertTrue(s.sniLength() >= -1 && (s.sni() == null) == (s.sniLength() < 0), "SNI length " + s.sniLength());
        assertTrue(s.sni() == null || s.sni().length() <= FlowInspection.SNI_CAPACITY, () -> "SNI of " + s.sni().length());
        assertTrue(s.stunSoftware() == null || s.stunSoftware().length() <= FlowInspection.SOFTWARE_CAPACITY, "long SOFTWARE");
        assertTrue(s.turnChannel() == -1 || s.turnChannel() >= 0x4000 && s.turnChannel() <= 0x7fff, "channel " + s.turnChannel());
        assertTrue(s.tlsAlertSeen() ? s.tlsAlertLevel() == 1 || s.tlsAlertLevel() == 2 : s.tlsAlertLevel() == 0,
            "alert level " + s.tlsAlertLevel());
        assertTrue(s.iceAttributes() >= 0 && s.iceAttributes() <= 0xf && s.iceEvidence() == (s.iceAttributes() != 0), "ICE");
        assertTrue(s.packetsInspected() <= s.payloadPackets(true) + s.payloadPackets(false), "inspected more than seen");
        assertTrue(s.helloState >= 0 && s.helloState <= 3 && s.helloLength >= 0 && s.helloLength <= FlowInspection.HELLO_CAPACITY
            && s.helloPackets <= PayloadInspector.MAX_HELLO_PACKETS, "hello reassembly " + s.helloState + "/" + s.helloLength);
        for (final boolean orig : new boolean[] {true, false}) {
            final RtpSources src = s.rtpSources(orig);
            for (int i = 0; src != null && i < src.count(); i++) {
                final RtpStream r = src.stream(i);
                assertTrue(r.received() <= r.packets, "RTP counters " + r.packets + "/" + r.received());
                assertTrue(r.valid || r.lost() == 0, "loss before the source is valid");
            }
        }
    }

    /** Facts a packet may add to but not take away. Indices as {@link #snapshot} lays them out. */
    private static void assertGrown(final List<Object> before, final List<Object> after) {
        assertTrue((int) after.get(2) >= (int) before.get(2), "confidence fell: " + before + " -> " + after);
        for (final int flag : new int[] {3, 6, 10, 11, 12, 13, 14, 16, 19}) {
            assertTrue(!(boolean) before.get(flag) || (boolean) after.get(flag), "fact " + flag + " forgotten");
        }
        // SNI (length and name), SOFTWARE and channel: once known, never replaced
        final Object[][] firstStays = {{4, -1}, {5, "null"}, {17, "null"}, {18, -1}};
        for (final Object[] f : firstStays) {
            final Object was = before.get((int) f[0]);
            assertTrue(was.equals(f[1]) || was.equals(after.get((int) f[0])), "fact " + f[0] + " replaced: " + was);
        }
        assertEquals((int) before.get(15), (int) before.get(15) & (int) after.get(15), "ICE attributes forgotten");
    }

    /** Every fact the report reads, and the reassembly state. */
    static List<Object> snapshot(final FlowInspection s) {
        return Arrays.asList(s.ipProto(), s.appProto(), s.confidence(), s.tlsSeen(), s.sniLength(), String.valueOf(s.sni()),
            s.tlsAlertSeen(), s.tlsAlertLevel(), s.tlsAlertDescription(), s.tlsAlertFromOrig(), s.stunSeen(),
            s.stunRequestFromOrig(), s.stunRequestFromResp(), s.stunResponseFromOrig(), s.stunResponseFromResp(),
            s.iceAttributes(), s.ciscoSoftware(), String.valueOf(s.stunSoftware()), s.turnChannel(), s.sipSeen(),
            rtp(s.rtp(true)), rtp(s.rtp(false)), s.payloadPackets(true), s.payloadPackets(false), s.packetsInspected(),
            s.helloState, s.helloLength, s.helloPackets);
    }

    private static List<Object> rtp(final RtpStream r) {
        return r == null ? List.of() : List.of(r.ssrc, r.valid, r.packets, r.extendedMaxSeq(), r.received(), r.lost(),
            r.duplicates(), r.seqErrors(), r.jitterMs(), r.maxJitterMs(), r.maxDeltaMs());
    }

    // ---- flows

    /** A flow of one of the shapes the inspector follows, or of anything, its packets now and then damaged. */
    static Flow flow(final long seed) {
        final SplittableRandom r = new SplittableRandom(seed);
        final RandomPayloads g = new RandomPayloads(r.nextLong());
        final List<Packet> packets = new ArrayList<>();
        final int ipProto;
        switch (r.nextInt(6)) {
            case 0 -> { // TLS: a ClientHello, whole or in segments, the server's records, data and alerts
                ipProto = pick(r, 6, 0);
                final byte[] hello = g.tlsClientHello();
                final int segments = r.nextInt(3) == 0 ? 2 + r.nextInt(4) : 1;
                for (int i = 0, from = 0; i < segments; i++) {
                    final int to = i == segments - 1 ? hello.length
                        : Math.min(hello.length, from + 1 + r.nextInt(hello.length / segments + 1));
                    packets.add(packet(r, g, true, Arrays.copyOfRange(hello, from, to)));
                    from = to;
                }
                for (int n = r.nextInt(24); n > 0; n--) {
                    packets.add(packet(r, g, r.nextBoolean(), g.tlsRecords()));
                }
            }
            case 1 -> { // STUN and TURN: binding checks both ways, ChannelData and relayed media
                ipProto = pick(r, 17, 6, 0);
                for (int n = 1 + r.nextInt(30); n > 0; n--) {
                    final int what = r.nextInt(4);
                    packets.add(packet(r, g, r.nextBoolean(),
                        what == 0 ? g.channelData() : what == 1 ? g.rtp() : g.stun(ipProto == 6)));
                }
            }
            case 2 -> { // media: one source's RTP past the identification window, RTCP beside it
                ipProto = pick(r, 17, 0);
                for (final byte[] p : g.rtpStream()) {
                    packets.add(packet(r, g, r.nextInt(5) != 0, r.nextInt(8) == 0 ? g.rtcp() : p));
                }
            }
            case 3 -> { // text: SIP, HTTP, SSH or XMPP, then anything
                ipProto = pick(r, 6, 17, 0);
                final int protocol = r.nextInt(4);
                for (int n = 1 + r.nextInt(12); n > 0; n--) {
                    final byte[] p = switch (protocol) {
                        case 0 -> g.sip();
                        case 1 -> g.http();
                        case 2 -> g.ssh();
                        default -> g.xmpp();
                    };
                    packets.add(packet(r, g, r.nextBoolean(), r.nextInt(4) == 0 ? g.any() : p));
                }
            }
            default -> { // anything, from both sides
                ipProto = pick(r, 6, 17, 0);
                for (int n = 1 + r.nextInt(30); n > 0; n--) {
                    packets.add(packet(r, g, r.nextBoolean(), g.any()));
                }
            }
        }
        return new Flow(ipProto, packets);
    }

    private static Packet packet(final SplittableRandom r, final RandomPayloads g, final boolean fromOrig, final byte[] payload) {
        final byte[] p = r.nextInt(8) == 0 ? g.damage(payload) : payload;
        return new Packet(fromOrig, Window.around(p, r.nextLong()));
    }

    private static int pick(final SplittableRandom r, final int... values) {
        return values[r.nextInt(values.length)];
    }
}
