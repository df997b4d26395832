package io.mraflow.report;

import io.mraflow.decode.IpProto;
import java.util.Locale;

import io.mraflow.decode.DecodeStatus;
import io.mraflow.flow.FlowEnd;
import io.mraflow.flow.FlowRecord;
import io.mraflow.pipeline.Analysis;
import io.mraflow.pipeline.AnalysisResult;
import io.mraflow.rules.CompiledReference;
import io.mraflow.rules.Diagnosis;
import io.mraflow.rules.FindingCode;
import io.mraflow.rules.ReferenceRow;
import io.mraflow.rules.Stage;
import io.mraflow.rules.Verdict;

import java.io.PrintStream;
import java.util.Formatter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The readable report: a summary (per documented row: flows, packets, bytes; findings by code,
 * worst first; documented rows not seen at all), then one line per flow with its findings
 * indented beneath. The summary is written from {@link VerdictTotals}, the flows one at a time,
 * so no verdict is kept. Strings from packets (SNI) are escaped.
 */
public final class FlowTextWriter {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

    /** Flow lines gathered before they are printed at once: about this many characters. */
    private static final int PRINT_AT = 1 << 15;
    private static final String NL = System.lineSeparator(); // what println ends a line with

    private final PrintStream out;
    /**
     * Flow lines not yet printed. Standard output flushes at every line it is given (and its
     * buffer holds 128 bytes): a write system call per line, ~150,000 for 50,000 flows. Printed a
     * block at a time, through the same stream, so in the same encoding.
     */
    private final StringBuilder lines = new StringBuilder(PRINT_AT + 4096);
    /** Formats into {@link #lines}, in the locale {@code out.printf} uses. */
    private final Formatter formatter = new Formatter(lines);

    public FlowTextWriter(final PrintStream out) {
        this.out = out;
    }

    /** Prints the flow lines gathered; every other part of the report calls it first, to keep the order. */
    public void flush() {
        if (lines.length() > 0) {
            out.append(lines);
            lines.setLength(0);
        }
    }

    /**
     * The summary, what matters first: counters and input problems, where the roles come from
     * (a warning when there are none), the findings worst first with the flows that raised them,
     * then the documented rows seen and not seen; then the header of the flow lines.
     */
    public void writeSummary(final AnalysisResult result, final VerdictTotals totals, final CompiledReference reference, final Analysis.Roles roles) {
        flush();
        writeCounters(result, totals);
        out.println(roles.note());
        out.println();
        writeFindings(totals);
        writeRows(totals, reference);
        out.println();
        out.printf("%-26s %-4s %-45s %-45s %-6s %11s %15s %-7s %-5s %s%n",
                "first packet (UTC)", "prot", "originator", "responder", "row", "pkts o/r", "bytes o/r",
                "state", "app", "history");
    }

    /**
     * The diagnosis, first of all: the first failing stage and its cause, then every stage's
     * status with what shows it (the Community IDs of its flows, failing ones first).
     */
    public void writeDiagnosis(final Diagnosis d) {
        flush();
        out.println("diagnosis: " + (d.firstFailing() == null ? "no stage failed"
                : "first failing stage: " + d.firstFailing().label()));
        if (d.cause() != null) {
            out.println("  cause: " + TextEscape.of(d.cause()));
        }
        for (Diagnosis.StageResult r : d.stages()) {
            out.printf("  %-17s %-8s %s%n", r.stage().label(),
                    r.status() == Stage.Status.FAILING ? "FAILING" : r.status().label(), TextEscape.of(r.detail()));
            if (!r.evidence().isEmpty() && r.status() == Stage.Status.FAILING) {
                out.println("                             flows: " + String.join(" ", r.evidence()));
            }
        }
        out.println();
    }

    /** After the flows: the inferred topology with its evidence, when roles were inferred. */
    public void writeEvidence(final Analysis.Roles roles) {
        flush();
        if (roles.evidence() != null) {
            out.println();
            out.println("roles inferred, with their evidence (a topology file: correct it and pass it back with --topology):");
            out.print(roles.evidence());
        }
    }

