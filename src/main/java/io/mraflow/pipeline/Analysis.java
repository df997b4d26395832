package io.mraflow.pipeline;

import io.mraflow.flow.FlowRecord;
import io.mraflow.rules.AllowList;
import io.mraflow.rules.Classifier;
import io.mraflow.rules.CompiledReference;
import io.mraflow.rules.FindingThresholds;
import io.mraflow.rules.PortReference;
import io.mraflow.rules.RoleInference;
import io.mraflow.rules.Settings;
import io.mraflow.rules.Topology;
import io.mraflow.rules.TopologyFile;
import io.mraflow.rules.VerdictBuilder;

import java.util.Iterator;

/**
 * How flows are judged, the same for {@code analyze} and {@code watch}: the port reference
 * compiled with the settings, the roles (given, inferred from the flows, or none by ports alone)
 * and the allow list. The commands parse options into one of these; {@link FileAnalysis} and
 * {@link LiveAnalysis} supply the flows; the report and the event stage ask it for verdicts.
 * Immutable; any thread.
 */
public final class Analysis {
    /** What the report says when no roles are known. */
    static final String NO_EXPRESSWAY = "roles: no Expressway inferred: nothing in the traffic shows an Expressway-E or -C"
            + " (TLS accepted on 5061/8443/5222 from several hosts, TURN allocations answered for several hosts, TLS or SSH"
            + " from a C on 7001 or 2222), so no flow is given a row by ports alone (--topology names the roles;"
            + " --ports-only matches ports anyway)";

    private final Settings settings;
    private final CompiledReference compiled;
    private final Topology given;
    private final String givenFrom;
    private final AllowList allow;
    private final boolean portsOnly;
    private final FindingThresholds thresholds;

    /**
     * @param given     the roles given (a topology file), or null
     * @param givenFrom where they come from, for the report ("pcaps/mra-sample.topology")
     * @param portsOnly match by ports alone: no roles, none inferred
     */
    public Analysis(final PortReference reference, final Settings settings, final Topology given, final String givenFrom,
                    final AllowList allow, final boolean portsOnly, final FindingThresholds thresholds) {
        this.thresholds = thresholds;
        this.settings = settings;
        this.compiled = reference.compile(settings);
        this.given = portsOnly ? null : given;
        this.givenFrom = givenFrom;
        this.allow = allow;
        this.portsOnly = portsOnly;
    }

    /**
     * Roles for the verdicts, the line that tells the reader where they come from, and for roles
     * inferred, the topology with its evidence (to confirm, correct and pass back), else null.
     */
    public record Roles(Topology topology, String note, String evidence) {
        /** True when the roles were inferred from the traffic. */
        public boolean inferred() {
            return topology != null && topology.inferred();
        }
    }

    public Settings settings() {
        return settings;
    }

    public CompiledReference compiled() {
        return compiled;
    }

    /** Whether roles come from the traffic (no topology given, not by ports alone). */
    public boolean infersRoles() {
        return given == null && !portsOnly;
    }

    /** The roles given, or none: what verdicts start from before any inference. */
    public Roles givenRoles() {
        if (portsOnly) {
            return new Roles(null, "roles: none (--ports-only): rows matched by ports alone; every verdict rests on"
                    + " ports, which cannot tell media from any other UDP (confidence low)", null);
        }
        return given != null ? new Roles(given, "roles: from " + givenFrom + ": " + listed(given), null)
                : new Roles(null, NO_EXPRESSWAY, null);
    }

    /**
     * The roles for these flows: the given ones, none by ports alone, or inferred from
     * {@code flows} (read twice; never kept).
     */
    public Roles roles(final Iterable<FlowRecord> flows) {
        if (!infersRoles()) {
            return givenRoles();
        }
        final Topology inferred = RoleInference.infer(() -> new Observations(flows.iterator()), settings);
        return inferredRoles(inferred);
    }

    /** Roles inferred from what was observed of flows (a live capture's bounded window of evidence). */
    public Roles rolesFromObservations(final Iterable<RoleInference.Observation> evidence) {
        return inferredRoles(RoleInference.infer(evidence, settings));
    }

    private Roles inferredRoles(final Topology inferred) {
        return inferred.isEmpty()
                ? new Roles(null, NO_EXPRESSWAY, null)
                : new Roles(inferred, "roles: inferred from the traffic: " + listed(inferred)
                        + " (the evidence is at the end; confirm or correct it, then pass it back with --topology;"
                        + " --save-topology FILE writes it)", TopologyFile.write(inferred, settings));
    }

    /** The roles held, one "ROLE address" each, for a report's first lines. */
    private static String listed(final Topology t) {
        final StringBuilder b = new StringBuilder();
        RoleInference.summary(t).forEach((address, role) -> b.append(b.length() == 0 ? "" : ", ").append(role).append(' ').append(address));
        return b.toString();
    }

    /** The verdicts under {@code roles}: one per flow, any thread (each its own assessment). */
    public VerdictBuilder assessment(final Roles roles) {
        final Classifier classifier = portsOnly ? new Classifier(compiled, null)
                : roles.topology() == null ? Classifier.withoutRoles(compiled)
                : new Classifier(compiled, roles.topology());
        return new VerdictBuilder(classifier, allow, thresholds);
    }

    /** What role inference reads of each flow, made as the flows stream past. */
    private record Observations(Iterator<FlowRecord> flows) implements Iterator<RoleInference.Observation> {
        @Override
        public boolean hasNext() {
            return flows.hasNext();
        }

        @Override
        public RoleInference.Observation next() {
            return RoleInference.Observation.of(flows.next());
        }
    }
}
