package io.mraflow.decode;

import static io.mraflow.fuzz.Coverage.reach;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mraflow.capture.CapturedPacket;
import io.mraflow.decode.RandomFrames.Frame;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.StatisticsReport;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Every decoding stage on random bytes and on {@link RandomFrames}' structured packets, damaged:
 * nothing throws (each buffer ends where the capture does and Agrona checks bounds, so a read past
 * the captured bytes throws too); every result stays in its bounds; and the same bytes decode the
 * same way in a long-lived decoder as in a fresh one, whatever the long-lived one decoded before.
 *
 * <p>Each property also asserts how often its structured inputs got past the decoder's first checks.
 *
 * <p>Tries: jqwik's default ({@code jqwik.tries.default}: 1000, the {@code fuzz-long} profile
 * 1,000,000); seeds fixed, so every run sees the same inputs.
 */
@StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
class DecoderPropertiesTest {
    static final String SEED = "20261203";

    // Long-lived, as in the pipeline: whatever an earlier input left in them must change nothing.
    private final PacketDecoder decoder = new PacketDecoder();
    private final PacketView view = new PacketView();
    private final LayerCursor cursor = new LayerCursor();
    private final IpDecoder ip = new IpDecoder();
    private final Ipv6ExtensionChain chain = new Ipv6ExtensionChain();
    private final IcmpErrorDecoder icmp = new IcmpErrorDecoder();

    @BeforeContainer
    static void boundsChecksAreOn() {
        assertTrue(DirectBuffer.SHOULD_BOUNDS_CHECK, "these properties need Agrona's bounds checks to see stray reads");
    }

    @Provide
    Arbitrary<Frame> packets() {
        return RandomFrames.frames();
    }

    @Property(seed = SEED)
    void packetDecoderFillsTheViewWithinBounds(@ForAll("packets") final Frame f) {
        final CapturedPacket pkt = packet(f);
        decoder.decode(pkt, view);
        ViewInvariants.check(view, f.bytes().length);
        reach("decoded to the ports", view.hasPorts, 15);
        reach("inside a tunnel", view.tunnelDepth > 0, 3);
        reach("a flow named by an ICMP error", view.icmpError, 0.2);
        final PacketView fresh = new PacketView();
        new PacketDecoder().decode(pkt, fresh);
        assertEquals(ViewInvariants.fields(fresh), ViewInvariants.fields(view));
    }

    @Property(seed = SEED)
    void linkLayerDecoderPointsInsideTheFrame(@ForAll("packets") final Frame f) {
        final UnsafeBuffer b = buffer(f.bytes());
        cursor.start(f.bytes().length);
        final int status = LinkLayerDecoder.decode(f.linkType(), b, cursor);
        assertTrue(status >= 0 && status < DecodeStatus.COUNT, "status " + status);
        assertEquals(status == DecodeStatus.UNSUPPORTED_LINK, !LinkLayerDecoder.supports(f.linkType()));
        assertTrue(cursor.end <= f.bytes().length, "the layer ends past the capture");
        reach("an IP header found", status == DecodeStatus.OK, 40);
        if (status == DecodeStatus.OK) {
            assertTrue(cursor.next == LayerCursor.IP || cursor.next == LayerCursor.IPV4 || cursor.next == LayerCursor.IPV6,
                "next " + cursor.next);
            assertTrue(cursor.offset >= 0 && cursor.offset <= cursor.end, "offset " + cursor.offset + ", end " + cursor.end);
        }
        final LayerCursor fresh = new LayerCursor();
        fresh.start(f.bytes().length);
        assertEquals(status, LinkLayerDecoder.decode(f.linkType(), b, fresh));
        assertEquals(List.of(cursor.next, cursor.offset, cursor.end), List.of(fresh.next, fresh.offset, fresh.end));
    }

    @Provide
    Arbitrary<byte[]> ipPackets() {
        return RandomFrames.packets(g -> g.ip(1));
    }

