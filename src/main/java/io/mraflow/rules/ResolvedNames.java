package io.mraflow.rules;

import io.mraflow.flow.FlowRecord;
import io.mraflow.inspect.DnsExchange;
import io.mraflow.inspect.FlowInspection;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The names DNS answers gave to addresses, learned from the flows in the order the report reads
 * them, so that a later flow to such an address has a server name even without a TLS SNI (the
 * spec's "a DNS answer seen earlier in the capture"). Bounded: past {@link #DEFAULT_CAPACITY}
 * addresses the one learned longest ago is forgotten, so the same flows read in the same order
 * always give the same names. Report stage, one thread; not thread-safe.
 */
public final class ResolvedNames {
    /** Addresses remembered: a capture's distinct lookups are far fewer; this only bounds memory. */
    public static final int DEFAULT_CAPACITY = 65_536;

    private record Address(long hi, long lo) {
        // Written out: a record's generated equals and hashCode are bootstrapped through method
        // handles on first use, spinning classes, which the one-shot report paid (BENCHMARKS.md, Report stage).
        @Override
        public boolean equals(final Object o) {
            return o instanceof Address a && a.hi == hi && a.lo == lo;
        }

        @Override
        public int hashCode() {
            return 31 * Long.hashCode(hi) + Long.hashCode(lo); // what the record's own gave
        }
    }

    private record Name(String name, long learnedNanos) {
    }

    private final Map<Address, Name> names;
    private final byte[] address = new byte[16];

    public ResolvedNames() {
        this(DEFAULT_CAPACITY);
    }

    public ResolvedNames(final int capacity) {
        this.names = new LinkedHashMap<>(256, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(final Map.Entry<Address, Name> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Remembers the A and AAAA answers of {@code flow}, each under the name the client asked for. */
    public void learn(final FlowRecord flow) {
        final FlowInspection in = flow.inspection();
        final DnsExchange dns = in == null ? null : in.dns();
        if (dns == null) {
            return;
        }
        for (int i = 0; i < dns.answerCount(); i++) {
            if (dns.address(i, address)) {
                final Address key = new Address(getLong(address, 0), getLong(address, 8));
                names.remove(key); // re-learned: now the newest
                names.put(key, new Name(dns.askedName(i), flow.tsNanos()));
            }
        }
    }

    /** The name an answer learned before {@code atNanos} gave the address, or null. */
    public String nameOf(final long hi, final long lo, final long atNanos) {
        final Name n = names.get(new Address(hi, lo));
        return n == null || n.learnedNanos() > atNanos ? null : n.name();
    }

    /** Forgets everything (a report that reads the flows again starts afresh). */
    public void clear() {
        names.clear();
    }

    /** How many addresses are remembered. */
    public int size() {
        return names.size();
    }

    private static long getLong(final byte[] b, final int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | b[at + i] & 0xff;
        }
        return v;
    }
}