    /** One flow's line, its findings indented beneath. */
    public void writeFlow(final Verdict v) {
        FlowRecord f = v.flow();
        formatter.format("%-26s %-4s %-45s %-45s %-6s %11s %15s %-7s %-5s %s%s%s%s%s%s%n",
                TIME.format(Instant.ofEpochSecond(0, f.tsNanos())),
                f.ipProto() == IpProto.TCP ? "tcp" : "udp",
                endpoint(f.origHi(), f.origLo(), f.origPort(), v.origRole()),
                endpoint(f.respHi(), f.respLo(), f.respPort(), v.respRole()),
                v.row() == null ? "-" : v.row(),
                f.origPkts() + "/" + f.respPkts(),
                f.origIpBytes() + "/" + f.respIpBytes(),
                f.connState(),
                v.appProto(),
                f.history(),
                v.sni() == null ? "" : "  sni " + TextEscape.of(v.sni()),
                v.sni() != null || v.serverName() == null ? "" : "  name " + TextEscape.of(v.serverName()),
                v.appProtos().size() < 2 ? "" : "  seen " + String.join(">", v.appProtos()),
                dns(v),
                f.ended() == FlowEnd.EVICTED ? "  (evicted: cut short)" : "");
        for (RtpRows.Row row : RtpRows.of(v)) {
            lines.append("    ").append(rtpLine(row)).append(NL);
        }
        for (Verdict.Finding x : v.findings()) {
            lines.append("    ").append(x.severity().label().toUpperCase(Locale.ROOT)).append(' ').append(x.code()).append(": ")
                    .append(TextEscape.of(x.message())).append(NL);
            lines.append("      wireshark: ").append(WiresharkFilter.of(f, x.code() == FindingCode.ICMP_UNREACHABLE)).append(NL);
        }
        for (Verdict.Finding x : v.allowed()) {
            lines.append("    allowed ").append(x.code()).append(": ").append(TextEscape.of(x.message())).append(NL);
        }
        if (lines.length() >= PRINT_AT) {
            flush();
        }
    }

    /** A DNS flow's question and answers, escaped: {@code dns a.example.com A -> 192.0.2.1, ...}. */
    private static String dns(final Verdict v) {
        if (v.dnsQuery() == null) {
            return "";
        }
        return "  dns " + TextEscape.of(v.dnsQuery())
                + (v.dnsAnswers().isEmpty() ? "" : " -> " + TextEscape.of(String.join(", ", v.dnsAnswers())));
    }

    /** One RTP stream: who sent it, its SSRC and payload, loss and sequence, spacing, jitter, what RTCP said. */
    static String rtpLine(final RtpRows.Row row) {
        final io.mraflow.inspect.RtpStream s = row.stream();
        final StringBuilder b = new StringBuilder(160);
        b.append("rtp ").append(row.direction()).append(' ').append(RtpRows.ssrc(s)).append(" pt ").append(s.payloadType());
        b.append(String.format(java.util.Locale.ROOT, ": %d packets, lost %d of %d, %d seq errors, %d duplicates, delta max %.1f mean %.1f ms",
                s.packets, s.lost(), s.expected(), s.seqErrors(), s.duplicates(), s.maxDeltaMs(), s.meanDeltaMs()));
        if (s.clockRate() == 0) {
            b.append(", jitter unknown (no clock rate for this payload type: --rtp-clock)");
        } else {
            b.append(String.format(java.util.Locale.ROOT, ", jitter %.2f ms (max %.2f, p95 %.2f) at %d Hz",
                    s.jitterMs(), s.maxJitterMs(), s.jitterPercentileMs(95), s.clockRate()));
        }
        if (s.rtcpSeen()) {
            b.append(String.format(java.util.Locale.ROOT, "; RTCP: fraction lost %d/256, cumulative %d", s.rtcpFractionLost(),
                    s.rtcpCumulativeLost()));
            if (s.clockRate() != 0) {
                b.append(String.format(java.util.Locale.ROOT, ", jitter %.2f ms", s.rtcpJitterMs()));
            }
        }
        return b.toString();
    }

