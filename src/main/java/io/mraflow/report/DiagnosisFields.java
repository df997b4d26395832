package io.mraflow.report;

import io.mraflow.rules.Diagnosis;
import io.mraflow.rules.FindingCode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields of the {@code "event_type":"diagnosis"} line: {@code stages} (each {@code stage},
 * {@code status}, {@code findings}, {@code evidence}, {@code flows}, {@code detail}),
 * {@code first_failing} and {@code cause}.
 */
final class DiagnosisFields {
    private DiagnosisFields() {
    }

    static Map<String, Object> of(final Diagnosis d) {
        final List<Object> stages = new ArrayList<>();
        for (Diagnosis.StageResult r : d.stages()) {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("stage", r.stage().label());
            m.put("status", r.status().label());
            final List<String> codes = new ArrayList<>();
            for (FindingCode c : r.findings()) {
                codes.add(c.name());
            }
            m.put("findings", codes);
            m.put("evidence", r.evidence());
            m.put("flows", r.flows());
            m.put("detail", r.detail());
            stages.add(m);
        }
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("stages", stages);
        m.put("first_failing", d.firstFailing() == null ? null : d.firstFailing().label());
        m.put("cause", d.cause());
        return m;
    }
}
