package io.mraflow.e2e;

import io.mraflow.cli.ExitCode;
import io.mraflow.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Damaged input through the whole command line: a one-line error naming the file and the byte
 * offset, the flows read before the damage still reported, and an exit code that says whether
 * anything could be read. The damaged files are made here from real captures.
 */
class AnalyzeDamagedInputTest {
    static final Path SSH2 = Path.of("src/test/resources/captures/arkime/ssh2.pcap");
    static final Path SIP_HELLO = Path.of("src/test/resources/captures/ndpi/sip_hello.pcapng");

    @TempDir
    Path tmp;

    record Run(ExitCode exit, String out, String err) {
        List<String> jsonLines() {
            return out.lines().filter(l -> l.startsWith("{\"event_type\":\"flow\"")).toList();
        }
    }

    static Run analyze(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] full = new String[args.length + 1];
        full[0] = "analyze";
        System.arraycopy(args, 0, full, 1, args.length);
        ExitCode exit = Main.run(full, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void emptyFileIsUnreadableWithOffsetZero() throws IOException {
        Path f = Files.createFile(tmp.resolve("empty.pcap"));
        Run r = analyze("--format", "json", f.toString());
        assertEquals(ExitCode.UNREADABLE, r.exit());
        assertOneErrorLine(r, f, 0);
        assertEquals(0, r.jsonLines().size());
    }

    @Test
    void textFileIsNotACapture() throws IOException {
        Path f = Files.writeString(tmp.resolve("notes.pcap"), "hello, this is not a capture\n");
        Run r = analyze(f.toString());
        assertEquals(ExitCode.UNREADABLE, r.exit());
        assertOneErrorLine(r, f, 0);
        assertTrue(r.err().contains("not a pcap or pcapng file"), r.err());
    }

    @Test
    void fileCutInARecordReportsTheFlowsBeforeIt() throws IOException {
        byte[] whole = Files.readAllBytes(SSH2);
        // Record offsets of this classic pcap: 24-byte file header, 16-byte record headers.
        long[] starts = recordStarts(whole);
        int cutRecord = 10;
        int cutAt = (int) starts[cutRecord] + 16 + 5; // five bytes into the packet data
        Path f = Files.write(tmp.resolve("cut.pcap"), Arrays.copyOf(whole, cutAt));
        Run r = analyze("--format", "json", f.toString());
        assertEquals(ExitCode.PARTIAL, r.exit());
        assertOneErrorLine(r, f, starts[cutRecord]);
        assertTrue(r.err().contains("after " + cutRecord + " packets"), r.err());
        List<String> flows = r.jsonLines();
        assertEquals(1, flows.size(), r.out());
        int pkts = field(flows.get(0), "orig_pkts") + field(flows.get(0), "resp_pkts");
        assertEquals(cutRecord, pkts, "every packet before the damage is counted in the flow");
    }

    @Test
    void absurdRecordLengthStopsThereAndKeepsWhatWasRead() throws IOException {
        byte[] bytes = Files.readAllBytes(SSH2);
        long[] starts = recordStarts(bytes);
        int bad = 7;
        // caplen field of record 7, little-endian in this file: 16 MB.
        int at = (int) starts[bad] + 8;
        bytes[at] = 0;
        bytes[at + 1] = 0;
        bytes[at + 2] = 0;
        bytes[at + 3] = 1;
        Path f = Files.write(tmp.resolve("absurd.pcap"), bytes);
        Run r = analyze("--format", "json", f.toString());
        assertEquals(ExitCode.PARTIAL, r.exit());
        assertOneErrorLine(r, f, starts[bad]);
        List<String> flows = r.jsonLines();
        assertEquals(1, flows.size());
        assertEquals(bad, field(flows.get(0), "orig_pkts") + field(flows.get(0), "resp_pkts"));
    }

    @Test
    void pcapngBlockWithBadLength() throws IOException {
        byte[] bytes = Files.readAllBytes(SIP_HELLO);
        long[] blocks = pcapngBlockStarts(bytes);
        // The 6th packet block (after SHB and IDB): its leading total length no longer matches the trailer.
        int epbIndex = 2 + 5;
        int at = (int) blocks[epbIndex] + 4;
        bytes[at] = (byte) (bytes[at] + 4); // wraps like a byte on purpose
        Path f = Files.write(tmp.resolve("badblock.pcapng"), bytes);
        Run r = analyze("--format", "json", f.toString());
        assertEquals(ExitCode.PARTIAL, r.exit());
        assertOneErrorLine(r, f, blocks[epbIndex]);
        long pkts = r.jsonLines().stream().mapToLong(l -> field(l, "orig_pkts") + field(l, "resp_pkts")).sum();
        assertEquals(5, pkts, "the five packets before the damaged block are reported");
    }

    @Test
    void aDamagedFileDoesNotStopTheNextOne() throws IOException {
        Path empty = Files.createFile(tmp.resolve("empty.pcap"));
        Run r = analyze("--format", "json", empty.toString(), SSH2.toString());
        assertEquals(ExitCode.PARTIAL, r.exit());
        assertEquals(1, r.jsonLines().size());
    }

    @Test
    void badOptionNamesTheOptionAndTheAcceptedValues() {
        Run r = analyze("--format", "xml", SSH2.toString());
        assertEquals(ExitCode.UNREADABLE, r.exit());
        assertTrue(r.err().contains("--format") && r.err().contains("text") && r.err().contains("json"), r.err());
    }

    private static void assertOneErrorLine(Run r, Path file, long offset) {
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), "one error line: " + r.err());
        assertTrue(lines.get(0).contains(file.toString()), "names the file: " + lines.get(0));
        assertTrue(lines.get(0).contains("at byte " + offset), "names byte " + offset + ": " + lines.get(0));
    }

    private static int field(String json, String name) {
        int i = json.indexOf("\"" + name + "\":") + name.length() + 3;
        int j = i;
        while (Character.isDigit(json.charAt(j))) {
            j++;
        }
        return Integer.parseInt(json.substring(i, j));
    }

    /** Start offsets of the records of a little-endian classic pcap. */
    private static long[] recordStarts(byte[] b) {
        long[] starts = new long[b.length / 16];
        int n = 0;
        int off = 24;
        while (off + 16 <= b.length) {
            starts[n++] = off;
            int caplen = (b[off + 8] & 0xff) | (b[off + 9] & 0xff) << 8 | (b[off + 10] & 0xff) << 16 | (b[off + 11] & 0xff) << 24;
            off += 16 + caplen;
        }
        return Arrays.copyOf(starts, n);
    }

    /** Start offsets of the blocks of a little-endian pcapng. */
    private static long[] pcapngBlockStarts(byte[] b) {
        long[] starts = new long[b.length / 12];
        int n = 0;
        int off = 0;
        while (off + 12 <= b.length) {
            starts[n++] = off;
            int len = (b[off + 4] & 0xff) | (b[off + 5] & 0xff) << 8 | (b[off + 6] & 0xff) << 16 | (b[off + 7] & 0xff) << 24;
            off += len;
        }
        return Arrays.copyOf(starts, n);
    }
}
