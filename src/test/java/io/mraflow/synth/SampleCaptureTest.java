package io.mraflow.synth;

import io.mraflow.capture.CaptureFrames;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SampleCaptureTest {

    private static final Path PCAPS = Path.of("pcaps");

    /** Every row id of MRA-PORTS.md: T1.1, T2.1-T2.7, T3.1-T3.5, T4.1-T4.18, T5.1-T5.2. */
    static final Set<String> ROW_IDS = Set.of(
        "T1.1",
        "T2.1", "T2.2", "T2.3", "T2.4", "T2.5", "T2.6", "T2.7",
        "T3.1", "T3.2", "T3.3", "T3.4", "T3.5",
        "T4.1", "T4.2", "T4.3", "T4.4", "T4.5", "T4.6", "T4.7", "T4.8", "T4.9", "T4.10", "T4.11",
        "T4.12", "T4.13", "T4.14", "T4.15", "T4.16", "T4.17", "T4.18",
        "T5.1", "T5.2");

    private static final Set<String> FINDING_CODES = Set.of("UNDOCUMENTED", "WRONG_DIRECTION",
        "SOURCE_PORT_OUTSIDE_RANGE", "PROTOCOL_MISMATCH", "NOT_RECOMMENDED", "TCP_UNANSWERED", "TCP_RESET",
        "ICMP_UNREACHABLE", "TLS_ALERT", "ONE_WAY_MEDIA");

    private static byte[] generate(final boolean classic) throws IOException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        MraSampleCapture.write(out, classic);
        return out.toByteArray();
    }

    private static String sha256(final byte[] b) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void twoRunsWriteIdenticalBytesEqualToTheCommittedSample() throws Exception {
        final String first = sha256(generate(false));
        final String second = sha256(generate(false));
        assertEquals(first, second, "the generator is not deterministic");
        assertEquals(sha256(Files.readAllBytes(PCAPS.resolve("mra-sample.pcapng"))), first,
            "pcaps/mra-sample.pcapng is stale: run scripts/gen-sample");
    }

    @Test
    void committedFlowsAndTopologyMatchTheGenerator() throws Exception {
        final String tsv = MraSampleCapture.flowsTsv(MraSampleCapture.write(new ByteArrayOutputStream(), false));
        assertEquals(tsv, Files.readString(PCAPS.resolve("mra-sample.flows.tsv"), StandardCharsets.UTF_8));
        assertEquals(MraSampleCapture.TOPOLOGY,
            Files.readString(PCAPS.resolve("mra-sample.topology"), StandardCharsets.UTF_8));
    }

    @Test
    void sampleIsSmallWithOneToThreeThousandPackets() throws Exception {
        final byte[] file = Files.readAllBytes(PCAPS.resolve("mra-sample.pcapng"));
        assertTrue(file.length < 1_000_000, "sample is " + file.length + " bytes");
        final int packets = CaptureFrames.read(file).size();
        assertTrue(packets >= 1000 && packets <= 3000, packets + " packets");
    }

    @Test
    void everyFrameHasValidChecksumsAndConsistentTcpSequenceNumbers() throws Exception {
        final FrameChecker checker = new FrameChecker();
        checker.checkAll(CaptureFrames.read(Files.readAllBytes(PCAPS.resolve("mra-sample.pcapng"))));
        assertTrue(checker.tcp > 300 && checker.udp > 1000 && checker.icmp == 3,
            "tcp " + checker.tcp + " udp " + checker.udp + " icmp " + checker.icmp);
    }

    @Test
    void classicPcapCarriesTheSameFramesAndTimes() throws Exception {
        final List<CaptureFrames.Frame> ng = CaptureFrames.read(generate(false));
        final List<CaptureFrames.Frame> classic = CaptureFrames.read(generate(true));
        assertEquals(ng.size(), classic.size());
        for (int i = 0; i < ng.size(); i++) {
            assertEquals(ng.get(i).tsNanos(), classic.get(i).tsNanos(), "time of frame " + (i + 1));
            assertArrayEquals(ng.get(i).data(), classic.get(i).data(), "frame " + (i + 1));
        }
    }

    @Test
    void flowsTsvCoversEveryDocumentedRowAndUsesOnlyKnownCodes() throws Exception {
        final List<String[]> rows = Files.readAllLines(PCAPS.resolve("mra-sample.flows.tsv")).stream()
            .filter(l -> !l.startsWith("#") && !l.isBlank()).map(l -> l.split("\t", -1)).collect(Collectors.toList());
        final Set<String> seen = new TreeSet<>();
        for (final String[] r : rows) {
            assertEquals(8, r.length, String.join("|", r));
            assertTrue(r[0].equals("tcp") || r[0].equals("udp"), r[0]);
            assertTrue(r[5].equals("-") || ROW_IDS.contains(r[5]), "unknown row id " + r[5]);
            if (!r[6].equals("-")) {
                for (final String code : r[6].split(",")) {
                    assertTrue(FINDING_CODES.contains(code), "unknown finding " + code);
                }
            }
            seen.add(r[5]);
        }
        final Set<String> missing = new TreeSet<>(ROW_IDS);
        missing.removeAll(seen);
        assertTrue(missing.isEmpty(), "rows without a flow: " + missing);
        assertEquals(33, ROW_IDS.size());
        for (final String code : FINDING_CODES) {
            assertTrue(rows.stream().anyMatch(r -> r[6].contains(code)), "no flow meant to raise " + code);
        }
    }
}
