package io.mraflow.rules;

import io.mraflow.flow.FlowRecord;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Who connected to which service of the capture over TCP, and who got no answer: what tells a
 * firewall that drops a port (no client gets an answer on it, while the same server answers on
 * others) from an address the Expressway banned (one client gets no answer where others do, and
 * after it did). Bounded: at most {@link #MAX} servers and clients are followed. Not thread-safe.
 */
final class ConnectAttempts {
    static final int MAX = 4096;
    /** Client addresses kept per server and outcome. */
    static final int CLIENTS_PER_SERVER = 256;

    /** An address, formatted only when a sentence names it (not for every flow counted). */
    record Address(long hi, long lo) {
        @Override
        public String toString() {
            return AddressBlock.format(hi, lo);
        }

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

    /** A service: an address and a port. */
    record Service(Address address, int port) {
        // Written out: a record's generated equals and hashCode are bootstrapped through method
        // handles on first use, spinning classes, which the one-shot report paid (BENCHMARKS.md, Report stage).
        @Override
        public boolean equals(final Object o) {
            return o instanceof Service s && s.port == port && s.address.equals(address);
        }

        @Override
        public int hashCode() {
            return 31 * address.hashCode() + Integer.hashCode(port); // what the record's own gave
        }
    }

    /** What one service saw. */
    static final class ServiceTally {
        String role;
        final Set<Address> answered = new LinkedHashSet<>();
        final Set<Address> unanswered = new LinkedHashSet<>();
        final Set<Address> refused = new LinkedHashSet<>();
        int unansweredFlows;
        int refusedFlows;
    }

    /** What one client saw, over all services. */
    static final class ClientTally {
        long lastAnsweredNanos = Long.MIN_VALUE;
        long firstUnansweredNanos = Long.MAX_VALUE;
    }

    final Map<Service, ServiceTally> services = new LinkedHashMap<>();
    final Map<Address, ClientTally> clients = new LinkedHashMap<>();

    void add(final Verdict v) {
        final FlowRecord f = v.flow();
        final Service key = new Service(new Address(f.respHi(), f.respLo()), f.respPort());
        ServiceTally s = services.get(key);
        if (s == null) {
            if (services.size() >= MAX) {
                return;
            }
            s = new ServiceTally();
            s.role = v.respRole();
            services.put(key, s);
        }
        final Address client = new Address(f.origHi(), f.origLo());
        ClientTally c = clients.get(client);
        if (c == null && clients.size() < MAX) {
            c = new ClientTally();
            clients.put(client, c);
        }
        if (f.connState().equals("REJ")) {
            s.refusedFlows++;
            addCapped(s.refused, client);
        } else if (f.respPkts() == 0) {
            s.unansweredFlows++;
            addCapped(s.unanswered, client);
            if (c != null) {
                c.firstUnansweredNanos = Math.min(c.firstUnansweredNanos, f.tsNanos());
            }
        } else {
            addCapped(s.answered, client);
            if (c != null) {
                c.lastAnsweredNanos = Math.max(c.lastAnsweredNanos, f.tsNanos());
            }
        }
    }

    private static void addCapped(final Set<Address> set, final Address client) {
        if (set.size() < CLIENTS_PER_SERVER) {
            set.add(client);
        }
    }

    /** Ports on {@code address} that answered someone. */
    Set<Integer> answeringPorts(final Address address) {
        final Set<Integer> ports = new LinkedHashSet<>();
        services.forEach((k, s) -> {
            if (k.address().equals(address) && !s.answered.isEmpty()) {
                ports.add(k.port());
            }
        });
        return ports;
    }

    /** Clients that got an answer from any port of {@code address}. */
    Set<Address> answeredClients(final Address address) {
        final Set<Address> all = new LinkedHashSet<>();
        services.forEach((k, s) -> {
            if (k.address().equals(address)) {
                all.addAll(s.answered);
            }
        });
        return all;
    }
}
