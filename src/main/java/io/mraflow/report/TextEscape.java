package io.mraflow.report;

/**
 * Makes text that came from outside (SNI and messages quoting it, configuration files, command
 * lines) safe for a terminal: every character that is not shown as itself becomes a visible
 * escape, and so does the backslash, so that an escape in the text cannot pass for one of ours.
 *
 * <p>Escaped: control characters (C0, DEL, C1 including NEL U+0085), format characters (the
 * bidirectional embeddings, overrides and isolates U+202A-U+202E, U+2066-U+2069 and marks
 * U+200E, U+200F, U+061C that reorder what a terminal shows, "Trojan Source"; zero-width and tag
 * characters), the line and paragraph separators U+2028, U+2029, which end a line in some
 * viewers, and a surrogate without its pair. A code point below U+0100 becomes a backslash, x and
 * two hex digits; the others a backslash, u and four hex digits (U and eight above U+FFFF).
 */
public final class TextEscape {
    private TextEscape() {
    }

    public static String of(final String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); ) {
            final int cp = s.codePointAt(i);
            final int next = i + Character.charCount(cp);
            final boolean escape = cp == '\\' || hidden(cp);
            if (escape && sb == null) {
                sb = new StringBuilder(s.length() + 8).append(s, 0, i);
            }
            if (sb != null) {
                if (cp == '\\') {
                    sb.append("\\\\");
                } else if (escape) {
                    sb.append(cp < 0x100 ? String.format("\\x%02x", cp)
                            : cp < 0x10000 ? String.format("\\u%04x", cp) : String.format("\\U%08x", cp));
                } else {
                    sb.append(s, i, next);
                }
            }
            i = next;
        }
        return sb == null ? s : sb.toString();
    }

    /** True for a code point a terminal does not show as itself: it moves, hides or reorders text. */
    private static boolean hidden(final int cp) {
        if (cp >= 0x20 && cp < 0x7f) {
            return false; // printable ASCII: the common case, decided without a table lookup
        }
        final int type = Character.getType(cp);
        return type == Character.CONTROL || type == Character.FORMAT
                || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.SURROGATE; // one without its pair
    }
}
