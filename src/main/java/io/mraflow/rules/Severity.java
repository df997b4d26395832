package io.mraflow.rules;

import java.util.Locale;

/** How much a finding matters, lowest first; immutable. */
public enum Severity {
    INFO,
    LOW,
    MEDIUM,
    HIGH;

    /** Made once: written for every finding of the report. */
    private final String label = name().toLowerCase(Locale.ROOT);

    /** Lower-case name as written in outputs and on the command line. */
    public String label() {
        return label;
    }

    /**
     * The severity named {@code text} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Severity parse(final String text) {
        for (Severity s : values()) {
            if (s.name().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown severity '" + text + "', expected one of info, low, medium, high");
    }
}
