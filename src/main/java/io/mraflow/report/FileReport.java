package io.mraflow.report;

import io.mraflow.flow.FlowRecord;
import io.mraflow.pipeline.Analysis;
import io.mraflow.pipeline.AnalysisResult;
import io.mraflow.pipeline.EndedFlows;
import io.mraflow.rules.Diagnosis;
import io.mraflow.rules.DiagnosisBuilder;
import io.mraflow.rules.Verdict;

import java.io.BufferedOutputStream;
import java.io.PrintStream;
import java.util.Iterator;
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
     * Flows a report hands to {@link #listJson} or {@link #listText} at once. The loop over all the
     * flows runs once a report, so it stays in the interpreter; the methods it calls a chunk at a
     * time are compiled, by the warm-up ({@link ReportWarmup}) already, which calls them too.
     */
    static final int CHUNK = 16;

    /** The next {@code n} flows of the JSON report: judged, and listed when they are. */
    static void listJson(final VerdictPass pass, final FlowRecord[] chunk, final int n, final boolean findingsOnly,
                         final FlowJsonWriter json, final Consumer<Verdict> listed) {
        for (int i = 0; i < n; i++) {
            final Verdict v = pass.next(chunk[i]);
            if (VerdictPass.listed(v, findingsOnly)) {
                json.write(v);
                listed.accept(v);
            }
        }
    }

    /** The next {@code n} flows of the text report's listing pass. */
    static void listText(final VerdictPass pass, final FlowRecord[] chunk, final int n, final boolean findingsOnly,
                         final FlowTextWriter text, final Consumer<Verdict> listed) {
        for (int i = 0; i < n; i++) {
            final Verdict v = pass.next(chunk[i]);
            if (VerdictPass.listed(v, findingsOnly)) {
                text.writeFlow(v);
                listed.accept(v);
            }
        }
    }

    /** The next flows of {@code flows} into {@code chunk}, as many as fit; how many. */
    private static int fill(final Iterator<FlowRecord> flows, final FlowRecord[] chunk) {
        int n = 0;
        while (n < chunk.length && flows.hasNext()) {
            chunk[n++] = flows.next();
        }
        return n;
    }

    /** The counting pass of the text report: every flow judged and counted, none listed. */
    private static void count(final VerdictPass pass, final FlowRecord[] chunk, final int n) {
        for (int i = 0; i < n; i++) {
            pass.next(chunk[i]);
        }
    }

    /** The diagnosis of one report, its evidence named by Community ID. */
    static DiagnosisBuilder diagnosisBuilder(final Analysis analysis) {
        final CommunityId communityId = new CommunityId();
        return new DiagnosisBuilder(analysis.compiled(), communityId::of);
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
                                      final Consumer<Verdict> listed) {
        return write(result, analysis, roles, format, findingsOnly, out, listed, null);
    }

    /** As above, and each JSON line is also handed to {@code events} when not null ({@code --kafka}). */
    public static Written write(final AnalysisResult result, final Analysis analysis, final Analysis.Roles roles,
                                      final Format format, final boolean findingsOnly, final PrintStream out,
                                      final Consumer<Verdict> listed, final EventSink events) {
        final EndedFlows flows = result.flows();
        final VerdictTotals totals = new VerdictTotals();
        final DiagnosisBuilder diagnosis = diagnosisBuilder(analysis);
        final VerdictPass pass = new VerdictPass(analysis.assessment(roles), totals, diagnosis);
        final FlowRecord[] chunk = new FlowRecord[CHUNK];
        final Diagnosis done;
        if (format == Format.JSON) {
            // One flow at a time: no verdict outlives its line.
            try (FlowJsonWriter json = new FlowJsonWriter(new BufferedOutputStream(out, 1 << 16), null, events)) {
                final Iterator<FlowRecord> it = flows.iterator();
                for (int n = fill(it, chunk); n > 0; n = fill(it, chunk)) {
                    listJson(pass, chunk, n, findingsOnly, json, listed);
                }
                done = diagnosis.finish();
                json.writeEvent("diagnosis", totals.lastNanos(), null, DiagnosisFields.of(done));
                json.writeEvent("summary", totals.lastNanos(), null, summary(result, totals, roles));
            }
        } else {
            final Iterator<FlowRecord> counting = flows.iterator();
            for (int n = fill(counting, chunk); n > 0; n = fill(counting, chunk)) {
                count(pass, chunk, n);
            }
            final FlowTextWriter text = new FlowTextWriter(out);
            done = diagnosis.finish();
            text.writeDiagnosis(done);
            text.writeSummary(result, totals, analysis.compiled(), roles);
            // A fresh assessment: what earlier flows say about later ones must be what the first pass saw.
            final VerdictPass again = new VerdictPass(analysis.assessment(roles), null, null);
            final Iterator<FlowRecord> listing = flows.iterator();
            for (int n = fill(listing, chunk); n > 0; n = fill(listing, chunk)) {
                listText(again, chunk, n, findingsOnly, text, listed);
            }
            text.writeEvidence(roles);
            text.flush();
        }
        out.flush();
        return new Written(totals, done);
    }
}
