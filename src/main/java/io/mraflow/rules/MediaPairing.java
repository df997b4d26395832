package io.mraflow.rules;

import io.mraflow.decode.IpProto;
import io.mraflow.flow.FlowRecord;
import io.mraflow.inspect.AppProto;
import io.mraflow.inspect.FlowInspection;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What earlier flows of a capture say about later ones, for two rules of the port reference's
 * Interpretation that one flow alone cannot apply:
 * <ul>
 * <li>an RTCP flow belongs to the side that opened its paired RTP flow (the ports one below on
 *     both ends, RFC 3550 11), whoever sent its first report;</li>
 * <li>T1.1 is claimed on ICE evidence: STUN connectivity checks between the two addresses, on
 *     any of their port pairs, before the flow's first packet.</li>
 * </ul>
 * Flows are offered in the order the report reads them (first packet first), so "earlier" is
 * what was offered before. Bounded: the least recently used pairs are forgotten past {@link #MAX}.
 * One instance per {@link VerdictBuilder}; not thread-safe.
 */
final class MediaPairing {
    static final int MAX = 65_536;

    /** Two addresses, the lower first. */
    private record AddressPair(long aHi, long aLo, long bHi, long bLo) {
        static AddressPair of(final long xHi, final long xLo, final long yHi, final long yLo) {
            return lower(xHi, xLo, yHi, yLo) ? new AddressPair(xHi, xLo, yHi, yLo) : new AddressPair(yHi, yLo, xHi, xLo);
        }

        // Written out: a record's generated equals and hashCode are bootstrapped through method
        // handles on first use, spinning classes, which the one-shot report paid (BENCHMARKS.md, Report stage).
        @Override
        public boolean equals(final Object o) {
            return o instanceof AddressPair p && p.aHi == aHi && p.aLo == aLo && p.bHi == bHi && p.bLo == bLo;
        }

        @Override
        public int hashCode() {
            return ((31 * Long.hashCode(aHi) + Long.hashCode(aLo)) * 31 + Long.hashCode(bHi)) * 31 + Long.hashCode(bLo);
        }
    }

    /** Two endpoints, the lower first. */
    private record EndpointPair(long aHi, long aLo, int aPort, long bHi, long bLo, int bPort) {
        static EndpointPair of(final long xHi, final long xLo, final int xPort, final long yHi, final long yLo,
                               final int yPort) {
            final boolean xFirst = lower(xHi, xLo, yHi, yLo) || (xHi == yHi && xLo == yLo && xPort <= yPort);
            return xFirst ? new EndpointPair(xHi, xLo, xPort, yHi, yLo, yPort) : new EndpointPair(yHi, yLo, yPort, xHi, xLo, xPort);
        }

        boolean firstIs(final long hi, final long lo, final int port) {
            return aHi == hi && aLo == lo && aPort == port;
        }

        // Written out: a record's generated equals and hashCode are bootstrapped through method
        // handles on first use, spinning classes, which the one-shot report paid (BENCHMARKS.md, Report stage).
        @Override
        public boolean equals(final Object o) {
            return o instanceof EndpointPair p && p.aHi == aHi && p.aLo == aLo && p.aPort == aPort && p.bHi == bHi
                    && p.bLo == bLo && p.bPort == bPort;
        }

        @Override
        public int hashCode() {
            int h = 31 * Long.hashCode(aHi) + Long.hashCode(aLo);
            h = 31 * h + Integer.hashCode(aPort);
            h = 31 * h + Long.hashCode(bHi);
            h = 31 * h + Long.hashCode(bLo);
            return 31 * h + Integer.hashCode(bPort);
        }
    }

    private static boolean lower(final long xHi, final long xLo, final long yHi, final long yLo) {
        return xHi != yHi ? Long.compareUnsigned(xHi, yHi) < 0 : Long.compareUnsigned(xLo, yLo) <= 0;
    }

    /** First packet time of the first flow with ICE checks, per address pair. */
    private final Map<AddressPair, Long> iceSince = lru();
    /** Per RTP flow: true when the pair's first endpoint opened it. */
    private final Map<EndpointPair, Boolean> rtpOpenedByFirst = lru();

    private static <K, V> Map<K, V> lru() {
        return new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(final Map.Entry<K, V> eldest) {
                return size() > MAX;
            }
        };
    }

    /** True when {@code r} is RTCP whose paired RTP flow was opened by {@code r}'s responder. */
    boolean rtcpOpenedByResponder(final FlowRecord r, final FlowInspection in) {
        if (r.ipProto() != IpProto.UDP || in == null || in.appProto() != AppProto.RTCP || r.origPort() == 0 || r.respPort() == 0) {
            return false;
        }
        final EndpointPair rtp = EndpointPair.of(r.origHi(), r.origLo(), r.origPort() - 1, r.respHi(), r.respLo(), r.respPort() - 1);
        final Boolean byFirst = rtpOpenedByFirst.get(rtp);
        if (byFirst == null) {
            return false;
        }
        final boolean respIsFirst = rtp.firstIs(r.respHi(), r.respLo(), r.respPort() - 1);
        return byFirst == respIsFirst;
    }

    /** True when ICE checks ran between {@code r}'s two addresses at or before its first packet. */
    boolean iceBefore(final FlowRecord r) {
        if (r.ipProto() != IpProto.UDP) {
            return false;
        }
        final Long since = iceSince.get(AddressPair.of(r.origHi(), r.origLo(), r.respHi(), r.respLo()));
        return since != null && since <= r.tsNanos();
    }

    /** Remembers what {@code opened} (opener first) says about later flows. */
    void record(final FlowRecord opened, final FlowInspection in) {
        if (opened.ipProto() != IpProto.UDP || in == null) {
            return;
        }
        if (in.iceEvidence()) {
            iceSince.merge(AddressPair.of(opened.origHi(), opened.origLo(), opened.respHi(), opened.respLo()),
                    opened.tsNanos(), Math::min);
        }
        if (in.appProto() == AppProto.RTP) {
            final EndpointPair p = EndpointPair.of(opened.origHi(), opened.origLo(), opened.origPort(),
                    opened.respHi(), opened.respLo(), opened.respPort());
            rtpOpenedByFirst.putIfAbsent(p, p.firstIs(opened.origHi(), opened.origLo(), opened.origPort()));
        }
    }
}
