package io.mraflow.pipeline;

import io.mraflow.capture.CaptureFiles;
import io.mraflow.capture.CaptureOpenException;
import io.mraflow.capture.CapturedPacket;
import io.mraflow.capture.PacketSource;
import io.mraflow.capture.batch.NativeBatch;
import io.mraflow.decode.DecodeStatus;
import io.mraflow.decode.PacketDecoder;
import io.mraflow.decode.PacketView;
import io.mraflow.flow.FlowRecord;
import io.mraflow.flow.FlowTable;
import io.mraflow.flow.FlowTableConfig;
import io.mraflow.report.FlowJsonWriter;
import io.mraflow.inspect.PayloadInspector;
import io.mraflow.rules.AllowList;
import io.mraflow.rules.Classifier;
import io.mraflow.rules.FlowAssessment;
import io.mraflow.rules.PortReference;
import io.mraflow.rules.Settings;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The verdicts (FlowJsonWriter's JSON lines, sorted), the packet and decode counters and the
 * problem messages (damage with its byte offset included) are the same with one worker and with
 * two, through the native batch reader and through the pcap_next_ex fallback, and equal to the
 * single-threaded reference loop (CaptureFiles, decode, one FlowTable), on every capture of
 * pcaps/ and of src/test/resources/captures/MANIFEST.tsv.
 */
class VerdictIdentityTest {

    static Stream<Path> captures() throws Exception {
        final List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("pcaps"))) {
            s.filter(p -> p.toString().endsWith(".pcap") || p.toString().endsWith(".pcapng")).sorted().forEach(all::add);
        }
        final Path dir = Path.of("src/test/resources/captures");
        final List<String> manifest = Files.readAllLines(dir.resolve("MANIFEST.tsv"));
        for (String line : manifest.subList(1, manifest.size())) {
            all.add(dir.resolve(line.split("\t", -1)[0]));
        }
        return all.stream();
    }

    @Test
    void everyManifestCaptureIsTested() throws Exception {
        assertTrue(captures().count() > 90, "the corpus is there");
    }

    @ParameterizedTest
    @MethodSource("captures")
    void sameVerdictsForOneAndTwoWorkersNativeAndFallback(Path capture) {
        final Outcome reference = reference(capture);
        final List<String> runs = new ArrayList<>();
        for (boolean nativeBatch : new boolean[] {true, false}) {
            for (int workers : new int[] {1, 2}) {
                final PipelineConfig config = PipelineConfig.defaults().withWorkers(workers)
                        .withNativeBatch(nativeBatch).withProgress(false);
                final String what = capture + " workers=" + workers + " native=" + nativeBatch;
                final AnalysisResult r = new FileAnalysis(FlowTableConfig.defaults(), config, quiet()).run(List.of(capture));
                assertEquals(reference.jsonLines, jsonLines(r.flows()), what + ": JSON lines");
                assertEquals(reference.packets, r.packets(), what + ": packets");
                assertArrayEquals(reference.status, r.decodeStatus(), what + ": decode status");
                assertEquals(reference.problems, r.problems(), what + ": problems");
                runs.add(what);
            }
        }
        assertEquals(4, runs.size());
    }

    @Test
    void batchPathIsReallyUsed() {
        Assumptions.assumeTrue(NativeBatch.isAvailable(), "native batch reader not built");
        final AnalysisResult r = new FileAnalysis(FlowTableConfig.defaults(),
                PipelineConfig.defaults().withProgress(false), quiet()).run(List.of(Path.of("pcaps/mra-sample.pcapng")));
        assertEquals("native batch reader", r.pipeline().reader());
        final AnalysisResult f = new FileAnalysis(FlowTableConfig.defaults(),
                PipelineConfig.defaults().withNativeBatch(false).withProgress(false), quiet())
                .run(List.of(Path.of("pcaps/mra-sample.pcapng")));
        assertEquals("libpcap pcap_next_ex", f.pipeline().reader());
    }

    @Test
    void classicPcapSecondsAreUnsignedThroughTheBatchReader() throws Exception {
        Assumptions.assumeTrue(NativeBatch.isAvailable(), "native batch reader not built");
        final Path file = Path.of("src/test/resources/captures/heplify/sip_ipv6_udp.pcap");
        final List<Long> direct = new ArrayList<>();
        final List<Long> batch = new ArrayList<>();
        final CapturedPacket p = new CapturedPacket();
        try (PacketSource s = CaptureFiles.open(file)) {
            while (s.next(p)) {
                direct.add(p.tsNanos);
            }
        }
        try (PacketSource s = FileInput.open(file, true)) {
            assertTrue(s instanceof FileInput, "read by the batch reader");
            while (s.next(p)) {
                batch.add(p.tsNanos);
            }
        }
        assertTrue(!direct.isEmpty() && direct.get(0) > 0, "time after 1970: " + direct);
        assertEquals(direct, batch);
    }

    /** A file cut mid-record, and one with a damaged record length: same packets and damage (offset) as CaptureFiles. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {0, 1})
    void damageMidFileIsReportedAsCaptureFilesReportsIt(int kind, @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(NativeBatch.isAvailable(), "native batch reader not built");
        final byte[] whole = Files.readAllBytes(Path.of("src/test/resources/captures/ndpi/sip.pcap"));
        final byte[] damaged;
        if (kind == 0) {
            damaged = Arrays.copyOf(whole, whole.length * 2 / 3); // cut mid-record
        } else {
            damaged = whole.clone();
            // the third record's captured length (little-endian file) becomes absurd
            int at = 24;
            for (int i = 0; i < 2; i++) {
                at += 16 + (damaged[at + 8] & 0xff | (damaged[at + 9] & 0xff) << 8 | (damaged[at + 10] & 0xff) << 16);
            }
            damaged[at + 11] = 0x7f;
        }
        final Path file = dir.resolve("damaged.pcap");
        Files.write(file, damaged);
        final Outcome reference = reference(file);
        assertEquals(1, reference.problems.size(), "the reference sees damage: " + reference.problems);
        for (int workers : new int[] {1, 2}) {
            final AnalysisResult r = new FileAnalysis(FlowTableConfig.defaults(),
                    PipelineConfig.defaults().withWorkers(workers).withProgress(false), quiet()).run(List.of(file));
            assertEquals(reference.problems, r.problems());
            assertEquals(reference.packets, r.packets());
            assertEquals(reference.jsonLines, jsonLines(r.flows()));
            assertEquals(1, r.damaged().size());
        }
    }

    record Outcome(List<String> jsonLines, long packets, long[] status, List<String> problems) {
    }

    /** The single-threaded loop mraflow had before the pipeline: CaptureFiles, decode, one FlowTable. */
    private static Outcome reference(Path file) {
        final List<FlowRecord> flows = new ArrayList<>();
        final FlowTable table = new FlowTable(FlowTableConfig.defaults(), flows::add, true);
        final FlowStage stage = new FlowStage(table, new PayloadInspector());
        final PacketDecoder decoder = new PacketDecoder();
        final CapturedPacket packet = new CapturedPacket();
        final PacketView view = new PacketView();
        final long[] status = new long[DecodeStatus.COUNT];
        final List<String> problems = new ArrayList<>();
        long packets = 0;
        try (PacketSource source = CaptureFiles.open(file)) {
            long unsupported = 0;
            int type = -1;
            while (source.next(packet)) {
                packets++;
                decoder.decode(packet, view);
                status[view.status]++;
                if (view.status == DecodeStatus.UNSUPPORTED_LINK) {
                    unsupported++;
                    type = packet.linkType;
                    continue;
                }
                stage.onPacket(view);
            }
            if (unsupported > 0) {
                problems.add(source.name() + ": unsupported " + io.mraflow.capture.LinkType.describe(type)
                        + ": " + unsupported + " packets skipped");
            }
            if (source.damage() != null) {
                problems.add(source.damage().message());
            }
        } catch (CaptureOpenException e) {
            problems.add(e.getMessage());
        }
        table.flushAll();
        return new Outcome(jsonLines(flows), packets, status, problems);
    }

    static List<String> jsonLines(Iterable<FlowRecord> flows) {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        // Full verdicts (by ports alone: the same for every run): row, payload protocol, SNI, findings.
        final FlowAssessment assessment = new FlowAssessment(
                new Classifier(PortReference.load().compile(Settings.defaults()), null), AllowList.empty());
        try (FlowJsonWriter w = new FlowJsonWriter(bytes)) {
            for (FlowRecord f : flows) {
                w.write(assessment.assess(f));
            }
        }
        final String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        Arrays.sort(lines);
        return lines.length == 1 && lines[0].isEmpty() ? List.of() : List.of(lines);
    }

    static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }
}
