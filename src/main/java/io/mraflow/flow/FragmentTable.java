package io.mraflow.flow;

import io.mraflow.decode.PacketView;

/**
 * The ports of first IP fragments, so that later fragments (which carry none) can be counted to
 * their flow. Direct-mapped on (source, destination, protocol, fragment id): a later first
 * fragment that maps to the same entry overwrites it, which costs only the attribution of the
 * older datagram's remaining fragments. Owned by the table's thread.
 */
final class FragmentTable {
    private final int mask;
    private final long timeoutNanos;
    private final long[] srcHi;
    private final long[] srcLo;
    private final long[] dstHi;
    private final long[] dstLo;
    private final long[] id;
    private final long[] ts;
    private final int[] proto;   // 0 = empty
    private final int[] ports;   // srcPort << 16 | dstPort

    /** @param size entries, a power of two */
    FragmentTable(final int size, final long timeoutNanos) {
        mask = size - 1;
        this.timeoutNanos = timeoutNanos;
        srcHi = new long[size];
        srcLo = new long[size];
        dstHi = new long[size];
        dstLo = new long[size];
        id = new long[size];
        ts = new long[size];
        proto = new int[size];
        ports = new int[size];
    }

    /** Remembers the ports of a first fragment (one with ports, more to come). */
    void rememberFirst(final PacketView p, final long now) {
        final int i = index(p);
        srcHi[i] = p.srcHi;
        srcLo[i] = p.srcLo;
        dstHi[i] = p.dstHi;
        dstLo[i] = p.dstLo;
        id[i] = p.fragId;
        ts[i] = now;
        proto[i] = p.ipProto;
        ports[i] = p.srcPort << 16 | p.dstPort;
    }

    /** {@code srcPort << 16 | dstPort} of the first fragment of a later fragment's datagram, or -1. */
    int portsOf(final PacketView p, final long now) {
        final int i = index(p);
        if (proto[i] == p.ipProto && id[i] == p.fragId
                && srcHi[i] == p.srcHi && srcLo[i] == p.srcLo
                && dstHi[i] == p.dstHi && dstLo[i] == p.dstLo
                && now - ts[i] <= timeoutNanos) {
            return ports[i];
        }
        return -1;
    }

    private int index(final PacketView p) {
        long h = FlowKeyHash.mix(p.srcHi ^ p.fragId);
        h = FlowKeyHash.mix(h ^ p.srcLo);
        h = FlowKeyHash.mix(h ^ p.dstHi);
        h = FlowKeyHash.mix(h ^ p.dstLo ^ p.ipProto);
        return (int) h & mask;
    }
}
