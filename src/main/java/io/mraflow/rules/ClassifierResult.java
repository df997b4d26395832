package io.mraflow.rules;

import java.util.Arrays;

/**
 * The classifier's answer for one flow, as primitive fields overwritten by each
 * {@link Classifier#classify} call and reused; owned by one thread at a time (not thread-safe).
 * Later stages add their own findings ({@link FindingCode#TCP_UNANSWERED}, ...) with
 * {@link #add(FindingCode, int)}.
 *
 * <p>{@link #row} is set only when a row fits the flow as documented (opener, responder,
 * protocol and both ports). A flow that fits a row only in part (wrong direction, source port
 * outside the range) keeps {@code row == -1}; the finding cites that row in {@link #findingRow}.
 */
public final class ClassifierResult {
    /** Index of the matching row in {@link PortReference#rows()}, or -1. */
    public int row = -1;
    /** On what the match rests. */
    public Basis basis = Basis.PORTS;
    /** Role mask of the opener's address ({@link Role#bit()}); 0 when classified by ports alone. */
    public int origRoles;
    /** Role mask of the responder's address; 0 when classified by ports alone. */
    public int respRoles;
    /** Findings raised, bit {@link FindingCode#bit()} each. */
    public long findings;
    /** Per finding (by ordinal), the row index it cites, or -1. */
    public final int[] findingRow = new int[FindingCode.COUNT];

    public ClassifierResult() {
        reset();
    }

    /** Clears the verdict: no row, no findings. */
    public void reset() {
        row = -1;
        basis = Basis.PORTS;
        origRoles = 0;
        respRoles = 0;
        findings = 0;
        Arrays.fill(findingRow, -1);
    }

    /** Raises {@code code} citing {@code citedRow} (-1 for none). */
    public void add(final FindingCode code, final int citedRow) {
        findings |= code.bit();
        findingRow[code.ordinal()] = citedRow;
    }

    /** Withdraws {@code code} (the allow list does this). */
    public void remove(final FindingCode code) {
        findings &= ~code.bit();
        findingRow[code.ordinal()] = -1;
    }

    public boolean has(final FindingCode code) {
        return (findings & code.bit()) != 0;
    }

    /** The row {@code code} cites, or -1 (also when the finding is not raised). */
    public int rowOf(final FindingCode code) {
        return findingRow[code.ordinal()];
    }

    /** The highest severity among the findings, or null when there are none. */
    public Severity maxSeverity() {
        Severity max = null;
        long m = findings;
        while (m != 0) {
            final FindingCode c = FindingCode.of(Long.numberOfTrailingZeros(m));
            m &= m - 1;
            if (max == null || c.severity().compareTo(max) > 0) {
                max = c.severity();
            }
        }
        return max;
    }

    @Override
    public String toString() {
        final StringBuilder b = new StringBuilder("row=").append(row).append(" basis=").append(basis.label())
                .append(" orig=").append(Role.label(origRoles)).append(" resp=").append(Role.label(respRoles)).append(" findings=[");
        long m = findings;
        while (m != 0) {
            final int i = Long.numberOfTrailingZeros(m);
            m &= m - 1;
            b.append(FindingCode.of(i).name()).append('@').append(findingRow[i]).append(m != 0 ? " " : "");
        }
        return b.append(']').toString();
    }
}
