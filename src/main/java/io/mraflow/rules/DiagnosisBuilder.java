package io.mraflow.rules;

import io.mraflow.decode.IpProto;
import io.mraflow.flow.FlowRecord;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Builds the {@link Diagnosis} of a capture from its verdicts, one at a time as the report streams
 * them (nothing per flow is kept but a bounded sample of the failing ones): each verdict's row names
 * its {@link Stage} (the port reference's {@code stage=} flag), the stage counts its flows and the
 * failures among them, and what the capture could see (the outside, the DMZ, the inside) decides
 * between {@code absent} and {@code n/a} for a stage with no flows. {@link DiagnosisCauses} turns the
 * first failing stage into a sentence. One instance per report; not thread-safe.
 */
public final class DiagnosisBuilder {
    /** Failing flows kept per stage for the cause; the count goes on past it. */
    static final int FAILURES_KEPT = 64;
    /** Community IDs given as evidence per stage. */
    static final int EVIDENCE = 5;

    /** Findings that say a stage's flow failed (the others say a flow does not belong, not that it broke). */
    static final EnumSet<FindingCode> FAILURES = EnumSet.of(FindingCode.TCP_UNANSWERED, FindingCode.TCP_RESET,
            FindingCode.ICMP_UNREACHABLE, FindingCode.TLS_ALERT, FindingCode.ONE_WAY_MEDIA, FindingCode.RTP_LOSS,
            FindingCode.RTP_JITTER, FindingCode.CISCO_UDS_OUTSIDE);

    private final CompiledReference reference;
    private final Function<FlowRecord, String> flowId;
    private final Map<String, Stage> stageOfRow = new LinkedHashMap<>();
    private final EnumMap<Stage, Tally> tallies = new EnumMap<>(Stage.class);
    private final ConnectAttempts attempts = new ConnectAttempts();
    private final MediaLegs media = new MediaLegs();
    private boolean outsideSeen;
    private boolean dmzSeen;
    private boolean insideSeen;
    private boolean anyRoles;

    /**
     * @param reference the compiled port reference (its rows name their stages)
     * @param flowId    a flow's identifier for the evidence (its Community ID)
     */
    public DiagnosisBuilder(final CompiledReference reference, final Function<FlowRecord, String> flowId) {
        this.reference = reference;
        this.flowId = flowId;
        for (int i = 0; i < reference.rowCount(); i++) {
            final ReferenceRow row = reference.row(i);
            if (row.stage() != null) {
                stageOfRow.putIfAbsent(row.id(), row.stage());
            }
        }
        for (Stage s : Stage.values()) {
            tallies.put(s, new Tally());
        }
    }

    /** Counts one flow's verdict. */
    public void add(final Verdict v) {
        final FlowRecord f = v.flow();
        final String o = v.origRole();
        final String r = v.respRole();
        if (o != null && r != null) {
            anyRoles = true;
            see(o, r);
        }
        final Stage stage = stageOf(v);
        if (stage == null) {
            return;
        }
        final Tally t = tallies.get(stage);
        t.flows++;
        boolean failed = false;
        for (Verdict.Finding x : v.findings()) {
            if (FAILURES.contains(x.code()) && counts(x.code(), f)) {
                failed = true;
                t.codes.add(x.code());
                t.codeCounts.merge(x.code(), 1, Integer::sum);
            }
        }
        if (failed) {
            t.failing++;
            if (t.failures.size() < FAILURES_KEPT) {
                t.failures.add(v);
            }
            if (t.failingEvidence.size() < EVIDENCE) {
                t.failingEvidence.add(flowId.apply(f));
            }
        } else if (t.healthyEvidence.size() < EVIDENCE) {
            t.healthyEvidence.add(flowId.apply(f));
        }
        if (f.ipProto() == IpProto.TCP && stage != Stage.DNS) {
            attempts.add(v);
        }
        if (stage == Stage.MEDIA) {
            media.add(v);
        }
    }

    /**
     * A reset counts as the stage failing when the service never answered in its own protocol: the
     * connection was refused, or reset before the responder sent a byte. A reset after both sides
     * talked is how many clients end a session; it stays a finding on its flow.
     */
    private static boolean counts(final FindingCode code, final FlowRecord f) {
        if (code != FindingCode.TCP_RESET) {
            return true;
        }
        return f.connState().equals("REJ") || f.respBytes() == 0;
    }

    private Stage stageOf(final Verdict v) {
        if (v.row() != null) {
            return stageOfRow.get(v.row());
        }
        final FlowRecord f = v.flow();
        // DNS has no row of the reference: it is the client's own resolver, before any Expressway.
        // A query was sent (a scanner's SYN to 53 is not DNS).
        return "dns".equals(v.appProto()) || f.respPort() == 53 && f.origBytes() > 0 ? Stage.DNS : null;
    }

    /** What the capture can see, from the roles at the two ends of a flow. */
    private void see(final String o, final String r) {
        final boolean oe = o.contains("EXPE");
        final boolean re = r.contains("EXPE");
        final boolean oc = o.contains("EXPC");
        final boolean rc = r.contains("EXPC");
        if ((oe && r.contains("OFFPREM")) || (re && o.contains("OFFPREM")) || o.contains("EXPE_PUBLIC")
                || r.contains("EXPE_PUBLIC")) {
            outsideSeen = true;
        }
        if ((oc && re) || (rc && oe)) {
            dmzSeen = true;
        }
        if ((oc || rc) && (inside(o) || inside(r))) {
            insideSeen = true;
        }
    }

    private static boolean inside(final String roles) {
        return roles.contains("UCM") || roles.contains("IMP") || roles.contains("CUC") || roles.contains("ONPREM_MEDIA");
    }

    /** The diagnosis of every flow added so far. */
    public Diagnosis finish() {
        final List<Diagnosis.StageResult> results = new ArrayList<>();
        Stage first = null;
        for (Stage s : Stage.values()) {
            final Diagnosis.StageResult r = result(s, tallies.get(s));
            if (first == null && r.status() == Stage.Status.FAILING) {
                first = s;
            }
            results.add(r);
        }
        final String cause = first == null ? null
                : new DiagnosisCauses(reference, attempts, media).cause(first, tallies.get(first).failures);
        return new Diagnosis(results, first, cause);
    }

    private Diagnosis.StageResult result(final Stage s, final Tally t) {
        final List<FindingCode> codes = new ArrayList<>(t.codes);
        codes.sort((a, b) -> a.severity() != b.severity() ? b.severity().compareTo(a.severity()) : a.compareTo(b));
        if (t.failing > 0) {
            final StringBuilder d = new StringBuilder().append(t.failing).append(" of ").append(t.flows)
                    .append(t.flows == 1 ? " flow failed: " : " flows failed: ");
            for (int i = 0; i < codes.size(); i++) {
                d.append(i == 0 ? "" : ", ").append(codes.get(i)).append(" x").append(t.codeCounts.get(codes.get(i)));
            }
            return new Diagnosis.StageResult(s, Stage.Status.FAILING, codes, t.failingEvidence, t.flows, d.toString());
        }
        if (t.flows > 0) {
            return new Diagnosis.StageResult(s, Stage.Status.HEALTHY, codes, t.healthyEvidence, t.flows,
                    t.flows + (t.flows == 1 ? " flow, not failed" : " flows, none failed"));
        }
        final String notSeen = notSeen(s);
        return new Diagnosis.StageResult(s, notSeen == null ? Stage.Status.ABSENT : Stage.Status.NOT_APPLICABLE,
                codes, List.of(), 0, notSeen == null ? "expected: " + expectedBecause(s) + ", but none of its flows is in the capture"
                        : notSeen);
    }

    /** Why a stage with no flows is out of the capture's sight, or null when it should have been seen. */
    private String notSeen(final Stage s) {
        if (!anyRoles) {
            return "no Expressway known: flows cannot be given to stages (--topology names the roles)";
        }
        return switch (s) {
            case DNS -> "no DNS in the capture (clients resolve on their own networks, or had the answer cached)";
            case EDGE_CONFIG, SIP_REGISTRATION, XMPP -> outsideSeen ? null
                    : "the capture does not show the Expressway-E's outside";
            case TRAVERSAL -> dmzSeen ? null : "the capture does not show the Expressway-C to E link";
            case ON_PREM -> insideSeen ? null : "the capture does not show the Expressway-C's inside";
            case TURN -> "no TURN in the capture (not used, or not on the captured links)";
            case MEDIA -> "no media in the capture (no call, or not on the captured links)";
        };
    }

    private static String expectedBecause(final Stage s) {
        return switch (s) {
            case EDGE_CONFIG, SIP_REGISTRATION, XMPP -> "the Expressway-E's outside is captured";
            case TRAVERSAL -> "the Expressway-C to E link is captured";
            case ON_PREM -> "the Expressway-C's inside is captured";
            default -> "the capture shows where it passes";
        };
    }

    /** One stage's counts. */
    static final class Tally {
        int flows;
        int failing;
        final EnumSet<FindingCode> codes = EnumSet.noneOf(FindingCode.class);
        final EnumMap<FindingCode, Integer> codeCounts = new EnumMap<>(FindingCode.class);
        final List<Verdict> failures = new ArrayList<>();
        final List<String> failingEvidence = new ArrayList<>();
        final List<String> healthyEvidence = new ArrayList<>();
    }
}
