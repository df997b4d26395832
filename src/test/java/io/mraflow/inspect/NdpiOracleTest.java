package io.mraflow.inspect;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * nDPI as a second oracle: for the nDPI captures in {@code captures.txt}, every flow whose nDPI
 * master protocol ({@code <capture>.out}, the expected output shipped with nDPI's tests) is one
 * mraflow names gets that protocol from us, unless {@code overrides.tsv} says otherwise and why.
 * Only flows nDPI named by payload ({@code Confidence: DPI}) are compared: a "match by port" says
 * nothing about the payload. Flows whose address nDPI printed unparseably (it writes
 * {@code 2600:1900:4160:5999:0:19:0:0} as {@code 2600:1900:4160:5999::19::}) are skipped.
 */
class NdpiOracleTest {

    private static final Pattern FLOW = Pattern.compile(
        "^\\s+\\d+\\s+(TCP|UDP) (\\S+) <?-> (\\S+) .*?\\[proto: [0-9.]+/([A-Za-z0-9_]+)");

    static Stream<String> ndpiCaptures() {
        return CaptureFlows.captureList().stream()
            .filter(c -> c.startsWith("ndpi/") && Files.exists(CaptureFlows.CAPTURES.resolve(c + ".out")));
    }

    static String ours(final String ndpiMaster) {
        return switch (ndpiMaster) {
            case "TLS" -> "tls";
            case "DTLS" -> "dtls";
            case "SSH" -> "ssh";
            case "SIP" -> "sip";
            case "STUN" -> "stun";
            case "RTP" -> "rtp";
            case "RTCP" -> "rtcp";
            case "Jabber", "XMPP" -> "xmpp";
            case "HTTP" -> "http";
            default -> null;
        };
    }

    private static boolean unparseable(final String endpoint) {
        return endpoint.equals(CaptureFlows.normalize(endpoint)) && endpoint.contains("::") && endpoint.indexOf("::")
            != endpoint.lastIndexOf("::");
    }

    @ParameterizedTest
    @MethodSource("ndpiCaptures")
    void flowProtocolMatchesNdpiMasterProtocolOrADocumentedOverride(final String capture) throws IOException {
        final Map<String, CaptureFlows.Flow> flows = CaptureFlows.run(capture);
        final Map<String, String[]> overrides = CapturesIdentifyTest.overrides();
        final List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (final String line : Files.readAllLines(CaptureFlows.CAPTURES.resolve(capture + ".out"))) {
            final Matcher m = FLOW.matcher(line);
            if (!m.find() || !line.contains("[Confidence: DPI]") || unparseable(m.group(2)) || unparseable(m.group(3))) {
                continue;
            }
            final String key = CaptureFlows.key(m.group(1), m.group(2), m.group(3));
            final String[] o = overrides.get(capture + "\t" + key);
            final String expected = o != null ? o[4] : ours(m.group(4));
            if (expected == null || expected.equals("-")) {
                continue;
            }
            checked++;
            final CaptureFlows.Flow f = flows.get(key);
            final String got = f == null ? "(no flow)" : f.state.appProtoName();
            if (!expected.equals(got)) {
                wrong.add(key + " ours=" + got + " nDPI=" + m.group(4) + (o != null ? " override=" + o[4] : ""));
            }
        }
        assertTrue(wrong.isEmpty(), capture + ": " + wrong.size() + " of " + checked + " flows differ:\n"
            + String.join("\n", wrong));
    }
}
