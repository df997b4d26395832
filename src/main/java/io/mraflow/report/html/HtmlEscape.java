package io.mraflow.report.html;

import io.mraflow.report.TextEscape;

/**
 * The one escaping function of the HTML report: every string written into the page (text or
 * attribute value) passes through {@link #of}, whether it came from a packet (SNI, SIP fields,
 * STUN SOFTWARE, messages quoting them) or not. Stateless; any thread.
 *
 * <p>Two steps: {@link TextEscape} first makes the characters that hide, move or reorder text
 * (controls, bidirectional overrides, line separators) visible escapes, as in the text report; then
 * the five characters HTML gives a meaning to become entities, so that nothing can open a tag,
 * close an attribute value or start an entity.
 */
public final class HtmlEscape {
    private HtmlEscape() {
    }

    /** {@code s} safe as HTML text and as a quoted attribute value; "" for null. */
    public static String of(final String s) {
        final String visible = TextEscape.of(s);
        StringBuilder b = null;
        for (int i = 0; i < visible.length(); i++) {
            final char c = visible.charAt(i);
            final String entity = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (entity != null && b == null) {
                b = new StringBuilder(visible.length() + 16).append(visible, 0, i);
            }
            if (b != null) {
                if (entity != null) {
                    b.append(entity);
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? visible : b.toString();
    }
}
