package io.mraflow.pipeline;

import io.mraflow.capture.CaptureCopy;
import io.mraflow.capture.CapturedPacket;
import io.mraflow.decode.DecodeStatus;
import io.mraflow.decode.PacketDecoder;
import io.mraflow.decode.PacketView;
import io.mraflow.flow.FlowRecord;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The packets of chosen flows, told from a second reading of their capture
 * ({@code analyze --write-pcap}): a packet of a flow's 5-tuple, either direction, between the
 * flow's first and last packet; the later fragments of an IP datagram whose first fragment was
 * kept (a fragment carries no ports; as the flow table does, they follow their first fragment);
 * and an ICMP or ICMPv6 error quoting a packet of a flow that counted ICMP errors, after that
 * flow's first packet and before the next flow of its 5-tuple. Packets are decoded as the
 * analysis decodes them ({@link PacketDecoder}: the innermost packet of a tunnel).
 *
 * <p>Not thread-safe: flows are added, then packets asked about, on one thread.
 */
public final class FlowPacketSelection implements CaptureCopy.Selection {
    private final Map<TupleKey, List<long[]>> spans = new HashMap<>();
    private final Set<FragmentKey> datagramsKept = new HashSet<>();
    private final PacketDecoder decoder = new PacketDecoder();
    private final PacketView view = new PacketView();
    private final TupleKey probe = new TupleKey();
    private final FragmentKey fragmentProbe = new FragmentKey();
    private long flows;

    /** One span of a 5-tuple: first packet, last packet, ICMP errors counted (as array slots). */
    private static final int FIRST = 0;
    private static final int LAST = 1;
    private static final int ICMP_ERRORS = 2;

    /** Adds {@code flow}: its packets are kept from now on. */
    public void add(final FlowRecord flow) {
        final TupleKey key = new TupleKey().set(flow.ipProto(), flow.origHi(), flow.origLo(), flow.origPort(),
                flow.respHi(), flow.respLo(), flow.respPort());
        spans.computeIfAbsent(key, k -> new ArrayList<>(1)).add(new long[] {flow.tsNanos(), flow.lastTsNanos(), flow.icmpErrors()});
        flows++;
    }

    /** How many flows were added. */
    public long flows() {
        return flows;
    }

    @Override
    public boolean keep(final CapturedPacket packet) {
        if (spans.isEmpty() || !PacketDecoder.supports(packet.linkType)) {
            return false;
        }
        final PacketView p = view;
        decoder.decode(packet, p);
        if (p.ipVersion == 0 || p.status != DecodeStatus.OK && p.status != DecodeStatus.TRUNCATED) {
            return false; // as the flow table: a packet it ignored belongs to no flow
        }
        if (p.icmpError) {
            return icmpErrorKept(p);
        }
        if (!p.isTcpOrUdp()) {
            return false;
        }
        if (!p.hasPorts) {
            return p.fragment && p.fragOffset != 0
                    && datagramsKept.contains(fragmentProbe.set(p.ipProto, p.srcHi, p.srcLo, p.dstHi, p.dstLo, p.fragId));
        }
        final List<long[]> s = spans.get(probe.set(p.ipProto, p.srcHi, p.srcLo, p.srcPort, p.dstHi, p.dstLo, p.dstPort));
        if (s == null) {
            return false;
        }
        for (long[] span : s) {
            if (p.tsNanos >= span[FIRST] && p.tsNanos <= span[LAST]) {
                if (p.fragment) {
                    datagramsKept.add(new FragmentKey().set(p.ipProto, p.srcHi, p.srcLo, p.dstHi, p.dstLo, p.fragId));
                }
                return true;
            }
        }
        return false;
    }

    /** An error about a flow that counted errors: the flow of its 5-tuple that had begun by then, the latest such. */
    private boolean icmpErrorKept(final PacketView p) {
        final List<long[]> s = spans.get(probe.set(p.quotedProto, p.quotedSrcHi, p.quotedSrcLo, p.quotedSrcPort,
                p.quotedDstHi, p.quotedDstLo, p.quotedDstPort));
        if (s == null) {
            return false;
        }
        long[] current = null;
        for (long[] span : s) {
            if (span[FIRST] <= p.tsNanos && (current == null || span[FIRST] > current[FIRST])) {
                current = span;
            }
        }
        return current != null && current[ICMP_ERRORS] > 0;
    }

    /** A 5-tuple with its two ends in a fixed order, so both directions are one key. Mutable: one probe serves every lookup. */
    private static final class TupleKey {
        int proto;
        long aHi;
        long aLo;
        int aPort;
        long bHi;
        long bLo;
        int bPort;

        TupleKey set(final int proto, final long srcHi, final long srcLo, final int srcPort,
                     final long dstHi, final long dstLo, final int dstPort) {
            this.proto = proto;
            final int c = srcHi != dstHi ? Long.compareUnsigned(srcHi, dstHi)
                    : srcLo != dstLo ? Long.compareUnsigned(srcLo, dstLo) : Integer.compare(srcPort, dstPort);
            if (c <= 0) {
                aHi = srcHi; aLo = srcLo; aPort = srcPort; bHi = dstHi; bLo = dstLo; bPort = dstPort;
            } else {
                aHi = dstHi; aLo = dstLo; aPort = dstPort; bHi = srcHi; bLo = srcLo; bPort = srcPort;
            }
            return this;
        }

        @Override
        public boolean equals(final Object o) {
            return o instanceof TupleKey k && k.proto == proto && k.aHi == aHi && k.aLo == aLo && k.aPort == aPort
                    && k.bHi == bHi && k.bLo == bLo && k.bPort == bPort;
        }

        @Override
        public int hashCode() {
            long h = proto;
            h = h * 31 + aHi;
            h = h * 31 + aLo;
            h = h * 31 + aPort;
            h = h * 31 + bHi;
            h = h * 31 + bLo;
            h = h * 31 + bPort;
            return Long.hashCode(h);
        }
    }

    /** One IP datagram: protocol, source, destination and identification, as its fragments share them. */
    private static final class FragmentKey {
        int proto;
        long srcHi;
        long srcLo;
        long dstHi;
        long dstLo;
        long id;

        FragmentKey set(final int proto, final long srcHi, final long srcLo, final long dstHi, final long dstLo, final long id) {
            this.proto = proto;
            this.srcHi = srcHi;
            this.srcLo = srcLo;
            this.dstHi = dstHi;
            this.dstLo = dstLo;
            this.id = id;
            return this;
        }

        @Override
        public boolean equals(final Object o) {
            return o instanceof FragmentKey k && k.proto == proto && k.srcHi == srcHi && k.srcLo == srcLo
                    && k.dstHi == dstHi && k.dstLo == dstLo && k.id == id;
        }

        @Override
        public int hashCode() {
            long h = proto;
            h = h * 31 + srcHi;
            h = h * 31 + srcLo;
            h = h * 31 + dstHi;
            h = h * 31 + dstLo;
            h = h * 31 + id;
            return Long.hashCode(h);
        }
    }
}
