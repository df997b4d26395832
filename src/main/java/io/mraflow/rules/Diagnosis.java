package io.mraflow.rules;

import java.util.List;

/**
 * What went wrong in a capture, said by MRA stage: each {@link Stage}'s status with the finding
 * codes and flows (Community IDs) that show it, the first failing stage, and for it one sentence
 * of most likely cause and what to check. Immutable.
 *
 * @param stages       every stage, in {@link Stage} order
 * @param firstFailing the first stage whose status is FAILING, or null when none failed
 * @param cause        the most likely cause of the first failure and what to check, or null
 */
public record Diagnosis(List<StageResult> stages, Stage firstFailing, String cause) {

    public Diagnosis {
        stages = List.copyOf(stages);
    }

    /** The result of {@code stage}. */
    public StageResult of(final Stage stage) {
        return stages.get(stage.ordinal());
    }

    /**
     * One stage's result.
     *
     * @param stage    the stage
     * @param status   healthy, failing, absent or n/a
     * @param findings the finding codes of its failing flows, worst first, each once
     * @param evidence the Community IDs of the flows that show the status (failing ones first), at most a few
     * @param flows    how many flows of the capture belong to the stage
     * @param detail   one line for a person: what the capture shows of the stage
     */
    public record StageResult(Stage stage, Stage.Status status, List<FindingCode> findings, List<String> evidence,
                              int flows, String detail) {
        public StageResult {
            findings = List.copyOf(findings);
            evidence = List.copyOf(evidence);
        }
    }
}
