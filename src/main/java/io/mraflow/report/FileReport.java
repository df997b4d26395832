package io.mraflow.report;

import io.mraflow.flow.FlowRecord;
import io.mraflow.pipeline.Analysis;
import io.mraflow.pipeline.AnalysisResult;
import io.mraflow.pipeline.EndedFlows;
import io.mraflow.rules.FlowAssessment;
import io.mraflow.rules.FlowVerdict;

import java.io.BufferedOutputStream;
import java.io.PrintStream;

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

    /**
     * Writes the report of {@code result} under {@code roles} to {@code out}.
     *
     * @param findingsOnly list only the flows with findings (the summary counts every flow)
     */
    public static VerdictTotals write(final AnalysisResult result, final Analysis analysis, final Analysis.Roles roles,
                                      final Format format, final boolean findingsOnly, final PrintStream out) {
        final EndedFlows flows = result.flows();
        final FlowAssessment assessment = analysis.assessment(roles);
        final VerdictTotals totals = new VerdictTotals();
        if (format == Format.JSON) {
            // One flow at a time: no verdict outlives its line.
            try (FlowJsonWriter json = new FlowJsonWriter(new BufferedOutputStream(out, 1 << 16))) {
                for (FlowRecord f : flows) {
                    final FlowVerdict v = assessment.assess(f);
                    totals.add(v);
                    if (!findingsOnly || !v.findings().isEmpty()) {
                        json.write(v);
                    }
                }
            }
        } else {
            for (FlowRecord f : flows) {
                totals.add(assessment.assess(f));
            }
            final FlowTextWriter text = new FlowTextWriter(out);
            text.writeSummary(result, totals, analysis.compiled(), roles.note());
            for (FlowRecord f : flows) {
                final FlowVerdict v = assessment.assess(f);
                if (!findingsOnly || !v.findings().isEmpty()) {
                    text.writeFlow(v);
                }
            }
        }
        out.flush();
        return totals;
    }
}
