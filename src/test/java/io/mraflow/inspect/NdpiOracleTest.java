package io.mraflow.inspect;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * nDPI as a second oracle: for the nDPI captures in {@code golden/hand-kept/inspect-captures.txt}, every flow whose nDPI
 * master protocol ({@code <capture>.out}, the expected output shipped with nDPI's tests) is one
 * mraflow names gets that protocol from us, unless {@code inspect-overrides.tsv} or
 * {@code inspect-ndpi-disagreements.tsv} (both in {@code golden/hand-kept/}) says otherwise and why.
 * Only flows nDPI named by payload ({@code Confidence: DPI}) are compared: a "match by port" says
 * nothing about the payload. Flows whose address nDPI printed unparseably (it writes
 * {@code 2600:1900:4160:5999:0:19:0:0} as {@code 2600:1900:4160:5999::19::}) are skipped.
 */
class NdpiOracleTest {

    private static final Pattern FLOW = Pattern.compile(
        "^\\s+\\d+\\s+(TCP|UDP) (\\S+) <?-> (\\S+) .*?\\[proto: [0-9.]+/([A-Za-z0-9_]+)(?:\\.([^\\]]+))?\\]");

    /**
     * Our name for nDPI's label {@code master.app}: the app part when it is one of our protocols
     * ({@code STUN.RTP}, RTP carried after STUN checks, is RTP), else the master ({@code TLS.Amazon}).
     */
    static String ours(final Matcher m) {
        final String app = m.group(5) == null ? null : ours(m.group(5));
        return app != null ? app : ours(m.group(4));
    }

    /** At least this share of the flows nDPI names by payload get the same name from us. */
    static final double MIN_AGREEMENT = 0.95;

    /** Every nDPI capture that ships with its expected output, listed in inspect-captures.txt or not. */
    static List<String> allNdpiCaptures() throws IOException {
        try (Stream<java.nio.file.Path> files = Files.list(CaptureFlows.CAPTURES.resolve("ndpi"))) {
            return files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".out"))
                .map(f -> "ndpi/" + f.substring(0, f.length() - ".out".length())).sorted().toList();
        }
    }

    /** {@code inspect-ndpi-disagreements.tsv} by capture and flow key. */
    static Map<String, String[]> disagreements() {
        final Map<String, String[]> reasons = new HashMap<>();
        for (final String[] r : CaptureFlows.handKept("inspect-ndpi-disagreements.tsv")) {
            reasons.put(r[0] + "\t" + CaptureFlows.key(r[1], r[2], r[3]), r);
        }
        return reasons;
    }

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
            case "DNS" -> "dns";
            default -> null;
        };
    }

    private static boolean unparseable(final String endpoint) {
        return endpoint.equals(CaptureFlows.normalize(endpoint)) && endpoint.contains("::") && endpoint.indexOf("::")
            != endpoint.lastIndexOf("::");
    }

    /**
     * The figure over every nDPI capture with an expected output: of the flows nDPI names by
     * payload as one of our protocols, how many we name the same. Each flow where we differ is
     * in {@code inspect-ndpi-disagreements.tsv} with what we say and why; no line there is stale.
     */
    @Test
    void agreesWithNdpiOnAtLeastNinetyFivePercentOfFlowsAndExplainsEveryDisagreement() throws IOException {
        final Map<String, String[]> reasons = disagreements();
        final List<String> unexplained = new ArrayList<>();
        final List<String> explained = new ArrayList<>();
        int checked = 0;
        int agree = 0;
        for (final String capture : allNdpiCaptures()) {
            final Map<String, CaptureFlows.Flow> flows = CaptureFlows.run(capture);
            for (final String line : Files.readAllLines(CaptureFlows.CAPTURES.resolve(capture + ".out"))) {
                final Matcher m = FLOW.matcher(line);
                if (!m.find() || !line.contains("[Confidence: DPI]") || unparseable(m.group(2)) || unparseable(m.group(3))
                    || ours(m) == null) {
                    continue;
                }
                checked++;
                final String key = CaptureFlows.key(m.group(1), m.group(2), m.group(3));
                final CaptureFlows.Flow f = flows.get(key);
                final String got = f == null ? "(no flow)" : f.state.appProtoName();
                final String[] reason = reasons.remove(capture + "\t" + key);
                if (got.equals(ours(m))) {
                    agree++;
                    if (reason != null) {
                        unexplained.add(capture + " " + key + ": we agree now, the reason line is stale");
                    }
                } else if (reason == null || !reason[4].equals(got)) {
                    unexplained.add(capture + " " + key.replace('\t', ' ') + " ours=" + got + " nDPI=" + m.group(4)
                        + (reason == null ? " (no reason given)" : " (the reason line says ours=" + reason[4] + ")"));
                } else {
                    explained.add(capture + " " + key.replace('\t', ' ') + " ours=" + got + " nDPI=" + m.group(4) + ": " + reason[6]);
                }
            }
        }
        for (final String stale : reasons.keySet()) {
            unexplained.add(stale.replace('\t', ' ') + ": no such flow named by nDPI, the reason line is stale");
        }
        final double share = checked == 0 ? 0 : (double) agree / checked;
        System.out.printf(java.util.Locale.ROOT, "nDPI agreement: %d of %d flows (%.1f %%); disagreements:%n%s%n",
            agree, checked, 100 * share, String.join("\n", explained));
        assertTrue(unexplained.isEmpty(), unexplained.size() + " disagreements without a reason:\n"
            + String.join("\n", unexplained));
        assertTrue(checked >= 250, "only " + checked + " flows compared: the captures or the .out parsing went missing");
        assertTrue(share >= MIN_AGREEMENT, "agreement " + agree + " of " + checked + " is below 95 %");
    }

    @ParameterizedTest
    @MethodSource("ndpiCaptures")
    void flowProtocolMatchesNdpiMasterProtocolOrADocumentedOverride(final String capture) throws IOException {
        final Map<String, CaptureFlows.Flow> flows = CaptureFlows.run(capture);
        final Map<String, String[]> overrides = CapturesIdentifyTest.overrides();
        final Map<String, String[]> reasons = disagreements();
        final List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (final String line : Files.readAllLines(CaptureFlows.CAPTURES.resolve(capture + ".out"))) {
            final Matcher m = FLOW.matcher(line);
            if (!m.find() || !line.contains("[Confidence: DPI]") || unparseable(m.group(2)) || unparseable(m.group(3))) {
                continue;
            }
            final String key = CaptureFlows.key(m.group(1), m.group(2), m.group(3));
            final String[] o = overrides.getOrDefault(capture + "\t" + key, reasons.get(capture + "\t" + key));
            final String expected = o != null ? o[4] : ours(m);
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
