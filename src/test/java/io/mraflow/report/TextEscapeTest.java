package io.mraflow.report;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class TextEscapeTest {

    @Test
    void printableTextIsReturnedAsItIs() {
        String s = "idbroker.webex.com caf\u00e9 \u65e5\u672c \ud83d\ude00";
        assertSame(s, TextEscape.of(s));
        assertEquals("", TextEscape.of(null));
    }

    @Test
    void controlCharactersAndTheBackslashKeepTheirEscapes() {
        assertEquals("a\\x1b[31mb\\x00\\x7f\\x85\\x9f\\\\c\\x0a", TextEscape.of("a\u001b[31mb\u0000\u007f\u0085\u009f\\c\n"));
    }

    @Test
    void bidirectionalControlsAreEscaped() {
        // Trojan Source (CVE-2021-42574): embeddings, overrides, isolates and marks.
        int[] bidi = {0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x200e, 0x200f, 0x061c};
        for (int cp : bidi) {
            assertEquals(String.format("x\\u%04xy", cp), TextEscape.of("x" + Character.toString(cp) + "y"));
        }
    }

    @Test
    void lineAndParagraphSeparatorsAreEscaped() {
        assertEquals("a\\u2028b\\u2029c\\x85d", TextEscape.of("a\u2028b\u2029c\u0085d"));
    }

    @Test
    void otherFormatCharactersAndLoneSurrogatesAreEscaped() {
        // Zero-width space and joiner, byte-order mark, soft hyphen, a tag character (above U+FFFF).
        assertEquals("\\u200b\\u200d\\ufeff\\xad\\U000e0041", TextEscape.of("\u200b\u200d\ufeff\u00ad\udb40\udc41"));
        assertEquals("a\\ud83db\\ude00", TextEscape.of("a\ud83db\ude00"));
    }
}
