package io.mraflow.pipeline;

import io.mraflow.flow.FlowKeyHash;

/**
 * The symmetric 5-tuple hash that picks a packet's worker. Stateless; any thread (the capture
 * thread calls it for every packet the flow table uses).
 *
 * <p>Symmetric: each endpoint (address, port) is mixed on its own and the two results are
 * added, so both directions of a flow give the same value without comparing the endpoints.
 * Non-first IP fragments carry no ports: {@link FragmentRoutes} remembers the ports of their
 * first fragment; ICMP errors are hashed on the 5-tuple they quote.
 */
public final class FlowHash {
    private FlowHash() {
    }

    /** A non-negative hash of the flow; equal for (a, b) and (b, a). */
    public static int of(final int proto, final long aHi, final long aLo, final int aPort,
                         final long bHi, final long bLo, final int bPort) {
        final long h = endpoint(aHi, aLo, aPort) + endpoint(bHi, bLo, bPort);
        return (int) FlowKeyHash.mix(h ^ proto) & 0x7fff_ffff;
    }

    /** The worker of a hash among {@code workers}. */
    public static int worker(final int hash, final int workers) {
        return hash % workers;
    }

    private static long endpoint(final long hi, final long lo, final int port) {
        return FlowKeyHash.mix(hi * 0x9e3779b97f4a7c15L ^ lo ^ ((long) port << 48 | port));
    }
}