    @Property(seed = SEED)
    void ipDecoderKeepsTheCursorInsideThePacket(@ForAll("ipPackets") final byte[] p,
                                                @ForAll("ipKinds") final int kind) {
        final UnsafeBuffer b = buffer(p);
        view.reset();
        final int status = decodeIp(ip, b, p.length, kind, cursor, view);
        assertTrue(status == DecodeStatus.OK || status == DecodeStatus.TRUNCATED || status == DecodeStatus.MALFORMED,
            "status " + status);
        ViewInvariants.check(view, p.length);
        reach("the IP header decoded", status == DecodeStatus.OK, 40);
        assertTrue(cursor.end <= p.length && cursor.wireLength >= 0, "end " + cursor.end + ", wire " + cursor.wireLength);
        if (status != DecodeStatus.OK) {
            assertEquals(0, view.ipVersion, "a header not decoded changes nothing");
        } else if (view.ipVersion == 4) {
            assertTrue(kind != LayerCursor.IPV6 && cursor.offset >= 20 && cursor.offset <= 60, "IPv4 header of " + cursor.offset);
        } else {
            assertTrue(kind != LayerCursor.IPV4 && cursor.offset >= 40 && view.ipLen >= 40, "IPv6 header of " + cursor.offset);
        }
        final LayerCursor freshCursor = new LayerCursor();
        final PacketView fresh = new PacketView();
        assertEquals(status, decodeIp(new IpDecoder(), b, p.length, kind, freshCursor, fresh));
        assertEquals(ViewInvariants.fields(fresh), ViewInvariants.fields(view));
        assertEquals(List.of(cursor.offset, cursor.end, cursor.wireLength, cursor.truncated),
            List.of(freshCursor.offset, freshCursor.end, freshCursor.wireLength, freshCursor.truncated));
    }

    @Provide
    Arbitrary<Integer> ipKinds() {
        return Arbitraries.of(LayerCursor.IP, LayerCursor.IPV4, LayerCursor.IPV6);
    }

    private static int decodeIp(final IpDecoder d, final DirectBuffer b, final int length, final int kind,
                                final LayerCursor c, final PacketView v) {
        c.start(length);
        c.moveTo(kind, 0);
        return d.decode(b, c, v);
    }

    /** An IPv6 extension chain, walked from anywhere in the captured bytes, with any packet end. */
    record ChainInput(byte[] bytes, int at, int next, int wireEnd) {
    }

    @Provide
    Arbitrary<ChainInput> chains() {
        return Combinators.combine(RandomFrames.packets(g -> g.ipv6(1)), Arbitraries.longs()).as((p, seed) -> {
            // mostly where and as IpDecoder walks it; now and then from anywhere, to any end
            final SplittableRandom r = new SplittableRandom(seed);
            final int at = r.nextInt(4) == 0 ? r.nextInt(p.length + 1) : Math.min(40, p.length);
            final int next = r.nextInt(4) == 0 || p.length <= 6 ? r.nextInt(256) : p[6] & 0xff;
            final int wireEnd = switch (r.nextInt(4)) {
                case 0 -> Integer.MAX_VALUE; // as for the packet an ICMP error quotes
                case 1 -> r.nextInt(70_000);
                default -> p.length;
            };
            return new ChainInput(p, at, next, wireEnd);
        });
    }

