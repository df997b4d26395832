package io.mraflow.rules;

import java.util.Locale;

import io.mraflow.inspect.AppProto;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Builds flows from the rows of the port reference, and says what a flow should be classified as
 * by a plain, set-based reading of the rows (an oracle independent of the classifier's arrays).
 * Public and free of JUnit so that end-to-end tests (which turn these flows into capture bytes)
 * can reuse it. Not thread-safe; cheap to create.
 *
 * <p>Addresses of the test topology ({@link #topology()}):
 * <pre>
 * OFFPREM       198.51.100.7, 192.0.2.44 (unbound: off-premises by default)
 * EXPE_PUBLIC   203.0.113.5
 * EXPE_PRIVATE  172.16.0.5           (dual-NIC; {@link #singleNicTopology()} binds both to 203.0.113.5)
 * EXPC          10.0.0.5
 * UCM           10.0.1.10
 * IMP           10.0.1.20
 * CUC           10.0.1.30
 * ONPREM_MEDIA  10.20.0.0/16 (10.20.3.4 used in flows)
 * CLOUD         52.0.0.9 with the row's SNI
 * </pre>
 */
public final class ReferenceFlows {
    public static final String OFFPREM_A = "198.51.100.7";
    public static final String OFFPREM_B = "192.0.2.44";
    public static final String EXPE_PUBLIC = "203.0.113.5";
    public static final String EXPE_PRIVATE = "172.16.0.5";
    public static final String EXPC = "10.0.0.5";
    public static final String UCM = "10.0.1.10";
    public static final String IMP = "10.0.1.20";
    public static final String CUC = "10.0.1.30";
    public static final String ONPREM_MEDIA = "10.20.3.4";
    public static final String CLOUD = "52.0.0.9";

    /** What a flow should be classified as. */
    public record Expected(int row, FindingCode finding, int citedRow) {
        @Override
        public String toString() {
            return "row=" + row + (finding == null ? "" : " " + finding + "@" + citedRow);
        }
    }

    private final CompiledReference ref;
    private final boolean singleNic;

    /** Flows between the addresses of {@link #topology()}. */
    public ReferenceFlows(CompiledReference ref) {
        this(ref, false);
    }

    /** Flows between the addresses of {@link #singleNicTopology()} when {@code singleNic}, else {@link #topology()}. */
    public ReferenceFlows(CompiledReference ref, boolean singleNic) {
        this.ref = ref;
        this.singleNic = singleNic;
    }

    /** The topology these flows' addresses belong to. */
    public Topology flowTopology() {
        return singleNic ? singleNicTopology() : topology();
    }

    /** The dual-NIC test topology. */
    public static Topology topology() {
        return Topology.builder()
                .add(Role.EXPE_PUBLIC, EXPE_PUBLIC).add(Role.EXPE_PRIVATE, EXPE_PRIVATE).add(Role.EXPC, EXPC)
                .add(Role.UCM, UCM).add(Role.IMP, IMP).add(Role.CUC, CUC).add(Role.ONPREM_MEDIA, "10.20.0.0/16").build();
    }

    /** The same with a single-NIC Expressway-E: 203.0.113.5 is both EXPE_PUBLIC and EXPE_PRIVATE. */
    public static Topology singleNicTopology() {
        return Topology.builder()
                .add(Role.EXPE_PUBLIC, EXPE_PUBLIC).add(Role.EXPE_PRIVATE, EXPE_PUBLIC).add(Role.EXPC, EXPC)
                .add(Role.UCM, UCM).add(Role.IMP, IMP).add(Role.CUC, CUC).add(Role.ONPREM_MEDIA, "10.20.0.0/16").build();
    }

    /** The test address of a role in this builder's topology. */
    public String address(Role role) {
        return singleNic && role == Role.EXPE_PRIVATE ? EXPE_PUBLIC : address(role, false);
    }

    /** The test address of a role (dual-NIC unless {@code singleNic}). */
    public static String address(Role role, boolean singleNic) {
        switch (role) {
            case OFFPREM:
                return OFFPREM_A;
            case EXPE_PUBLIC:
                return EXPE_PUBLIC;
            case EXPE_PRIVATE:
                return singleNic ? EXPE_PUBLIC : EXPE_PRIVATE;
            case EXPC:
                return EXPC;
            case UCM:
                return UCM;
            case IMP:
                return IMP;
            case CUC:
                return CUC;
            default:
                return ONPREM_MEDIA;
        }
    }

    /** The role the natural flow of a row uses for a role set: ANY is an off-premises host, EXPE its public side unless the C talks to it. */
    public static Role natural(int roles, boolean opener, ReferenceRow row) {
        if ((roles & Role.ALL_MASK) == Role.ALL_MASK) {
            return Role.OFFPREM;
        }
        if ((roles & Role.EXPE_MASK) == Role.EXPE_MASK) {
            return !opener && Role.EXPC.in(row.openerRoles()) && !row.openerAny() ? Role.EXPE_PRIVATE : Role.EXPE_PUBLIC;
        }
        return Role.of(Integer.numberOfTrailingZeros(roles));
    }

    /** The payload protocol a flow of this row naturally carries (one the row accepts). */
    public static int naturalPayload(ReferenceRow row) {
        for (int p : new int[] {AppProto.RTP, AppProto.TLS, AppProto.SIP, AppProto.XMPP, AppProto.HTTP, AppProto.STUN, AppProto.SSH}) {
            if ((row.payload() & AppProto.bit(p)) != 0) {
                return p;
            }
        }
        return AppProto.UNKNOWN;
    }

    /** A flow of {@code row} between the natural roles with the given ports. */
    public FlowFacts flow(int row, int openerPort, int responderPort) {
        final ReferenceRow r = ref.row(row);
        final Role o = natural(r.openerRoles(), true, r);
        final Role p = natural(r.responderRoles(), false, r);
        return flow(row, o, p, openerPort, responderPort);
    }

    /**
     * A flow of {@code row} between the test addresses of {@code opener} and {@code responder}. When
     * both roles name one host (an off-premises pair, or a single-NIC E), the responder is another
     * off-premises host for OFFPREM, otherwise the result is null: a host does not open flows to itself.
     */
    public FlowFacts flow(int row, Role opener, Role responder, int openerPort, int responderPort) {
        final ReferenceRow r = ref.row(row);
        final String oAddr = address(opener);
        String pAddr = r.sniHost() != null ? CLOUD : address(responder);
        if (pAddr.equals(oAddr)) {
            if (responder != Role.OFFPREM) {
                return null;
            }
            pAddr = OFFPREM_B; // T1.1: two different off-premises endpoints
        }
        final long[] a = new long[2];
        final long[] b = new long[2];
        AddressBlock.parseAddress(oAddr, a);
        AddressBlock.parseAddress(pAddr, b);
        final FlowFacts f = new FlowFacts().set((r.transports() & ReferenceRow.TCP_BIT) != 0 ? 6 : 17, a[0], a[1], openerPort,
                b[0], b[1], responderPort);
        f.appProto = naturalPayload(r);
        f.sni = r.sniHost();
        f.iceEvidence = r.ice();
        return f;
    }

    /** Every transport of the row, as IP protocol numbers. */
    public int[] ipProtos(int row) {
        final ReferenceRow r = ref.row(row);
        return r.transports() == (ReferenceRow.TCP_BIT | ReferenceRow.UDP_BIT) ? new int[] {6, 17}
                : (r.transports() & ReferenceRow.TCP_BIT) != 0 ? new int[] {6} : new int[] {17};
    }

    /** Representative ports of a set: low, middle and high of each range. */
    public static List<Integer> inside(PortSet s) {
        final List<Integer> out = new ArrayList<>();
        for (int i = 0; i < s.rangeCount(); i++) {
            for (int p : new int[] {s.low(i), s.low(i) + (s.high(i) - s.low(i)) / 2, s.high(i)}) {
                if (!out.contains(p)) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    /** Ports one outside each range edge of a set (that are valid ports and not in the set). */
    public static List<Integer> outside(PortSet s) {
        final List<Integer> out = new ArrayList<>();
        for (int i = 0; i < s.rangeCount(); i++) {
            for (int p : new int[] {s.low(i) - 1, s.high(i) + 1}) {
                if (p >= 0 && p <= 65535 && !s.contains(p) && !out.contains(p)) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    /** Flows of the row with natural roles, every transport, ports at each range's low, middle and high. */
    public List<FlowFacts> insideFlows(int row) {
        final List<FlowFacts> out = new ArrayList<>();
        for (int proto : ipProtos(row)) {
            for (int op : inside(ref.openerPorts(row))) {
                for (int rp : inside(ref.responderPorts(row))) {
                    final FlowFacts f = flow(row, op, rp);
                    f.ipProto = proto;
                    out.add(f);
                }
            }
        }
        return out;
    }

    /** The flow opened the other way: addresses and ports swapped. */
    public static FlowFacts reversed(FlowFacts f) {
        final FlowFacts r = new FlowFacts().copyFrom(f);
        r.set(f.ipProto, f.respHi, f.respLo, f.respPort, f.origHi, f.origLo, f.origPort);
        return r;
    }

    // ---- the oracle --------------------------------------------------------------------------

    /** Rows that fit {@code f} as documented (transport, ports, roles when a topology is given, ICE, SNI). */
    public List<Integer> fits(FlowFacts f, Topology topology) {
        return rows(f, topology, true, true, false);
    }

    private List<Integer> rows(FlowFacts f, Topology topology, boolean checkOpenerPort, boolean rolesForward, boolean rolesReversed) {
        final List<Integer> out = new ArrayList<>();
        final int oRoles = topology == null ? Role.ALL_MASK : topology.roles(f.origHi, f.origLo);
        final int rRoles = topology == null ? Role.ALL_MASK : topology.roles(f.respHi, f.respLo);
        for (ReferenceRow r : ref.reference().rows()) {
            final int i = r.index();
            if (!ref.active(i) || !r.carries(f.ipProto) || (r.ice() && !f.iceEvidence)) {
                continue;
            }
            if (r.sniHost() != null && (f.sni == null || !(f.sni.equalsIgnoreCase(r.sniHost())
                    || f.sni.toLowerCase(Locale.ROOT).endsWith("." + r.sniHost())))) {
                continue;
            }
            if (!ref.responderPorts(i).contains(f.respPort)) {
                continue;
            }
            if (topology != null && isMediaRow(r) && !isMedia(f.appProto)) {
                continue; // with roles, a media row needs media on the flow: ports cannot tell
            }
            if (checkOpenerPort && !ref.openerPorts(i).contains(f.origPort)) {
                continue;
            }
            if (rolesForward && ((r.openerRoles() & oRoles) == 0 || (r.responderRoles() & rRoles) == 0)) {
                continue;
            }
            if (rolesReversed && ((r.openerRoles() & rRoles) == 0 || (r.responderRoles() & oRoles) == 0
                    || ref.responderPorts(i).size() > ref.openerPorts(i).size())) {
                continue; // only a row's service side (no more responder than opener ports) has a "service port"
            }
            out.add(i);
        }
        return out;
    }

    /** The most specific of the rows, by the spec's rule (narrow source, role-bound over ANY with roles, narrow destination, order). */
    public int mostSpecific(List<Integer> rows, boolean withRoles) {
        Comparator<Integer> c = Comparator.comparingInt(i -> ref.openerPorts(i).size());
        if (withRoles) {
            c = c.thenComparingInt(i -> (ref.row(i).openerAny() ? 1 : 0) + (ref.row(i).responderAny() ? 1 : 0));
        }
        c = c.thenComparingInt(i -> ref.responderPorts(i).size()).thenComparingInt(i -> i);
        return rows.stream().min(c).orElse(-1);
    }

    /** Whether row {@code i} documents {@code app}: always when nothing was identified or the row names no protocol. */
    public boolean carries(int i, int app) {
        final int payload = ref.row(i).payload();
        return app == AppProto.UNKNOWN || payload == 0 || (payload & AppProto.bit(app)) != 0;
    }

    private static boolean isMedia(int app) {
        return app == AppProto.RTP || app == AppProto.RTCP || app == AppProto.STUN || app == AppProto.DTLS;
    }

    /** A row every protocol of which is media (RTP, RTCP, STUN, DTLS). */
    private static boolean isMediaRow(ReferenceRow r) {
        final int media = AppProto.bit(AppProto.RTP) | AppProto.bit(AppProto.RTCP) | AppProto.bit(AppProto.STUN)
                | AppProto.bit(AppProto.DTLS);
        return r.payload() != 0 && (r.payload() & ~media) == 0;
    }

    /** What the spec says {@code f} is, before payload checks and footnotes. */
    public Expected expect(FlowFacts f, Topology topology) {
        final boolean withRoles = topology != null;
        if (f.ipProto != 6 && f.ipProto != 17) {
            return new Expected(-1, FindingCode.UNDOCUMENTED, -1);
        }
        final List<Integer> fwd = fits(f, topology);
        if (!fwd.isEmpty()) {
            return new Expected(mostSpecific(fwd, withRoles), null, -1);
        }
        final List<Integer> rev = fits(reversed(f), topology);
        rev.removeIf(i -> !carries(i, f.appProto)); // backwards only when the payload fits the reversed row
        if (!rev.isEmpty()) {
            return new Expected(-1, FindingCode.WRONG_DIRECTION, mostSpecific(rev, withRoles));
        }
        final List<Integer> srcOff = rows(f, topology, false, true, false);
        if (!withRoles) {
            srcOff.removeIf(i -> ref.responderPorts(i).size() > ref.openerPorts(i).size());
        }
        if (!srcOff.isEmpty()) {
            return new Expected(-1, FindingCode.SOURCE_PORT_OUTSIDE_RANGE, mostSpecific(srcOff, withRoles));
        }
        if (withRoles) {
            final List<Integer> swapped = rows(f, topology, false, false, true);
            swapped.removeIf(i -> !carries(i, f.appProto));
            if (!swapped.isEmpty()) {
                return new Expected(-1, FindingCode.WRONG_DIRECTION, mostSpecific(swapped, true));
            }
        }
        return new Expected(-1, FindingCode.UNDOCUMENTED, -1);
    }

    /** The classifier's verdict in the oracle's terms (the first Classifier finding, by ordinal). */
    public static Expected actual(ClassifierResult v) {
        for (FindingCode c : new FindingCode[] {FindingCode.UNDOCUMENTED, FindingCode.WRONG_DIRECTION,
            FindingCode.SOURCE_PORT_OUTSIDE_RANGE}) {
            if (v.has(c)) {
                return new Expected(v.row, c, v.rowOf(c));
            }
        }
        return new Expected(v.row, null, -1);
    }
}
