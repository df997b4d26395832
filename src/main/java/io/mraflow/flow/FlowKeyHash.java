package io.mraflow.flow;

/**
 * The hash of a flow's canonical key (endpoint A the lower one), and the 64-bit mix every hash of
 * the project is built from: MurmurHash3's finaliser, which spreads each input bit over the whole
 * word so that the low bits a table indexes by are as good as the high ones. Stateless.
 */
public final class FlowKeyHash {
    private FlowKeyHash() {
    }

    /** MurmurHash3's fmix64. */
    public static long mix(final long h) {
        long x = h ^ h >>> 33;
        x *= 0xff51afd7ed558ccdL;
        x ^= x >>> 33;
        x *= 0xc4ceb9fe1a85ec53L;
        return x ^ x >>> 33;
    }

    /**
     * The hash of the key (protocol, A, B, {@code portA << 16 | portB}), A the lower endpoint: the
     * fields multiplied by distinct odd constants (independent multiplications the CPU runs side by
     * side) and combined, then one mix, rather than a chain of five mixes on every packet.
     */
    static int of(final int proto, final long aHi, final long aLo, final long bHi, final long bLo, final int ports) {
        final long h = aHi * 0x9e3779b97f4a7c15L ^ aLo * 0xc2b2ae3d27d4eb4fL
                ^ bHi * 0x165667b19e3779f9L ^ bLo * 0xd6e8feb86659fd93L
                ^ ((ports & 0xffff_ffffL) << 8 | proto) * 0xff51afd7ed558ccdL;
        final long m = mix(h);
        return (int) (m ^ (m >>> 32));
    }
}