    @Property(seed = SEED)
    void ipv6ExtensionChainEndsWhereThePacketSays(@ForAll("chains") final ChainInput in) {
        // The walk may read only up to the captured end it is given: the buffer ends there.
        final UnsafeBuffer b = buffer(in.bytes());
        final int status = chain.walk(b, in.at(), in.next(), in.bytes().length, in.wireEnd());
        assertTrue(status == DecodeStatus.OK || status == DecodeStatus.TRUNCATED || status == DecodeStatus.MALFORMED,
            "status " + status);
        assertTrue(chain.protocol >= 0 && chain.protocol <= 0xff, "protocol " + chain.protocol);
        assertTrue(chain.fragOffset >= 0 && chain.fragOffset <= 0xfff8 && chain.fragOffset % 8 == 0, "offset " + chain.fragOffset);
        assertTrue(chain.fragId >= 0 && chain.fragId <= 0xffff_ffffL, "id " + chain.fragId);
        assertTrue(chain.transportOffset >= in.at(), "went backwards to " + chain.transportOffset);
        reach("past an extension header", chain.transportOffset > in.at(), 10);
        if (status == DecodeStatus.OK) {
            final boolean laterFragment = chain.fragmentHeader && chain.fragOffset != 0;
            assertTrue(chain.transportOffset <= (laterFragment ? in.bytes().length : Math.max(in.at(), in.wireEnd())),
                "upper layer at " + chain.transportOffset + " past the packet");
        }
        final Ipv6ExtensionChain fresh = new Ipv6ExtensionChain();
        assertEquals(status, fresh.walk(b, in.at(), in.next(), in.bytes().length, in.wireEnd()));
        assertEquals(List.of(chain.protocol, chain.transportOffset, chain.fragmentHeader, chain.fragOffset, chain.moreFragments,
            chain.fragId), List.of(fresh.protocol, fresh.transportOffset, fresh.fragmentHeader, fresh.fragOffset,
            fresh.moreFragments, fresh.fragId));
    }

    /** A TCP or UDP header as an IP layer hands it over: its wire length, and whether it is a fragment. */
    record TransportInput(int proto, byte[] bytes, int wireLength, boolean fragment, boolean moreFragments) {
    }

