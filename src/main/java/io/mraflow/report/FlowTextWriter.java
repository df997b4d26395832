package io.mraflow.report;

import io.mraflow.decode.DecodeStatus;
import io.mraflow.flow.FlowRecord;
import io.mraflow.pipeline.AnalysisResult;
import io.mraflow.rules.CompiledReference;
import io.mraflow.rules.FindingCode;
import io.mraflow.rules.FlowVerdict;
import io.mraflow.rules.ReferenceRow;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The readable report: a summary (per documented row: flows, packets, bytes; findings by code,
 * worst first; documented rows not seen at all), then one line per flow with its findings
 * indented beneath. Strings from packets (SNI) are escaped.
 */
public final class FlowTextWriter {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

    private final PrintStream out;

    public FlowTextWriter(PrintStream out) {
        this.out = out;
    }

    public void write(AnalysisResult result, List<FlowVerdict> verdicts, List<FlowVerdict> shown,
                      CompiledReference reference, String basisNote) {
        writeCounters(result, verdicts);
        out.println(basisNote);
        writeRows(verdicts, reference);
        writeFindings(verdicts);
        out.println();
        out.printf("%-26s %-4s %-45s %-45s %-6s %11s %15s %-7s %-5s %s%n",
                "first packet (UTC)", "prot", "originator", "responder", "row", "pkts o/r", "bytes o/r",
                "state", "app", "history");
        for (FlowVerdict v : shown) {
            FlowRecord f = v.flow();
            out.printf("%-26s %-4s %-45s %-45s %-6s %11s %15s %-7s %-5s %s%s%n",
                    TIME.format(Instant.ofEpochSecond(0, f.tsNanos())),
                    f.ipProto() == 6 ? "tcp" : "udp",
                    endpoint(f.origHi(), f.origLo(), f.origPort(), v.origRole()),
                    endpoint(f.respHi(), f.respLo(), f.respPort(), v.respRole()),
                    v.row() == null ? "-" : v.row(),
                    f.origPkts() + "/" + f.respPkts(),
                    f.origIpBytes() + "/" + f.respIpBytes(),
                    f.connState(),
                    v.appProto(),
                    f.history(),
                    v.sni() == null ? "" : "  sni " + TextEscape.of(v.sni()));
            for (FlowVerdict.Finding x : v.findings()) {
                out.println("    " + x.severity().label().toUpperCase() + " " + x.code() + ": " + TextEscape.of(x.message()));
            }
            for (FlowVerdict.Finding x : v.allowed()) {
                out.println("    allowed " + x.code() + ": " + TextEscape.of(x.message()));
            }
        }
    }

    private void writeCounters(AnalysisResult result, List<FlowVerdict> verdicts) {
        long[] s = result.decodeStatus();
        out.printf("packets %d, flows %d (tcp %d, udp %d)%n", result.packets(), verdicts.size(),
                verdicts.stream().filter(v -> v.flow().ipProto() == 6).count(),
                verdicts.stream().filter(v -> v.flow().ipProto() == 17).count());
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
    }

    private void writeRows(List<FlowVerdict> verdicts, CompiledReference reference) {
        Map<String, long[]> byRow = new LinkedHashMap<>();
        for (int i = 0; i < reference.rowCount(); i++) {
            if (reference.active(i)) {
                byRow.put(reference.row(i).id(), new long[3]);
            }
        }
        long[] none = new long[3];
        for (FlowVerdict v : verdicts) {
            long[] c = v.row() == null ? none : byRow.computeIfAbsent(v.row(), k -> new long[3]);
            FlowRecord f = v.flow();
            c[0]++;
            c[1] += f.origPkts() + f.respPkts();
            c[2] += f.origIpBytes() + f.respIpBytes();
        }
        out.println();
        out.println("documented flows seen (row: flows, packets, bytes):");
        StringBuilder unseen = new StringBuilder();
        for (Map.Entry<String, long[]> e : byRow.entrySet()) {
            long[] c = e.getValue();
            if (c[0] == 0) {
                unseen.append(unseen.length() == 0 ? "" : " ").append(e.getKey());
                continue;
            }
            ReferenceRow row = rowById(reference, e.getKey());
            out.printf("  %-6s %5d %9d %12d  %s%n", e.getKey(), c[0], c[1], c[2], row == null ? "" : row.purpose());
        }
        out.printf("  %-6s %5d %9d %12d  matches no row%n", "-", none[0], none[1], none[2]);
        out.println("documented rows not seen: " + (unseen.length() == 0 ? "none" : unseen));
    }

    private void writeFindings(List<FlowVerdict> verdicts) {
        Map<FindingCode, long[]> byCode = new EnumMap<>(FindingCode.class);
        for (FlowVerdict v : verdicts) {
            for (FlowVerdict.Finding x : v.findings()) {
                byCode.computeIfAbsent(x.code(), k -> new long[2])[0]++;
            }
            for (FlowVerdict.Finding x : v.allowed()) {
                byCode.computeIfAbsent(x.code(), k -> new long[2])[1]++;
            }
        }
        out.println("findings (worst first):" + (byCode.isEmpty() ? " none" : ""));
        byCode.entrySet().stream()
                .sorted((a, b) -> a.getKey().severity() != b.getKey().severity()
                        ? b.getKey().severity().compareTo(a.getKey().severity())
                        : a.getKey().compareTo(b.getKey()))
                .forEach(e -> out.printf("  %-6s %-26s %5d flows%s%n", e.getKey().severity().label(), e.getKey(),
                        e.getValue()[0], e.getValue()[1] > 0 ? " (+" + e.getValue()[1] + " allowed)" : ""));
    }

    private static ReferenceRow rowById(CompiledReference reference, String id) {
        for (int i = 0; i < reference.rowCount(); i++) {
            if (reference.row(i).id().equals(id)) {
                return reference.row(i);
            }
        }
        return null;
    }

    private static String endpoint(long hi, long lo, int port, String role) {
        String a = AddressFormat.format(hi, lo);
        String ep = (AddressFormat.isV4(hi, lo) ? a : "[" + a + "]") + ":" + port;
        return role == null ? ep : ep + " " + role;
    }
}
