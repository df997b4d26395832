package io.mraflow.report;

import io.mraflow.flow.FlowRecord;
import io.mraflow.rules.DiagnosisBuilder;
import io.mraflow.rules.ResolvedNames;
import io.mraflow.rules.Verdict;
import io.mraflow.rules.VerdictBuilder;

/**
 * One pass of a report over a capture's flows in their order: each flow's verdict, with what
 * earlier flows say about later ones (DNS names, media pairing) and, when counted, the totals and
 * the diagnosis. The report and its warm-up ({@link ReportWarmup}) both judge flows through this
 * one method, so the code the JIT compiled during the capture is the code the report runs.
 * One thread; not thread-safe.
 */
final class VerdictPass {
    private final VerdictBuilder assessment;
    // Names from DNS answers label later flows: learned in the flows' start order, afresh per pass.
    private final ResolvedNames names = new ResolvedNames();
    private final VerdictTotals totals;
    private final DiagnosisBuilder diagnosis;

    /**
     * @param totals    counts every verdict, or null (a pass that only lists)
     * @param diagnosis is given every verdict, or null
     */
    VerdictPass(final VerdictBuilder assessment, final VerdictTotals totals, final DiagnosisBuilder diagnosis) {
        this.assessment = assessment;
        this.totals = totals;
        this.diagnosis = diagnosis;
    }

    /** The verdict of the next flow; counted when this pass counts. */
    Verdict next(final FlowRecord f) {
        final Verdict v = assessment.assess(f, names);
        names.learn(f);
        if (totals != null) {
            totals.add(v);
            diagnosis.add(v);
        }
        return v;
    }

    /** Whether a verdict is listed: every one, or with {@code findingsOnly} those with findings. */
    static boolean listed(final Verdict v, final boolean findingsOnly) {
        return !findingsOnly || !v.findings().isEmpty();
    }
}
