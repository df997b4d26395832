package io.mraflow.rules;

import io.mraflow.decode.IpProto;
import io.mraflow.flow.FlowRecord;
import io.mraflow.inspect.AppProto;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Infers the roles of addresses from the traffic when no topology was given; stateless, so
 * safe to call from any thread. Runs once per capture over {@link Observation}s of flows (it allocates freely:
 * not the per-packet path). The result is a {@link Topology} marked inferred whose entries carry
 * their evidence; {@link TopologyFile#write} prints it for the user to confirm or correct.
 *
 * <p>The steps, each using what the earlier ones found:
 * <ol>
 * <li><b>EXPC and EXPE_PRIVATE</b>: a host opening TCP to a traversal SIP port (7001..7000+zones)
 * or 2222 is the Expressway-C; the host it opens to is the Expressway-E's inside address.</li>
 * <li><b>EXPE_PUBLIC</b>: a host (not the C) accepting (answering) TCP 5061, 8443 or 5222 from
 * hosts other than the C, on at least two of those ports or from at least three hosts.</li>
 * <li><b>UCM</b>: a host the C opens to on 5060, 5061, 5091, 6970-6972 or 9444, or that opens to
 * the C's 5060/5061; not the Expressway-E.</li>
 * <li><b>IMP</b>: a host the C opens to on 7336, or on 7400 when that host is not the E.</li>
 * <li><b>CUC</b>: a host the C opens to on 7080 or 7443.</li>
 * <li><b>ONPREM_MEDIA</b>: a host with no role yet exchanging UDP with the C where the C's port is
 * in the media range and the host's port is in the on-premises media range.</li>
 * </ol>
 * Hosts the C reaches only on 443/8443 are ambiguous (UCM, IMP or CUC) and are left unassigned.
 * What the C opens counts whether or not it was answered: the C's configuration names its peers,
 * and an unanswered traversal or UCM connection is exactly what a troubleshooter needs to see.
 */
public final class RoleInference {

    private static final int[] EXPE_PUBLIC_PORTS = {5061, 8443, 5222};
    private static final Set<Integer> UCM_PORTS = Set.of(5060, 5061, 5091, 6970, 6971, 6972, 9444);
    /** Distinct openers counted per host (three make an Expressway-E); the evidence says "or more" past it. */
    private static final int MAX_OPENERS_COUNTED = 1000;
    /** Evidence lines kept per role and host; the first ones say enough. */
    private static final int MAX_EVIDENCE = 8;

    private RoleInference() {
    }

    /**
     * What role inference keeps of one flow: its five-tuple, packet counts, whether it was
     * answered and its payload protocol; immutable, a few dozen bytes, so a capture's worth can be
     * kept (the flow records and their inspections are not).
     *
     * @param ipProto  6 or 17
     * @param origHi   opener address, high 64 bits ({@code PacketView}'s form)
     * @param origLo   opener address, low 64 bits
     * @param origPort opener port
     * @param respHi   responder address, high 64 bits
     * @param respLo   responder address, low 64 bits
     * @param respPort responder port
     * @param origPkts packets from the opener
     * @param respPkts packets from the responder
     * @param answered the responder answered: sent any packet back, other than a TCP reset refusing the SYN
     * @param appProto the payload protocol seen, an {@code AppProto} constant (TURN channel data as STUN)
     */
    public record Observation(int ipProto, long origHi, long origLo, int origPort, long respHi, long respLo, int respPort,
            long origPkts, long respPkts, boolean answered, int appProto) {

        /** The summary of a finished flow record. */
        public static Observation of(final FlowRecord r) {
            final boolean answered = r.respPkts() > 0 && !"REJ".equals(r.connState());
            final int app = r.inspection() == null ? AppProto.UNKNOWN : r.inspection().appProto();
            return new Observation(r.ipProto(), r.origHi(), r.origLo(), r.origPort(), r.respHi(), r.respLo(), r.respPort(),
                    r.origPkts(), r.respPkts(), answered, app == AppProto.TURN_CHANNEL ? AppProto.STUN : app);
        }
    }

    /** An address as a map key. */
    private record Host(long hi, long lo) implements Comparable<Host> {
        @Override
        public int compareTo(final Host o) {
            final int c = Long.compareUnsigned(hi, o.hi);
            return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
        }

        @Override
        public String toString() {
            return AddressBlock.format(hi, lo);
        }
    }

    /** A TCP flow opened from one host to a port of another. */
    private record Opened(Host from, Host to, int port) {
    }

    /** Evidence collected per (role, host). */
    private static final class Found {
        final Map<Role, Map<Host, List<String>>> byRole = new EnumMap<>(Role.class);

        void add(final Role role, final Host host, final String evidence) {
            final List<String> ev = byRole.computeIfAbsent(role, k -> new TreeMap<>()).computeIfAbsent(host, k -> new ArrayList<>());
            if (ev.size() < MAX_EVIDENCE && !ev.contains(evidence)) {
                ev.add(evidence);
            }
        }

        boolean hasAny(final Host host) {
            for (Map<Host, List<String>> m : byRole.values()) {
                if (m.containsKey(host)) {
                    return true;
                }
            }
            return false;
        }

        Set<Host> hosts(final Role role) {
            final Map<Host, List<String>> m = byRole.get(role);
            return m == null ? Set.of() : m.keySet();
        }
    }

    /**
     * Infers roles from {@code flows} under {@code settings} (traversal ports, media ranges).
     * Reads {@code flows} twice (the Expressway-C first, then what it and others did) and keeps
     * only per-host evidence, each host's bounded, never the flows: a capture of millions of
     * flows costs no more memory than its Expressways and their peers.
     */
    public static Topology infer(final Iterable<Observation> flows, final Settings settings) {
        final Scan scan = new Scan(settings);
        final Iterator<Observation> first = flows.iterator();
        while (scan.traversal(first)) {
            // a chunk a call
        }
        scan.traversalDone();
        final Iterator<Observation> second = flows.iterator();
        while (scan.others(second)) {
            // a chunk a call
        }
        return scan.topology();
    }

    /**
     * One inference's evidence, gathered a chunk of flows at a time: {@link #infer} runs once per
     * report, so a loop over every flow in it would stay in the interpreter (and each summary made
     * by the iterator would be allocated); these methods are called once per {@link #CHUNK} flows,
     * often enough to be compiled, with the summaries' making inlined.
     */
    private static final class Scan {
        static final int CHUNK = 32;
        private final Found found = new Found();
        private final PortSet traversalSip;
        private final PortSet media;
        private final PortSet onprem;
        private final PortSet turnPorts;
        private final Map<Opened, Integer> counts = new TreeMap<>(
                Comparator.comparing(Opened::from).thenComparing(Opened::to).thenComparingInt(Opened::port));
        private Set<Host> expc;
        private Set<Host> expePrivate;
        private Host[] expcHosts;
        private final Map<Host, Set<Integer>> portsSeen = new TreeMap<>();
        private final Map<Host, Set<Host>> openers = new TreeMap<>();
        private final Map<Host, String> onpremMedia = new TreeMap<>();
        private final Map<Host, Set<Host>> turnClients = new TreeMap<>();

        Scan(final Settings settings) {
            traversalSip = settings.ports("traversal-sip");
            media = settings.ports("media-range");
            onprem = settings.ports("onprem-media-range");
            turnPorts = settings.ports("turn-ports");
        }

        /** {@link #traversal(Observation)} for the next chunk of {@code flows}; whether any are left. */
        boolean traversal(final Iterator<Observation> flows) {
            for (int i = 0; i < CHUNK && flows.hasNext(); i++) {
                traversal(flows.next());
            }
            return flows.hasNext();
        }

        /** {@link #others(Observation)} for the next chunk of {@code flows}; whether any are left. */
        boolean others(final Iterator<Observation> flows) {
            for (int i = 0; i < CHUNK && flows.hasNext(); i++) {
                others(flows.next());
            }
            return flows.hasNext();
        }

        /** 1. EXPC and EXPE_PRIVATE: who opens the traversal ports, towards whom. */
        void traversal(final Observation f) {
            // TLS or SSH spoken: a scanner's SYN to 7001 or 2222 shows no Expressway-C
            if (f.ipProto() == IpProto.TCP && (traversalSip.contains(f.respPort()) || f.respPort() == 2222) && f.answered()
                    && (f.appProto() == AppProto.TLS || f.appProto() == AppProto.SSH)) {
                counts.merge(new Opened(orig(f), resp(f), f.respPort()), 1, Integer::sum);
            }
        }

        void traversalDone() {
            // Between two hosts the direction with more such flows is the real one: a stray flow the
            // other way (the E opening 7001 towards the C) is the WRONG_DIRECTION finding, not a role.
            final Map<List<Host>, Integer> byDirection = new TreeMap<>(
                    Comparator.comparing((List<Host> l) -> l.get(0)).thenComparing(l -> l.get(1)));
            for (Map.Entry<Opened, Integer> e : counts.entrySet()) {
                byDirection.merge(List.of(e.getKey().from(), e.getKey().to()), e.getValue(), Integer::sum);
            }
            for (Map.Entry<Opened, Integer> e : counts.entrySet()) {
                final int forward = byDirection.get(List.of(e.getKey().from(), e.getKey().to()));
                final int backward = byDirection.getOrDefault(List.of(e.getKey().to(), e.getKey().from()), 0);
                if (backward > forward) {
                    continue;
                }
                final Host c = e.getKey().from();
                final Host ex = e.getKey().to();
                final int port = e.getKey().port();
                final String what = port == 2222 ? "the SSH tunnel port 2222 (T3.1)" : "traversal SIP port " + port + " (T3.2)";
                found.add(Role.EXPC, c, "opened TCP to " + what + " on " + ex + " (" + plural(e.getValue(), "flow") + ")");
                found.add(Role.EXPE_PRIVATE, ex, "accepted TCP on " + what + " from " + c + " (" + plural(e.getValue(), "flow") + ")");
            }
            expc = found.hosts(Role.EXPC);
            expePrivate = found.hosts(Role.EXPE_PRIVATE);
            expcHosts = expc.toArray(new Host[0]);
        }

        /** 2-6 in one more pass, now that the C is known. */
        void others(final Observation f) {
            final boolean touchesC = touches(expcHosts, f);
            if (!touchesC && f.answered() && f.appProto() == AppProto.STUN && turnPorts.contains(f.respPort())) {
                // 2b. TURN allocations answered for several outside hosts: a TURN server, the E's outside
                final Set<Host> from = turnClients.computeIfAbsent(resp(f), k -> new TreeSet<>());
                if (from.size() < MAX_OPENERS_COUNTED) {
                    from.add(orig(f));
                }
            }
            if (f.ipProto() == IpProto.TCP && !touchesC && f.answered() && contains(EXPE_PUBLIC_PORTS, f.respPort())
                    && speaksMra(f)) {
                // 2. EXPE_PUBLIC: accepts 5061/8443/5222 from outside hosts. Unanswered SYNs from the
                // internet are scans, not an Expressway-E accepting them.
                final Host r = resp(f);
                portsSeen.computeIfAbsent(r, k -> new TreeSet<>()).add(f.respPort());
                final Set<Host> from = openers.computeIfAbsent(r, k -> new TreeSet<>());
                if (from.size() < MAX_OPENERS_COUNTED) {
                    from.add(orig(f));
                }
            } else if (f.ipProto() == IpProto.TCP && touchesC) {
                // 3-5. What the C opens towards: UCM, IMP, CUC.
                final Host o = orig(f);
                final Host r = resp(f);
                final int p = f.respPort();
                if (expc.contains(o) && !expePrivate.contains(r)) {
                    if (UCM_PORTS.contains(p)) {
                        found.add(Role.UCM, r, "accepted TCP " + p + " from the Expressway-C " + o);
                    } else if (p == 7336 || p == 7400) {
                        found.add(Role.IMP, r, "accepted TCP " + p + " from the Expressway-C " + o);
                    } else if (p == 7080 || p == 7443) {
                        found.add(Role.CUC, r, "accepted TCP " + p + " from the Expressway-C " + o);
                    }
                } else if (expc.contains(r) && (p == 5060 || p == 5061) && !expePrivate.contains(o)) {
                    found.add(Role.UCM, o, "opened TCP to the Expressway-C's " + p + " from port " + f.origPort() + " (T4.2/T4.4/T4.6)");
                }
            } else if (f.ipProto() == IpProto.UDP && touchesC) {
                // 6. ONPREM_MEDIA: media between the C's media range and a host's on-premises media
                // range; the first such flow of each host is its evidence.
                if (!isRtp(f)) {
                    return; // ports alone cannot tell media from any other UDP
                }
                final Host o = orig(f);
                final Host r = resp(f);
                if (expc.contains(o) && media.contains(f.origPort()) && onprem.contains(f.respPort())) {
                    onpremMedia.putIfAbsent(r, "received UDP media on " + f.respPort() + " from the Expressway-C " + o + " (T4.18)");
                } else if (expc.contains(r) && media.contains(f.respPort()) && onprem.contains(f.origPort())) {
                    onpremMedia.putIfAbsent(o, "sent UDP media from " + f.origPort() + " to the Expressway-C " + r + " (T4.18)");
                }
            }
        }

        Topology topology() {
            for (Map.Entry<Host, Set<Integer>> e : portsSeen.entrySet()) {
                final Set<Host> from = openers.get(e.getKey());
                if (e.getValue().size() >= 2 || from.size() >= 3) {
                    final String hosts = from.size() >= MAX_OPENERS_COUNTED
                            ? MAX_OPENERS_COUNTED + " or more outside hosts" : plural(from.size(), "outside host");
                    found.add(Role.EXPE_PUBLIC, e.getKey(), "accepted TCP " + join(e.getValue()) + " from " + hosts
                            + " (T2.1/T2.2/T2.5)");
                }
            }
            for (Map.Entry<Host, Set<Host>> e : turnClients.entrySet()) {
                if (e.getValue().size() >= 2 && !expc.contains(e.getKey())) {
                    found.add(Role.EXPE_PUBLIC, e.getKey(), "answered TURN (STUN on its TURN port) for "
                            + plural(e.getValue().size(), "outside host") + " (T2.6)");
                }
            }
            for (Map.Entry<Host, String> e : onpremMedia.entrySet()) {
                if (!found.hasAny(e.getKey())) {
                    found.add(Role.ONPREM_MEDIA, e.getKey(), e.getValue());
                }
            }

            final Topology.Builder b = Topology.builder().inferred(true);
            for (Map.Entry<Role, Map<Host, List<String>>> e : found.byRole.entrySet()) {
                for (Map.Entry<Host, List<String>> h : e.getValue().entrySet()) {
                    b.add(e.getKey(), new AddressBlock(h.getKey().hi(), h.getKey().lo(), 128), h.getValue());
                }
            }
            return b.build();
        }
    }

    /** The inferred roles per address, for reports: address text to role label. */
    public static Map<String, String> summary(final Topology t) {
        final Map<String, Integer> m = new LinkedHashMap<>();
        for (Topology.Entry e : t.entries()) {
            m.merge(e.block().toString(), e.role().bit(), (a, b) -> a | b);
        }
        final Map<String, String> out = new LinkedHashMap<>();
        m.entrySet().stream().sorted(Comparator.comparing(Map.Entry::getKey))
                .forEach(e -> out.put(e.getKey(), Role.label(e.getValue())));
        return out;
    }

    /** TLS on 5061 and 8443; XMPP (or TLS) on 5222: what only an Expressway-E answers there. */
    private static boolean speaksMra(final Observation f) {
        return f.appProto() == AppProto.TLS || (f.respPort() == 5222 && f.appProto() == AppProto.XMPP);
    }

    private static boolean isRtp(final Observation f) {
        return f.appProto() == AppProto.RTP || f.appProto() == AppProto.RTCP;
    }

    private static Host orig(final Observation f) {
        return new Host(f.origHi(), f.origLo());
    }

    private static Host resp(final Observation f) {
        return new Host(f.respHi(), f.respLo());
    }

    /** Whether either end of {@code f} is one of {@code hosts}; makes no Host (runs for every flow). */
    private static boolean touches(final Host[] hosts, final Observation f) {
        for (Host h : hosts) {
            if ((h.hi() == f.origHi() && h.lo() == f.origLo()) || (h.hi() == f.respHi() && h.lo() == f.respLo())) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(final int[] ports, final int p) {
        for (int x : ports) {
            if (x == p) {
                return true;
            }
        }
        return false;
    }

    private static String join(final Set<Integer> ports) {
        final StringBuilder b = new StringBuilder();
        for (int p : ports) {
            b.append(b.length() == 0 ? "" : ", ").append(p);
        }
        return b.toString();
    }

    private static String plural(final int n, final String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }
}
