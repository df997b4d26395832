package io.mraflow.e2e;

import io.mraflow.cli.ExitCode;
import io.mraflow.e2e.AnalyzeDamagedInputTest.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.mraflow.e2e.AnalyzeDamagedInputTest.analyze;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bad topology file (--topology) or allow list (--allow) through the whole command line: one
 * error line naming the file, the line and why, with long lines cut and what came from the file
 * escaped, exit 2.
 */
class ConfigFileErrorsTest {
    static final String CAPTURE = AnalyzeDamagedInputTest.SIP_HELLO.toString();

    @TempDir
    Path tmp;

    @Test
    void aTopologyLineThatIsNotUtf8NamesTheLineAndTheByte() throws IOException {
        // "caf\xe9" is Latin-1: line 1 is 14 bytes, "# caf" 5 more, so 0xE9 is at offset 19.
        Path f = write("lab.topology", bytes("EXPC 10.0.0.5\n# caf"), new byte[] {(byte) 0xe9}, bytes("\nUCM 10.0.1.10\n"));
        String error = oneError("--topology", f);
        assertTrue(error.contains(f + ":2: "), error);
        assertTrue(error.contains("byte 0xe9 at byte offset 19 (byte 6 of the line)"), error);
        assertTrue(error.contains("the file must be UTF-8 text"), error);
    }

    @Test
    void anAllowListLineThatIsNotUtf8NamesTheLine() throws IOException {
        // A UTF-8 sequence cut short at the end of line 3: 0xE2 0x80 and then the line ends.
        Path f = write("allow.txt", bytes("# lab\nallow code=UNDOCUMENTED port=5070\nallow port=5071 # \u00e9t\u00e9 "),
                new byte[] {(byte) 0xe2, (byte) 0x80}, bytes("\n"));
        String error = oneError("--allow", f);
        // Lines 1 and 2 are 6 and 34 bytes; "allow port=5071 # " 18 and "\u00e9t\u00e9 " 6 more.
        assertTrue(error.contains(f + ":3: byte 0xe2 at byte offset 64 (byte 25 of the line)"), error);
        assertTrue(error.contains("the file must be UTF-8 text"), error);
    }

    @Test
    void aFiftyMegabyteLineIsCutInTheError() throws IOException {
        Path f = tmp.resolve("huge.topology");
        byte[] chunk = "10.0.1.1".repeat(1 << 10).getBytes(StandardCharsets.US_ASCII);
        int chunks = 6400; // 50 MiB
        long length = "UCM ".length() + (long) chunks * chunk.length;
        try (OutputStream out = Files.newOutputStream(f)) {
            out.write(bytes("EXPC 10.0.0.5\nUCM "));
            for (int i = 0; i < chunks; i++) {
                out.write(chunk);
            }
            out.write('\n');
        }
        String error = oneError("--topology", f);
        assertTrue(error.length() < 400, "cut: " + error.length() + " characters");
        assertTrue(error.contains(f + ":2: "), error);
        assertTrue(error.contains("'UCM " + "10.0.1.1".repeat(10).substring(0, 76) + "...' (" + length + " bytes)"), error);
    }

    @Test
    void aLongWordIsQuotedByItsStartAndLength() throws IOException {
        String word = "{\"ts\":1645515834.707950," + "\"x\":0,".repeat(100) + "}";
        Path f = write("flows.json", bytes("UCM " + word + "\n"));
        String error = oneError("--topology", f);
        assertTrue(error.contains(f + ":1: '" + word.substring(0, 80) + "...' (" + word.length() + " characters) is not an IPv4 or IPv6 address"),
                error);
    }

    @Test
    void whatComesFromTheFileIsEscaped() throws IOException {
        Path f = write("lab.topology", bytes("UCM 10.0.1.\u202e01\u2028\u001b[31m\\\n"));
        String error = oneError("--topology", f);
        assertTrue(error.contains("'10.0.1.\\u202e01\\u2028\\x1b[31m\\\\' is not an IPv4"), error);
        assertFalse(error.contains("\u202e") || error.contains("\u2028") || error.contains("\u001b"), error);
    }

    @Test
    void aMissingFileIsNamedAndSaidNotToExist() {
        for (String option : new String[] {"--topology", "--allow"}) {
            Path f = tmp.resolve("absent-" + option.substring(2));
            String error = oneError(option, f);
            assertEquals("mraflow analyze: " + f + ": the file does not exist", error);
        }
    }

    /** Runs {@code analyze OPTION FILE CAPTURE}, expects exit 2 and one error line, and returns it. */
    private static String oneError(String option, Path file) {
        Run r = analyze(option, file.toString(), CAPTURE);
        assertEquals(ExitCode.UNREADABLE, r.exit(), r.err());
        assertEquals("", r.out());
        assertEquals(1, r.err().lines().count(), r.err());
        return r.err().strip();
    }

    private Path write(String name, byte[]... parts) throws IOException {
        Path f = tmp.resolve(name);
        try (OutputStream out = Files.newOutputStream(f)) {
            for (byte[] p : parts) {
                out.write(p);
            }
        }
        return f;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
