package io.mraflow.flow;

import io.mraflow.decode.PacketView;

/**
 * The hash that decides which worker's {@link FlowTable} sees a packet. Stateless and
 * thread-safe: the dispatching thread calls it for every packet.
 *
 * <p>It must send to one worker both directions of a flow, the non-first fragments of its
 * packets (which carry no ports) and the ICMP errors that quote them (whose own addresses are
 * the router's). So it covers the protocol and the two addresses only, in either order, and
 * for an ICMP error it takes the quoted packet's. Ports are deliberately left out: a 5-tuple
 * hash would split fragments from their flow. The cost is that many flows between the same two
 * hosts land on one worker.
 */
public final class FlowAffinity {

    private FlowAffinity() {
    }

    /** A non-negative hash; {@code hash % workers} picks the worker. */
    public static int of(PacketView p) {
        if (p.icmpError) {
            return of(p.quotedProto, p.quotedSrcHi, p.quotedSrcLo, p.quotedDstHi, p.quotedDstLo);
        }
        return of(p.ipProto, p.srcHi, p.srcLo, p.dstHi, p.dstLo);
    }

    static int of(int proto, long aHi, long aLo, long bHi, long bLo) {
        int c = Long.compareUnsigned(aHi, bHi);
        if (c == 0) {
            c = Long.compareUnsigned(aLo, bLo);
        }
        final long loHi = c <= 0 ? aHi : bHi;
        final long loLo = c <= 0 ? aLo : bLo;
        final long hiHi = c <= 0 ? bHi : aHi;
        final long hiLo = c <= 0 ? bLo : aLo;
        long h = mix(loHi ^ proto);
        h = mix(h ^ loLo);
        h = mix(h ^ hiHi);
        h = mix(h ^ hiLo);
        return (int) (h ^ (h >>> 32)) & 0x7fff_ffff;
    }

    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
