package io.mraflow.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.mraflow.capture.CapturedPacket;
import io.mraflow.golden.Goldens;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For every frame of the captures in {@code golden/hand-kept/decode-captures.txt}, the innermost IP
 * addresses, protocol and ports (and an ICMP error's quoted addresses and ports) the decoder
 * finds are the ones tshark found, as saved in {@code golden/decode/} by
 * {@code scripts/golden decode}. Frames of a link type the decoder does not support must
 * say so.
 */
class DecodeAgainstTsharkTest {
    static final Path RESOURCES = Path.of("src/test/resources");

    static Stream<String> captures() throws IOException {
        return Files.readAllLines(Goldens.handKept("decode-captures.txt")).stream()
            .map(String::strip)
            .filter(line -> !line.isEmpty() && !line.startsWith("#"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void innermostPacketMatchesTshark(final String capture) throws IOException {
        final TestCaptureFile file = TestCaptureFile.read(RESOURCES.resolve("captures").resolve(capture));
        final List<String[]> golden = Files.readAllLines(Goldens.path(Goldens.Kind.DECODE, capture)).stream()
            .filter(line -> !line.startsWith("#"))
            .map(line -> line.split("\t", -1))
            .toList();
        assertEquals(golden.size(), file.records.size(), "frames read vs frames tshark read");

        final PacketDecoder decoder = new PacketDecoder();
        final CapturedPacket pkt = new CapturedPacket();
        final PacketView v = new PacketView();
        final List<String> differences = new ArrayList<>();
        for (int i = 0; i < golden.size(); i++) {
            file.load(i, pkt);
            decoder.decode(pkt, v);
            final String[] g = golden.get(i);
            if (!PacketDecoder.supports(pkt.linkType)) {
                assertEquals(DecodeStatus.UNSUPPORTED_LINK, v.status, "frame " + g[0]);
                continue;
            }
            if (!g[1].equals("0") && g[2].isEmpty()) {
                // tshark shows an IP layer whose fixed header was cut before the addresses; the
                // decoder reports no IP header at all rather than one without addresses.
                assertEquals(DecodeStatus.TRUNCATED, v.status, "frame " + g[0]);
                assertEquals(0, v.ipVersion, "frame " + g[0]);
                continue;
            }
            final String ours = describe(v, g);
            final String theirs = String.join(" ", g).strip();
            if (!ours.equals(theirs)) {
                differences.add("frame " + g[0] + " (" + DecodeStatus.name(v.status) + ")\n  tshark: " + theirs
                    + "\n  ours:   " + ours);
            }
        }
        assertTrue(differences.isEmpty(), differences.size() + " frames differ:\n"
            + String.join("\n", differences.subList(0, Math.min(20, differences.size()))));
    }

    /** The decoder's view in the golden file's columns, leaving out what tshark left empty. */
    static String describe(final PacketView v, final String[] g) {
        final String[] o = new String[g.length];
        o[0] = g[0];
        o[1] = Integer.toString(v.ipVersion);
        if (v.ipVersion == 0) {
            assertFalse(v.hasPorts);
            for (int i = 2; i < o.length; i++) {
                o[i] = "";
            }
            return String.join(" ", o).strip();
        }
        o[2] = AddressText.format(v.ipVersion, v.srcHi, v.srcLo);
        o[3] = AddressText.format(v.ipVersion, v.dstHi, v.dstLo);
        o[4] = g[4].isEmpty() ? "" : Integer.toString(v.ipProto);
        o[5] = v.hasPorts ? Integer.toString(v.srcPort) : "";
        o[6] = v.hasPorts ? Integer.toString(v.dstPort) : "";
        final boolean quoted = v.icmpError || v.quotedSrcLo != 0 || v.quotedSrcHi != 0;
        o[7] = quoted ? AddressText.formatAny(v.quotedSrcHi, v.quotedSrcLo) : "";
        o[8] = quoted ? AddressText.formatAny(v.quotedDstHi, v.quotedDstLo) : "";
        o[9] = v.icmpError ? Integer.toString(v.quotedSrcPort) : "";
        o[10] = v.icmpError ? Integer.toString(v.quotedDstPort) : "";
        return String.join(" ", o).strip();
    }
}
