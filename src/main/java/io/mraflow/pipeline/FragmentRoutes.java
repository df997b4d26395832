package io.mraflow.pipeline;

/**
 * The ports of recent first IP fragments, so that the later fragments of the same packet (which
 * carry no ports) go to the worker of their flow. Owned by the capture thread: not thread-safe,
 * no lock. Direct-mapped over primitive arrays on (source, destination, protocol, identification);
 * a first fragment that maps to a used entry overwrites it. Allocates nothing after construction.
 *
 * <p>It is larger than the flow table's own fragment table ({@code FlowTableConfig.fragmentTableSize},
 * 4,096) and keeps no timeout, so whenever a worker's flow table could attribute a later
 * fragment, the route to that worker is still known here. A miss routes by addresses only; the
 * worker then counts the fragment as unattributed, as the single-threaded table would.
 */
final class FragmentRoutes {
    /** Entries; a power of two. */
    static final int SIZE = 1 << 14;
    private static final int MASK = SIZE - 1;

    private final long[] srcHi = new long[SIZE];
    private final long[] srcLo = new long[SIZE];
    private final long[] dstHi = new long[SIZE];
    private final long[] dstLo = new long[SIZE];
    private final long[] id = new long[SIZE];
    private final int[] proto = new int[SIZE];  // 0 = empty
    private final int[] ports = new int[SIZE];  // srcPort << 16 | dstPort

    private static int slot(final long sHi, final long sLo, final long dHi, final long dLo, final int p, final long fragId) {
        long h = (sHi ^ sLo * 31 ^ dHi * 961 ^ dLo * 29791 ^ fragId * 0x9e3779b97f4a7c15L ^ p);
        h ^= h >>> 29;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 32;
        return (int) h & MASK;
    }

    /** Remembers the ports of a first fragment. */
    void remember(final long sHi, final long sLo, final long dHi, final long dLo, final int p, final long fragId,
                  final int srcPort, final int dstPort) {
        final int s = slot(sHi, sLo, dHi, dLo, p, fragId);
        srcHi[s] = sHi;
        srcLo[s] = sLo;
        dstHi[s] = dHi;
        dstLo[s] = dLo;
        id[s] = fragId;
        proto[s] = p;
        ports[s] = srcPort << 16 | dstPort;
    }

    /** The ports remembered for this fragment ({@code srcPort << 16 | dstPort}), or -1. */
    int find(final long sHi, final long sLo, final long dHi, final long dLo, final int p, final long fragId) {
        final int s = slot(sHi, sLo, dHi, dLo, p, fragId);
        if (proto[s] == p && id[s] == fragId && srcHi[s] == sHi && srcLo[s] == sLo
                && dstHi[s] == dHi && dstLo[s] == dLo) {
            return ports[s];
        }
        return -1;
    }
}
