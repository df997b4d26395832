package io.mraflow.rules;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLinesTest {

    private static ConfigLines lines(byte[] b) {
        return new ConfigLines(new ByteArrayInputStream(b), "t.conf");
    }

    private static List<String> all(String text) throws IOException {
        ConfigLines l = lines(text.getBytes(StandardCharsets.UTF_8));
        List<String> out = new ArrayList<>();
        for (String s; (s = l.next()) != null;) {
            out.add(l.lineNumber() + ":" + s);
        }
        return out;
    }

    @Test
    void linesEndWithLfOrCrLfAndTheLastNeedsNoEnd() throws IOException {
        assertEquals(List.of("1:a", "2:", "3:b c", "4:\u00e9t\u00e9"), all("a\n\nb c\r\n\u00e9t\u00e9"));
        assertEquals(List.of("1:a"), all("a\n"));
        assertEquals(List.of(), all(""));
    }

    @Test
    void aByteThatIsNotUtf8IsNamedByLineAndOffset() throws IOException {
        byte[] b = "ok\nab\u00e9c\n".getBytes(StandardCharsets.ISO_8859_1);
        ConfigLines l = lines(b);
        assertEquals("ok", l.next());
        RulesFormatException e = assertThrows(RulesFormatException.class, l::next);
        assertEquals(2, e.line());
        assertEquals("t.conf:2: byte 0xe9 at byte offset 5 (byte 3 of the line) is not UTF-8: the file must be UTF-8 text",
                e.getMessage());
    }

    @Test
    void aLineLongerThanTheLimitIsRefusedByItsStartAndLength() throws IOException {
        // The limit falls inside a two-byte character: the cut character is no UTF-8 error.
        byte[] b = new byte[ConfigLines.MAX_LINE_BYTES + 1001];
        Arrays.fill(b, (byte) 'x');
        b[ConfigLines.MAX_LINE_BYTES - 1] = (byte) 0xc3;
        b[ConfigLines.MAX_LINE_BYTES] = (byte) 0xa9;
        b[b.length - 1] = '\n';
        RulesFormatException e = assertThrows(RulesFormatException.class, () -> lines(b).next());
        assertEquals(1, e.line());
        assertEquals("t.conf:1: a line may be at most " + ConfigLines.MAX_LINE_BYTES + " bytes long: '" + "x".repeat(80)
                + "...' (" + (b.length - 1) + " bytes)", e.getMessage());
    }

    @Test
    void aLineAtTheLimitIsRead() throws IOException {
        byte[] b = new byte[ConfigLines.MAX_LINE_BYTES];
        Arrays.fill(b, (byte) 'y');
        String line = lines(b).next();
        assertEquals(ConfigLines.MAX_LINE_BYTES, line.length());
        assertTrue(line.chars().allMatch(c -> c == 'y'));
    }
}
