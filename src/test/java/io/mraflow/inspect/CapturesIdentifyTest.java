package io.mraflow.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every flow of the listed real captures gets a protocol tshark also decoded in it
 * ({@code golden/inspect/flows.tsv}, made by {@code scripts/golden inspect}), unless
 * {@code golden/hand-kept/inspect-overrides.tsv}
 * records a deliberate disagreement with its reason; a flow where tshark decoded none of our
 * protocols stays unknown (no false positives); and every ClientHello SNI tshark reports is
 * the SNI we extract ({@code sni.tsv}); and on every DNS flow tshark decoded, our first
 * question is tshark's {@code dns.qry.name} and every address we read is one of tshark's
 * {@code dns.a}/{@code dns.aaaa} for the flow ({@code dns.tsv}).
 */
class CapturesIdentifyTest {

    static Stream<String> captures() {
        return CaptureFlows.captureList().stream();
    }

    static Map<String, String[]> overrides() {
        final Map<String, String[]> m = new HashMap<>();
        for (final String[] r : CaptureFlows.handKept("inspect-overrides.tsv")) {
            m.put(r[0] + "\t" + CaptureFlows.key(r[1], r[2], r[3]), r);
        }
        return m;
    }

    @ParameterizedTest
    @MethodSource("captures")
    void flowProtocolIsOneTsharkDecodedOrADocumentedOverride(final String capture) {
        final Map<String, CaptureFlows.Flow> flows = CaptureFlows.run(capture);
        final Map<String, String[]> overrides = overrides();
        final List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (final String[] r : CaptureFlows.golden("flows.tsv")) {
            if (!r[0].equals(capture)) {
                continue;
            }
            final String key = CaptureFlows.key(r[1], r[2], r[3]);
            final CaptureFlows.Flow f = flows.get(key);
            final String ours = f == null ? "(no flow)" : f.state.appProtoName();
            final String[] o = overrides.get(capture + "\t" + key);
            if (o != null && o[4].equals("-")) {
                continue; // the test-only header walker cannot reach this flow (encapsulation)
            }
            if (o != null) {
                checked++;
                if (!o[4].equals(ours)) {
                    wrong.add(key + " ours=" + ours + " override expects " + o[4] + " (" + o[5] + ")");
                }
                continue;
            }
            checked++;
            if (r[5].isEmpty()) {
                // tshark decoded none of our protocols: naming one anyway would be a false positive
                if (f != null && f.state.appProto() != AppProto.UNKNOWN) {
                    wrong.add(key + " ours=" + ours + " tshark decoded none of ours");
                }
                continue;
            }
            if (!List.of(r[5].split(",")).contains(ours)) {
                wrong.add(key + " ours=" + ours + " tshark=" + r[5]);
            }
        }
        assertTrue(wrong.isEmpty(), capture + ": " + wrong.size() + " of " + checked + " flows differ:\n"
            + String.join("\n", wrong));
    }

    @ParameterizedTest
    @MethodSource("captures")
    void dnsQuestionAndAnswersAreTheOnesTsharkDecodes(final String capture) {
        final Map<String, CaptureFlows.Flow> flows = CaptureFlows.run(capture);
        final Map<String, String[]> overrides = overrides();
        final List<String> wrong = new ArrayList<>();
        for (final String[] r : CaptureFlows.golden("dns.tsv")) {
            final String key = CaptureFlows.key(r[1], r[2], r[3]);
            final String[] o = overrides.get(capture + "\t" + key);
            if (!r[0].equals(capture) || o != null && o[4].equals("-")) {
                continue;
            }
            final CaptureFlows.Flow f = flows.get(key);
            final DnsExchange dns = f == null ? null : f.state.dns();
            if (dns == null) {
                wrong.add(key + " no DNS read, tshark asked " + r[4]);
                continue;
            }
            if (!r[4].equals(dns.queryName())) {
                wrong.add(key + " query ours=" + dns.queryName() + " tshark=" + r[4]);
            }
            final List<String> theirs = new ArrayList<>();
            for (final String a : r[5].isEmpty() ? new String[0] : r[5].split(",")) {
                theirs.add(CaptureFlows.normalizeAddress(a));
            }
            int addresses = 0;
            for (int i = 0; i < dns.answerCount(); i++) {
                final int type = dns.answerType(i);
                if (type == Dns.TYPE_A || type == Dns.TYPE_AAAA) {
                    addresses++;
                    if (!theirs.contains(CaptureFlows.normalizeAddress(dns.answer(i)))) {
                        wrong.add(key + " answer " + dns.answer(i) + " is not among tshark's " + theirs);
                    }
                }
            }
            // only the first IP fragment of a message is inspected: tshark reassembles the rest
            if (addresses == 0 && !theirs.isEmpty() && r[6].equals("no")) {
                wrong.add(key + " no address read, tshark has " + theirs);
            }
        }
        assertEquals(List.of(), wrong, capture);
    }

    @ParameterizedTest
    @MethodSource("captures")
    void sniIsTheFirstServerNameTsharkReportsForTheFlow(final String capture) {
        final Map<String, CaptureFlows.Flow> flows = CaptureFlows.run(capture);
        final Map<String, String> firstSni = new HashMap<>();
        for (final String[] r : CaptureFlows.golden("sni.tsv")) {
            if (r[0].equals(capture)) {
                firstSni.putIfAbsent(CaptureFlows.key(r[1], r[2], r[3]), r[4]);
            }
        }
        final List<String> wrong = new ArrayList<>();
        for (final Map.Entry<String, String> e : firstSni.entrySet()) {
            final CaptureFlows.Flow f = flows.get(e.getKey());
            final String ours = f == null ? "(no flow)" : f.state.sni();
            if (!e.getValue().equals(ours)) {
                wrong.add(e.getKey() + " ours=" + ours + " tshark=" + e.getValue());
            }
        }
        assertEquals(List.of(), wrong, capture);
    }
}
