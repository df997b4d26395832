package io.mraflow.report;

/**
 * Makes text that came from packets (SNI, messages quoting it) safe for a terminal: control
 * characters, DEL, C1 controls and the backslash become visible escapes.
 */
public final class TextEscape {
    private TextEscape() {
    }

    public static String of(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean bad = c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\\';
            if (bad && sb == null) {
                sb = new StringBuilder(s.length() + 8).append(s, 0, i);
            }
            if (sb != null) {
                if (c == '\\') {
                    sb.append("\\\\");
                } else if (bad) {
                    sb.append(String.format("\\x%02x", (int) c));
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? s : sb.toString();
    }
}
