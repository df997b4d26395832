package io.mraflow.report.html;

import java.util.Locale;

/** Numbers as SVG coordinates: one decimal, a dot whatever the locale. Stateless. */
final class Svg {
    private Svg() {
    }

    static String n(final double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