    private void writeCounters(final AnalysisResult result, final VerdictTotals totals) {
        long[] s = result.decodeStatus();
        out.printf("packets %d, flows %d (tcp %d, udp %d)%n", result.packets(), totals.flows(), totals.tcp(), totals.udp());
        StringBuilder decode = new StringBuilder("decode:");
        for (int i = 0; i < s.length; i++) {
            if (s[i] > 0) {
                decode.append(' ').append(DecodeStatus.name(i)).append(' ').append(s[i]);
            }
        }
        out.println(decode);
        for (String problem : result.problems()) {
            out.println("input problem: " + TextEscape.of(problem));
        }
        if (result.flowsEvicted() > 0) {
            out.println(evictionNote(result));
        }
        if (result.failure() != null) {
            out.println("internal failure: " + TextEscape.of(result.failure().describe())
                    + "; packets after it were not analysed");
        }
    }

    /** The line that says flows were cut short, for the summary and for stderr. */
    public static String evictionNote(final AnalysisResult result) {
        return "evicted: " + result.flowsEvicted() + " flows ended early because the flow tables were full ("
                + result.pipeline().maxFlows() + " flows at most, sized to the heap); each is reported,"
                + " cut short, and a later packet of its 5-tuple started a new flow";
    }

    private void writeRows(final VerdictTotals totals, final CompiledReference reference) {
        out.println();
        out.println("documented flows seen (row: flows, packets, bytes):");
        StringBuilder unseen = new StringBuilder();
        Set<String> listed = new HashSet<>();
        for (int i = 0; i < reference.rowCount(); i++) {
            if (!reference.active(i) || !listed.add(reference.row(i).id())) {
                continue;
            }
            ReferenceRow row = reference.row(i);
            long[] c = totals.row(row.id());
            if (c[0] == 0) {
                unseen.append(unseen.length() == 0 ? "" : " ").append(row.id());
                continue;
            }
            out.printf("  %-6s %5d %9d %12d  %s%n", row.id(), c[0], c[1], c[2], row.purpose());
        }
        long[] none = totals.noRow();
        out.printf("  %-6s %5d %9d %12d  matches no row%n", "-", none[0], none[1], none[2]);
        out.println("documented rows not seen: " + (unseen.length() == 0 ? "none" : unseen));
    }

    private void writeFindings(final VerdictTotals totals) {
        Map<FindingCode, long[]> byCode = totals.byCode();
        out.println("findings (worst first):" + (byCode.isEmpty() ? " none" : ""));
        byCode.entrySet().stream()
                .sorted((a, b) -> a.getKey().severity() != b.getKey().severity()
                        ? b.getKey().severity().compareTo(a.getKey().severity())
                        : a.getKey().compareTo(b.getKey()))
                .forEach(e -> {
                    out.printf("  %-6s %-26s %5d flows%s%n", e.getKey().severity().label(), e.getKey(),
                            e.getValue()[0], e.getValue()[1] > 0 ? " (+" + e.getValue()[1] + " allowed)" : "");
                    for (String flow : totals.named(e.getKey())) {
                        out.println("           " + flow);
                    }
                    if (e.getValue()[0] > totals.named(e.getKey()).size()) {
                        out.println("           ... and " + (e.getValue()[0] - totals.named(e.getKey()).size()) + " more below");
                    }
                });
        out.println();
    }

    private static String endpoint(final long hi, final long lo, final int port, final String role) {
        String a = AddressFormat.format(hi, lo);
        String ep = (AddressFormat.isV4(hi, lo) ? a : "[" + a + "]") + ":" + port;
        return role == null ? ep : ep + " " + role;
    }
}
