package io.mraflow.e2e;

import io.mraflow.cli.ExitCode;
import io.mraflow.e2e.AnalyzeDamagedInputTest.Run;
import io.mraflow.synth.PcapWriter;
import io.mraflow.synth.ScriptedCapture;
import io.mraflow.synth.TlsRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static io.mraflow.e2e.AnalyzeDamagedInputTest.analyze;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A ClientHello whose server name carries a bidirectional override (U+202E) and a line separator
 * (U+2028) as UTF-8 bytes: both reports show them as escapes, never raw, so the name cannot
 * reorder or break the line it is printed on.
 */
class SniEscapeTest {
    /** The SNI as the client sent it; the placeholders {@code @@@} and {@code ###} become U+202E and U+2028. */
    static final String SNI = "login.@@@moc.live###.example.com";

    @TempDir
    Path tmp;

    @Test
    void theTextReportEscapesFormatCharactersAndLineSeparators() throws IOException {
        Run r = analyze(capture().toString());
        assertEquals(ExitCode.OK, r.exit(), r.err());
        assertTrue(r.out().contains("  sni login.\\u202emoc.live\\u2028.example.com\n"), r.out());
        assertFalse(r.out().contains("\u202e") || r.out().contains("\u2028"), "raw U+202E or U+2028 in the report");
    }

    @Test
    void theJsonLinesEscapeThemToo() throws IOException {
        Run r = analyze("--format", "json", capture().toString());
        assertEquals(ExitCode.OK, r.exit(), r.err());
        assertTrue(r.out().contains("\"sni\":\"login.\\u202Emoc.live\\u2028.example.com\""), r.out());
        assertFalse(r.out().contains("\u202e") || r.out().contains("\u2028"), "raw U+202E or U+2028 in the JSON");
    }

    /** A whole TLS conversation on 443 whose ClientHello names {@link #SNI}, its placeholders made UTF-8. */
    private Path capture() throws IOException {
        Path file = tmp.resolve("bidi-sni.pcap");
        try (OutputStream out = Files.newOutputStream(file); PcapWriter pcap = new PcapWriter(out, false)) {
            ScriptedCapture s = new ScriptedCapture(pcap, 1_700_000_000_000_000_000L, 7);
            byte[] hello = TlsRecords.clientHello(SNI, true, null, s.rng());
            replace(hello, "@@@", "\u202e");
            replace(hello, "###", "\u2028");
            s.tcp("192.0.2.10", 50_000, "198.51.100.20", 443, 2_000, null, null, null)
                    .handshake()
                    .toServer(hello)
                    .toClient(TlsRecords.serverHelloFlight(true, s.rng()))
                    .close();
        }
        return file;
    }

    /** Overwrites the one occurrence of ASCII {@code what} with the UTF-8 bytes of {@code with}, of the same length. */
    private static void replace(byte[] b, String what, String with) {
        byte[] from = what.getBytes(StandardCharsets.US_ASCII);
        byte[] to = with.getBytes(StandardCharsets.UTF_8);
        assertEquals(from.length, to.length);
        for (int i = 0; i + from.length <= b.length; i++) {
            if (Arrays.equals(b, i, i + from.length, from, 0, from.length)) {
                System.arraycopy(to, 0, b, i, to.length);
                return;
            }
        }
        throw new AssertionError(what + " not in the ClientHello");
    }
}
