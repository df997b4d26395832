package io.mraflow.report;

import io.mraflow.flow.FlowRecord;
import io.mraflow.pipeline.Analysis;
import io.mraflow.pipeline.AnalysisResult;
import io.mraflow.pipeline.EndedFlows;
import io.mraflow.rules.Diagnosis;
import io.mraflow.rules.DiagnosisBuilder;
import io.mraflow.rules.FlowAssessment;
import io.mraflow.rules.FlowVerdict;
import io.mraflow.rules.ResolvedNames;

import java.io.BufferedOutputStream;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The report of a file analysis ({@code analyze}): every flow's verdict, streamed from the
 * analysis' flows one at a time, as JSON lines or as the readable report (whose summary comes
 * first, so the flows are read twice: to count, then to print). Returns what it counted.
 */
public final class FileReport {
    /** The two formats. */
    public enum Format { TEXT, JSON }

    private FileReport() {
    }

    /** What a report counted, and its diagnosis (for the other outputs of the same run, e.g. the HTML page). */
    public record Written(VerdictTotals totals, Diagnosis diagnosis) {
    }

    /**
     * The last JSON line ({@code "event_type":"summary"}): what the text report's summary says,
     * for a reader of the lines. Its {@code ts} is the last packet's.
     */
    static Map<String, Object> summary(final AnalysisResult result, final VerdictTotals totals, final Analysis.Roles roles) {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("packets", result.packets());
        m.put("flows", totals.flows());
        m.put("flows_evicted", result.flowsEvicted());
        m.put("flows_by_row", totals.flowsByRow());
        m.put("findings_by_code", totals.findingsByCode());
        final Map<String, String> held = new LinkedHashMap<>();
        if (roles.topology() != null) {
            held.putAll(io.mraflow.rules.RoleInference.summary(roles.topology()));
        }
        m.put("roles", held);
        m.put("roles_from", roles.inferred() ? "inferred" : roles.topology() != null ? "topology" : "none");
        m.put("input_problems", result.problems());
        return m;
    }

    /**
     * Writes the report of {@code result} under {@code roles} to {@code out}.
     *
     * @param findingsOnly list only the flows with findings (the summary counts every flow)
     */
    public static Written write(final AnalysisResult result, final Analysis analysis, final Analysis.Roles roles,
                                      final Format format, final boolean findingsOnly, final PrintStream out) {
        return write(result, analysis, roles, format, findingsOnly, out, v -> { });
    }

    /** As above, and each flow listed is also handed to {@code listed} ({@code --write-pcap} keeps their packets). */
    public static Written write(final AnalysisResult result, final Analysis analysis, final Analysis.Roles roles,
                                      final Format format, final boolean findingsOnly, final PrintStream out,
                                      final Consumer<FlowVerdict> listed) {
        return write(result, analysis, roles, format, findingsOnly, out, listed, null);
    }

    /** As above, and each JSON line is also handed to {@code events} when not null ({@code --kafka}). */
    public static Written write(final AnalysisResult result, final Analysis analysis, final Analysis.Roles roles,
                                      final Format format, final boolean findingsOnly, final PrintStream out,
                                      final Consumer<FlowVerdict> listed, final EventSink events) {
        final EndedFlows flows = result.flows();
        final FlowAssessment assessment = analysis.assessment(roles);
        final VerdictTotals totals = new VerdictTotals();
        final CommunityId communityId = new CommunityId();
        final DiagnosisBuilder diagnosis = new DiagnosisBuilder(analysis.compiled(), communityId::of);
        // Names from DNS answers label later flows: learned in the flows' start order, afresh per pass.
        final ResolvedNames names = new ResolvedNames();
        final Diagnosis done;
        if (format == Format.JSON) {
            // One flow at a time: no verdict outlives its line.
            try (FlowJsonWriter json = new FlowJsonWriter(new BufferedOutputStream(out, 1 << 16), null, events)) {
                for (FlowRecord f : flows) {
                    final FlowVerdict v = assessment.assess(f, names);
                    names.learn(f);
                    totals.add(v);
                    diagnosis.add(v);
                    if (!findingsOnly || !v.findings().isEmpty()) {
                        json.write(v);
                        listed.accept(v);
                    }
                }
                done = diagnosis.finish();
                json.writeEvent("diagnosis", totals.lastNanos(), null, DiagnosisFields.of(done));
                json.writeEvent("summary", totals.lastNanos(), null, summary(result, totals, roles));
            }
        } else {
            for (FlowRecord f : flows) {
                final FlowVerdict v = assessment.assess(f, names);
                names.learn(f);
                totals.add(v);
                diagnosis.add(v);
            }
            names.clear();
            final FlowTextWriter text = new FlowTextWriter(out);
            done = diagnosis.finish();
            text.writeDiagnosis(done);
            text.writeSummary(result, totals, analysis.compiled(), roles);
            // A fresh assessment: what earlier flows say about later ones must be what the first pass saw.
            final FlowAssessment again = analysis.assessment(roles);
            for (FlowRecord f : flows) {
                final FlowVerdict v = again.assess(f, names);
                names.learn(f);
                if (!findingsOnly || !v.findings().isEmpty()) {
                    text.writeFlow(v);
                    listed.accept(v);
                }
            }
            text.writeEvidence(roles);
        }
        out.flush();
        return new Written(totals, done);
    }
}