    @Provide
    Arbitrary<TransportInput> transports() {
        final Arbitrary<byte[]> tcp = RandomFrames.packets(RandomFrames::tcp);
        final Arbitrary<byte[]> udp = RandomFrames.packets(g -> g.udp(0));
        // the IP layer's wire length: the segment's own, or anything (-1 marks the segment's own)
        final Arbitrary<Integer> wire = Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just(-1)),
            Tuple.of(1, Arbitraries.integers().between(0, 70_000)));
        // unfragmented, first fragment, later fragment
        final Arbitrary<Integer> fragment = Arbitraries.of(0, 1, 2);
        return Combinators.combine(Arbitraries.of(6, 17), tcp, udp, wire, fragment)
            .as((proto, t, u, w, frag) -> {
                final byte[] p = proto == 6 ? t : u;
                return new TransportInput(proto, p, w < 0 ? p.length : w, frag != 0, frag == 1);
            });
    }

    @Property(seed = SEED)
    void transportDecoderGivesAPayloadInsideTheSegment(@ForAll("transports") final TransportInput in) {
        final UnsafeBuffer b = buffer(in.bytes());
        final int status = decodeTransport(in, b, cursor, view);
        assertTrue(status == DecodeStatus.OK || status == DecodeStatus.MALFORMED, "status " + status);
        ViewInvariants.assertPayloadWindow(view, in.bytes().length);
        assertTrue(view.payloadLen <= Math.max(0, in.wireLength()), "payload " + view.payloadLen + " of " + in.wireLength());
        assertTrue(!view.hasPorts || in.bytes().length >= 4, "ports from fewer than 4 bytes");
        reach("a payload captured", status == DecodeStatus.OK && view.payloadCapLen > 0, 20);
        final PacketView fresh = new PacketView();
        final LayerCursor freshCursor = new LayerCursor();
        assertEquals(status, decodeTransport(in, b, freshCursor, fresh));
        assertEquals(ViewInvariants.fields(fresh), ViewInvariants.fields(view));
        assertEquals(cursor.truncated, freshCursor.truncated);
    }

    private static int decodeTransport(final TransportInput in, final DirectBuffer b, final LayerCursor c, final PacketView v) {
        v.reset();
        v.fragment = in.fragment();
        v.moreFragments = in.moreFragments();
        c.start(in.bytes().length);
        c.wireLength = in.wireLength();
        return in.proto() == 6 ? TransportDecoder.tcp(b, c, v) : TransportDecoder.udp(b, c, v);
    }

    @Provide
    Arbitrary<byte[]> greHeaders() {
        return RandomFrames.packets(g -> g.gre(1));
    }

    @Provide
    Arbitrary<byte[]> vxlanHeaders() {
        return RandomFrames.packets(g -> g.vxlan(1));
    }

    @Property(seed = SEED)
    void greLeadsInsideThePacket(@ForAll("greHeaders") final byte[] p) {
        final UnsafeBuffer b = buffer(p);
        cursor.start(p.length);
        final int status = TunnelDecoder.gre(b, cursor);
        assertTunnel(status, 4, p.length);
        reach("an inner packet found", status == DecodeStatus.OK, 30);
        final LayerCursor fresh = new LayerCursor();
        fresh.start(p.length);
        assertEquals(status, TunnelDecoder.gre(b, fresh));
        assertEquals(List.of(cursor.next, cursor.offset), List.of(fresh.next, fresh.offset));
    }

    @Property(seed = SEED)
    void vxlanLeadsInsideThePacket(@ForAll("vxlanHeaders") final byte[] p) {
        final UnsafeBuffer b = buffer(p);
        cursor.start(p.length);
        final int status = TunnelDecoder.vxlan(b, cursor);
        assertTunnel(status, 8, p.length);
        reach("an inner frame found", status == DecodeStatus.OK, 30);
        final LayerCursor fresh = new LayerCursor();
        fresh.start(p.length);
        assertEquals(status, TunnelDecoder.vxlan(b, fresh));
        assertEquals(List.of(cursor.next, cursor.offset), List.of(fresh.next, fresh.offset));
    }

    private void assertTunnel(final int status, final int minHeader, final int length) {
        assertTrue(status == DecodeStatus.OK || status == DecodeStatus.TRUNCATED || status == DecodeStatus.NOT_IP,
            "status " + status);
        if (status == DecodeStatus.OK) {
            assertTrue(cursor.next == LayerCursor.IPV4 || cursor.next == LayerCursor.IPV6 || cursor.next == LayerCursor.ETHERNET
                || cursor.next == LayerCursor.PPP, "next " + cursor.next);
            assertTrue(cursor.offset >= minHeader && cursor.offset <= length, "inner packet at " + cursor.offset + " of " + length);
        }
    }

    /** An ICMP or ICMPv6 message and its version. */
    record IcmpInput(boolean v6, byte[] bytes) {
    }

    @Provide
    Arbitrary<IcmpInput> icmpMessages() {
        return Combinators.combine(Arbitraries.of(false, true), RandomFrames.packets(g -> g.icmp(4)),
            RandomFrames.packets(g -> g.icmp(6))).as((v6, v4Message, v6Message) -> new IcmpInput(v6, v6 ? v6Message : v4Message));
    }

    @Property(seed = SEED)
    void icmpErrorsNameAFlowFromCapturedBytesOnly(@ForAll("icmpMessages") final IcmpInput in) {
        final UnsafeBuffer b = buffer(in.bytes());
        decodeIcmp(icmp, in, b, cursor, view);
        ViewInvariants.check(view, in.bytes().length);
        assertTrue(!view.icmpError || in.bytes().length >= 8 + 20 + 4, "a flow named from a quote shorter than its headers");
        reach("a flow named by the error", view.icmpError, 10);
        final PacketView fresh = new PacketView();
        decodeIcmp(new IcmpErrorDecoder(), in, b, new LayerCursor(), fresh);
        assertEquals(ViewInvariants.fields(fresh), ViewInvariants.fields(view));
    }

    private static void decodeIcmp(final IcmpErrorDecoder d, final IcmpInput in, final DirectBuffer b, final LayerCursor c,
                                   final PacketView v) {
        v.reset();
        v.ipProto = in.v6() ? 58 : 1;
        c.start(in.bytes().length);
        c.wireLength = in.bytes().length;
        d.decode(b, c, v, in.v6());
    }

    /** A buffer exactly as long as the bytes: a read past them throws. */
    private static UnsafeBuffer buffer(final byte[] bytes) {
        return new UnsafeBuffer(bytes);
    }

    private static CapturedPacket packet(final Frame f) {
        final CapturedPacket pkt = new CapturedPacket();
        pkt.bytes.wrap(f.bytes());
        pkt.capLen = f.bytes().length;
        pkt.wireLen = f.bytes().length;
        pkt.linkType = f.linkType();
        return pkt;
    }
}
