package io.mraflow.rules;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;

/**
 * Roles bound to addresses and CIDR blocks; immutable after {@link Builder#build()} and safe to
 * share between worker threads (final fields, fully built in the constructor).
 *
 * <p>{@link #roles(long, long)} answers the role mask of an address by longest-prefix match: the
 * most specific block that holds the address gives its roles (a single address is a /128), and
 * several roles listed for the same block add up. An address no block holds is
 * {@link Role#OFFPREM}. The lookup probes one open-addressing table of (prefix, length) keys once
 * per distinct prefix length present, longest first: no allocation, no lock. Exact addresses,
 * the common case, are the first probe.
 */
public final class Topology {

    /**
     * One binding.
     *
     * @param role     the role
     * @param block    the address or block
     * @param evidence why it was bound (for inferred topologies; empty when given by the user)
     */
    public record Entry(Role role, AddressBlock block, List<String> evidence) {
        public Entry {
            evidence = List.copyOf(evidence);
        }
    }

    private static final Topology EMPTY = new Builder().build();

    private final List<Entry> entries;
    private final boolean inferred;
    private final long[] keyHi;
    private final long[] keyLo;
    private final int[] keyLen; // -1 = empty slot
    private final int[] keyRoles;
    private final int mask;
    private final int[] lengths; // distinct prefix lengths, longest first

    private Topology(final List<Entry> entries, final boolean inferred) {
        this.entries = Collections.unmodifiableList(new ArrayList<>(entries));
        this.inferred = inferred;
        int cap = 16;
        while (cap < entries.size() * 3) {
            cap <<= 1;
        }
        keyHi = new long[cap];
        keyLo = new long[cap];
        keyLen = new int[cap];
        keyRoles = new int[cap];
        java.util.Arrays.fill(keyLen, -1);
        mask = cap - 1;
        final TreeSet<Integer> lens = new TreeSet<>(Collections.reverseOrder());
        for (Entry e : entries) {
            final AddressBlock b = e.block();
            lens.add(b.prefixLen());
            int slot = slot(b.hi(), b.lo(), b.prefixLen());
            while (keyLen[slot] != -1 && !(keyLen[slot] == b.prefixLen() && keyHi[slot] == b.hi() && keyLo[slot] == b.lo())) {
                slot = (slot + 1) & mask;
            }
            keyHi[slot] = b.hi();
            keyLo[slot] = b.lo();
            keyLen[slot] = b.prefixLen();
            keyRoles[slot] |= e.role().bit();
        }
        lengths = lens.stream().mapToInt(Integer::intValue).toArray();
    }

    private int slot(final long hi, final long lo, final int len) {
        long h = hi * 0x9E3779B97F4A7C15L ^ lo * 0xC2B2AE3D27D4EB4FL ^ len * 0x165667B19E3779F9L;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        return (int) h & mask;
    }

    /** No bindings: every address is {@link Role#OFFPREM}. */
    public static Topology empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Role mask of the address ({@link Role#bit()} values); {@link Role#OFFPREM} when unbound. */
    public int roles(final long hi, final long lo) {
        final int[] lens = lengths;
        for (int i = 0; i < lens.length; i++) {
            final int len = lens[i];
            final long h = AddressBlock.maskHi(hi, len);
            final long l = AddressBlock.maskLo(lo, len);
            int slot = slot(h, l, len);
            while (keyLen[slot] != -1) {
                if (keyLen[slot] == len && keyHi[slot] == h && keyLo[slot] == l) {
                    return keyRoles[slot];
                }
                slot = (slot + 1) & mask;
            }
        }
        return Role.OFFPREM.bit();
    }

    /** The bindings in the order they were added. */
    public List<Entry> entries() {
        return entries;
    }

    /** True when the roles were inferred from the traffic rather than given. */
    public boolean inferred() {
        return inferred;
    }

    /** True when nothing is bound. */
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Collects bindings; not thread-safe. */
    public static final class Builder {
        private final List<Entry> entries = new ArrayList<>();
        private boolean inferred;

        /** Binds {@code role} to an address or CIDR block given as text. */
        public Builder add(final Role role, final String addressOrCidr) {
            return add(role, AddressBlock.parse(addressOrCidr), List.of());
        }

        public Builder add(final Role role, final AddressBlock block, final List<String> evidence) {
            entries.add(new Entry(role, block, evidence));
            return this;
        }

        /** Marks the topology as inferred from traffic. */
        public Builder inferred(final boolean value) {
            inferred = value;
            return this;
        }

        public Topology build() {
            return new Topology(entries, inferred);
        }
    }
}
