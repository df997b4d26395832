package io.mraflow.report.html;

import io.mraflow.rules.Severity;
import io.mraflow.rules.Verdict;

/**
 * The colours of the page, each with the one meaning it has everywhere (timeline bars, arrows,
 * chips, plots): green is documented and healthy, amber to red is how bad the worst finding is,
 * grey is what could not be judged. Immutable.
 */
enum Tone {
    OK("ok", "#2f9e5c"),
    LOW("low", "#d9a21b"),
    MEDIUM("medium", "#e8702a"),
    HIGH("high", "#d13438"),
    NONE("none", "#9aa3ad");

    /** The CSS class suffix ({@code tone-high}) and the word shown in legends. */
    final String label;
    /** For SVG fill and stroke attributes (presentation attributes, which the page's CSP allows). */
    final String colour;

    Tone(final String label, final String colour) {
        this.label = label;
        this.colour = colour;
    }

    static Tone of(final Severity s) {
        return switch (s) {
            case HIGH -> HIGH;
            case MEDIUM -> MEDIUM;
            case LOW, INFO -> LOW;
        };
    }

    /** A flow's colour: its worst finding's, else green when a row fits it, else grey. */
    static Tone of(final Verdict v) {
        return v.worst() != null ? of(v.worst()) : v.row() != null ? OK : NONE;
    }
}
