package io.mraflow.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mraflow.flow.FlowRecord;
import io.mraflow.flow.FlowTableConfig;
import io.mraflow.inspect.AppProto;
import io.mraflow.pipeline.AnalysisResult;
import io.mraflow.pipeline.FileAnalysis;
import io.mraflow.report.AddressFormat;
import io.mraflow.rules.AllowList;
import io.mraflow.rules.Classifier;
import io.mraflow.rules.CompiledReference;
import io.mraflow.rules.FindingCode;
import io.mraflow.rules.FlowFacts;
import io.mraflow.rules.PortReference;
import io.mraflow.rules.PortSet;
import io.mraflow.rules.ReferenceFlows;
import io.mraflow.rules.ReferenceRow;
import io.mraflow.rules.Settings;
import io.mraflow.rules.Topology;
import io.mraflow.rules.Verdict;
import io.mraflow.rules.VerdictBuilder;
import io.mraflow.synth.CaptureWriter;
import io.mraflow.synth.PcapWriter;
import io.mraflow.synth.PcapngWriter;
import io.mraflow.synth.ScriptedCapture;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Table-driven over {@code rules/mra-ports.tsv} itself, through the whole pipeline: for every row,
 * flows built from its definition (ports at the low, middle and high of each range, every
 * transport), the same flows opened the other way, and flows with an opener or a responder port
 * one outside each range edge are written as real conversations (a payload the row documents) into
 * one capture file (pcapng with a topology, classic pcap by ports alone), read back through libpcap, inspected, classified and assessed, with a topology
 * and by ports alone. Each flow, found by its 5-tuple, must get exactly what {@link ReferenceFlows}'
 * set-based reading of the rows says for the same facts ({@link ReferenceFlows#expect}), plus the
 * payload check against the row that reading chose; no flow may be lost and, since every
 * conversation completes, no failure finding may appear.
 *
 * <p>Flows of different cases that share a 5-tuple (T2.3 reversed is T2.4, and the other way) are
 * written once when they are the same conversation, and otherwise in a later round of the same
 * file, after every flow of the earlier round has idled out of the flow table.
 */
class ReferenceRowsThroughCaptureTest {
    /** Every row compiled in, as in {@code ReferenceTableTest}. */
    private static final CompiledReference REF =
            PortReference.load().compile(Settings.defaults().with("turn-tcp-443", "true"));
    private static final ReferenceFlows FLOWS = new ReferenceFlows(REF);
    private static final long START = Instant.parse("2026-03-02T09:00:00Z").getEpochSecond() * 1_000_000_000L;
    /** Longer than every idle timeout of the default flow table (TCP established: 5 min). */
    private static final long ROUND_GAP_MICROS = 10L * 60 * 1_000_000;

    @TempDir
    Path dir;

    enum Category { INSIDE, REVERSED, OPENER_OUTSIDE, RESPONDER_OUTSIDE }

    /** One flow to write: built from {@code row}'s definition, and the facts the oracle reads. */
    record Case(Category category, int row, RowConversations.Kind kind, FlowFacts facts, List<String> aliases) {
        String origAddr() {
            return AddressFormat.format(facts.origHi, facts.origLo);
        }

        String respAddr() {
            return AddressFormat.format(facts.respHi, facts.respLo);
        }

        String key() {
            return tupleKey(facts.ipProto, facts.origHi, facts.origLo, facts.origPort, facts.respHi, facts.respLo,
                    facts.respPort);
        }

        String unorderedKey() {
            final String a = origAddr() + ":" + facts.origPort;
            final String b = respAddr() + ":" + facts.respPort;
            return facts.ipProto + " " + (a.compareTo(b) < 0 ? a + " " + b : b + " " + a);
        }

        /** What makes two cases with one 5-tuple the same conversation. */
        String conversation() {
            return key() + " " + kind + " " + facts.sni;
        }

        String label() {
            return category + " " + REF.row(row).id() + " " + facts.ipProto + " " + origAddr() + ":" + facts.origPort
                    + " -> " + respAddr() + ":" + facts.respPort + " " + kind;
        }
    }

    static String tupleKey(int proto, long oHi, long oLo, int oPort, long rHi, long rLo, int rPort) {
        return proto + " " + AddressFormat.format(oHi, oLo) + ":" + oPort + " > " + AddressFormat.format(rHi, rLo) + ":"
                + rPort;
    }

    // ---- the cases -----------------------------------------------------------------------------

    private static Case newCase(Category c, int row, FlowFacts f) {
        final ReferenceRow r = REF.row(row);
        final RowConversations.Kind kind = RowConversations.Kind.of(r);
        f.appProto = kind.appProto;
        f.sni = kind == RowConversations.Kind.TLS ? (r.sniHost() != null ? r.sniHost() : RowConversations.DEFAULT_SNI)
                : null;
        f.iceEvidence = kind == RowConversations.Kind.ICE;
        return new Case(c, row, kind, f, new ArrayList<>());
    }

    /** The cases of ReferenceTableTest: own flows, reversed, opener and responder port one outside each edge. */
    static List<Case> cases() {
        final List<Case> out = new ArrayList<>();
        for (ReferenceRow r : REF.reference().rows()) {
            final int i = r.index();
            for (FlowFacts f : FLOWS.insideFlows(i)) {
                out.add(newCase(Category.INSIDE, i, f));
                out.add(newCase(Category.REVERSED, i, ReferenceFlows.reversed(f)));
            }
            final PortSet rp = REF.responderPorts(i);
            for (int op : ReferenceFlows.outside(REF.openerPorts(i))) {
                out.add(newCase(Category.OPENER_OUTSIDE, i, FLOWS.flow(i, op, rp.low(0))));
            }
            final PortSet ops = REF.openerPorts(i);
            for (int p : ReferenceFlows.outside(rp)) {
                out.add(newCase(Category.RESPONDER_OUTSIDE, i, FLOWS.flow(i, ops.high(ops.rangeCount() - 1), p)));
            }
        }
        return out;
    }

    /**
     * Rounds of cases with distinct 5-tuples (either way round): a case that is the same
     * conversation as an earlier one is folded into it (its label kept as an alias).
     */
    static List<List<Case>> rounds(List<Case> cases) {
        final List<List<Case>> rounds = new ArrayList<>();
        final List<Map<String, Case>> used = new ArrayList<>();
        next:
        for (Case c : cases) {
            for (Map<String, Case> m : used) {
                final Case other = m.get(c.unorderedKey());
                if (other != null && other.conversation().equals(c.conversation())) {
                    other.aliases().add(c.label());
                    continue next;
                }
            }
            for (int k = 0; ; k++) {
                if (k == used.size()) {
                    used.add(new HashMap<>());
                    rounds.add(new ArrayList<>());
                }
                if (!used.get(k).containsKey(c.unorderedKey())) {
                    used.get(k).put(c.unorderedKey(), c);
                    rounds.get(k).add(c);
                    continue next;
                }
            }
        }
        return rounds;
    }

    // ---- the oracle for the whole verdict ------------------------------------------------------

    private static String id(int row) {
        return row < 0 ? "-" : REF.row(row).id();
    }

    /**
     * Findings the case should get, as CODE@ROW: the reading of the rows
     * ({@link ReferenceFlows#expect}), the payload against the row it gives (spec: a known protocol
     * outside the row's set is PROTOCOL_MISMATCH, cleartext SIP on T4.3 NOT_RECOMMENDED), and the
     * SIP trunk footnote on an undocumented flow with a topology.
     */
    static TreeSet<String> expectedFindings(Case c, Topology topo, ReferenceFlows.Expected e) {
        final TreeSet<String> out = new TreeSet<>();
        final FlowFacts f = c.facts();
        if (e.finding() != null) {
            out.add(e.finding() + "@" + id(e.citedRow()));
        }
        if (e.finding() == FindingCode.SOURCE_PORT_OUTSIDE_RANGE && !FLOWS.carries(e.citedRow(), f.appProto)) {
            out.add(FindingCode.PROTOCOL_MISMATCH + "@" + id(e.citedRow())); // the wrong protocol whatever the source port
        }
        if (e.row() >= 0 && (REF.row(e.row()).payload() & AppProto.bit(f.appProto)) == 0) {
            final boolean sip = f.appProto == AppProto.SIP && REF.row(e.row()).sipCleartextNotRecommended();
            out.add((sip ? FindingCode.NOT_RECOMMENDED : FindingCode.PROTOCOL_MISMATCH) + "@" + id(e.row()));
        }
        if (e.finding() == FindingCode.UNDOCUMENTED && topo != null
                && (f.appProto == AppProto.SIP || f.appProto == AppProto.TLS || f.appProto == AppProto.UNKNOWN)) {
            final int oRoles = topo.roles(f.origHi, f.origLo);
            final int rRoles = topo.roles(f.respHi, f.respLo);
            for (ReferenceRow r : REF.reference().rows()) {
                if (REF.active(r.index()) && (r.trunkPeers() & oRoles) != 0 && r.carries(f.ipProto)
                        && REF.responderPorts(r.index()).contains(f.respPort) && (r.responderRoles() & rRoles) != 0) {
                    out.add(FindingCode.NOT_RECOMMENDED + "@" + r.id());
                    break;
                }
            }
        }
        return out;
    }

    // ---- writing and reading -------------------------------------------------------------------

    /** Writes the rounds into one capture (pcapng or classic pcap by the name); returns each round's [start, end] time. */
    private static long[][] write(Path file, List<List<Case>> rounds) throws IOException {
        final long[][] windows = new long[rounds.size()][2];
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
             CaptureWriter w = file.toString().endsWith(".pcapng") ? new PcapngWriter(os) : new PcapWriter(os, true)) {
            final ScriptedCapture cap = new ScriptedCapture(w, START, 0x524F5753L);
            final RowConversations conv = new RowConversations(cap);
            for (int k = 0; k < rounds.size(); k++) {
                if (k > 0) {
                    cap.advanceMicros(ROUND_GAP_MICROS);
                }
                windows[k][0] = cap.now();
                for (Case c : rounds.get(k)) {
                    final FlowFacts f = c.facts();
                    conv.write(c.kind(), f.ipProto, c.origAddr(), f.origPort, c.respAddr(), f.respPort, f.sni, c.label());
                }
                windows[k][1] = cap.now();
            }
        }
        return windows;
    }

    private void run(String mode, Topology topo, String extension) throws IOException {
        final List<Case> all = cases();
        final List<List<Case>> rounds = rounds(all);
        final Path file = dir.resolve("reference-rows-" + mode + extension);
        final long[][] windows = write(file, rounds);

        final AnalysisResult result = new FileAnalysis(FlowTableConfig.defaults()).run(List.of(file));
        assertEquals(List.of(), result.problems(), "problems reading " + file);
        final int written = rounds.stream().mapToInt(List::size).sum();

        // every flow read, by round and 5-tuple as assessed (opener first)
        final VerdictBuilder assessment = new VerdictBuilder(new Classifier(REF, topo), AllowList.empty());
        final List<Map<String, Verdict>> read = new ArrayList<>();
        rounds.forEach(r -> read.add(new HashMap<>()));
        final List<String> unplaced = new ArrayList<>();
        for (FlowRecord rec : result.flows()) {
            final Verdict v = assessment.assess(rec);
            final FlowRecord f = v.flow();
            int k = -1;
            for (int i = 0; i < windows.length; i++) {
                if (rec.tsNanos() >= windows[i][0] && rec.tsNanos() <= windows[i][1]) {
                    k = i;
                }
            }
            final String key = tupleKey(f.ipProto(), f.origHi(), f.origLo(), f.origPort(), f.respHi(), f.respLo(),
                    f.respPort());
            if (k < 0 || read.get(k).put(key, v) != null) {
                unplaced.add("round " + k + ": " + key);
            }
        }

        final List<String> failures = new ArrayList<>();
        final Map<Category, int[]> counts = new EnumMap<>(Category.class);
        final Map<String, Integer> byExpectation = new LinkedHashMap<>();
        final List<String> payloadFindings = new ArrayList<>();
        for (int k = 0; k < rounds.size(); k++) {
            for (Case c : rounds.get(k)) {
                counts.computeIfAbsent(c.category(), x -> new int[1])[0]++;
                final Verdict v = read.get(k).remove(c.key());
                if (v == null) {
                    failures.add(c.label() + ": no flow read with this 5-tuple in round " + k);
                    continue;
                }
                final ReferenceFlows.Expected e = FLOWS.expect(c.facts(), topo);
                final TreeSet<String> want = expectedFindings(c, topo, e);
                final TreeSet<String> got = new TreeSet<>();
                v.findings().forEach(x -> got.add(x.code() + "@" + (x.row() == null ? "-" : x.row())));
                final String wantRow = e.row() < 0 ? null : id(e.row());
                final String wantApp = AppProto.name(c.kind().appProto);
                final String wantSni = c.facts().sni;
                final boolean ice = v.flow().inspection() != null && v.flow().inspection().iceEvidence();
                if (!java.util.Objects.equals(wantRow, v.row()) || !want.equals(got) || !wantApp.equals(v.appProto())
                        || !java.util.Objects.equals(wantSni, v.sni()) || ice != c.facts().iceEvidence) {
                    failures.add(c.label() + (c.aliases().isEmpty() ? "" : " (also " + c.aliases() + ")")
                            + "\n      expected row=" + wantRow + " " + want + " app=" + wantApp + " sni=" + wantSni
                            + " ice=" + c.facts().iceEvidence
                            + "\n      got      row=" + v.row() + " " + got + " app=" + v.appProto() + " sni=" + v.sni()
                            + " ice=" + ice + " state=" + v.flow().connState() + " history=" + v.flow().history());
                }
                // with a topology, a row's own flows are that row, with nothing to say
                if (topo != null && c.category() == Category.INSIDE
                        && !(REF.row(c.row()).id().equals(v.row()) && v.findings().isEmpty())) {
                    failures.add(c.label() + ": own flow with a topology is " + v.row() + " " + got);
                }
                byExpectation.merge(c.category() + " " + (wantRow != null ? "row" : e.finding().name()), 1, Integer::sum);
                want.stream().filter(x -> x.startsWith("PROTOCOL_MISMATCH") || x.startsWith("NOT_RECOMMENDED"))
                        .forEach(x -> {
                            byExpectation.merge("payload/footnote " + x, 1, Integer::sum);
                            payloadFindings.add(c.label() + " -> " + want);
                        });
            }
        }
        read.forEach(m -> m.keySet().forEach(key -> unplaced.add("not written: " + key)));

        final Map<Category, Integer> defined = new EnumMap<>(Category.class);
        all.forEach(c -> defined.merge(c.category(), 1, Integer::sum));
        final String summary = mode + ": " + all.size() + " cases " + defined + ", " + written + " flows written in " + rounds.size()
                + " round(s), " + result.flows().count() + " read, " + result.packets() + " packets; flows per category "
                + counts.entrySet().stream().map(x -> x.getKey() + "=" + x.getValue()[0]).toList() + "; " + byExpectation;
        System.out.println(summary + "\n  payload or footnote findings expected (the flow is another row than the one it was built from):\n    "
                + String.join("\n    ", payloadFindings));
        assertEquals(written, result.flows().count(), summary + "\nunplaced: " + unplaced);
        assertEquals(List.of(), unplaced, summary);
        assertEquals("", String.join("\n", failures), summary + "\n" + failures.size() + " case(s) differ");
        assertTrue(written > 0);
    }

    @Test
    void everyRowsFlowsThroughACaptureWithATopology() throws IOException {
        run("topology", ReferenceFlows.topology(), ".pcapng");
    }

    @Test
    void everyRowsFlowsThroughACaptureByPortsAlone() throws IOException {
        run("ports", null, ".pcap");
    }
}
