package io.mraflow.report;

import io.mraflow.decode.DecodeStatus;
import io.mraflow.flow.FlowRecord;
import io.mraflow.pipeline.AnalysisResult;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The readable report: a short summary, then one line per flow in a fixed-width table. */
public final class FlowTextWriter {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

    private final PrintStream out;

    public FlowTextWriter(PrintStream out) {
        this.out = out;
    }

    public void write(AnalysisResult result) {
        writeSummary(result);
        out.println();
        out.printf("%-26s %-4s %-47s %-47s %15s %19s %-7s %s%n",
                "first packet (UTC)", "prot", "originator", "responder", "pkts orig/resp", "bytes orig/resp",
                "state", "history");
        for (FlowRecord f : result.flows()) {
            out.printf("%-26s %-4s %-47s %-47s %15s %19s %-7s %s%n",
                    TIME.format(Instant.ofEpochSecond(0, f.tsNanos())),
                    f.ipProto() == 6 ? "tcp" : "udp",
                    endpoint(f.origHi(), f.origLo(), f.origPort()),
                    endpoint(f.respHi(), f.respLo(), f.respPort()),
                    f.origPkts() + "/" + f.respPkts(),
                    f.origIpBytes() + "/" + f.respIpBytes(),
                    f.connState(),
                    f.history() + (f.icmpErrors() > 0 ? "  icmp " + f.lastIcmpType() + "/" + f.lastIcmpCode()
                            + " x" + f.icmpErrors() : ""));
        }
    }

    private void writeSummary(AnalysisResult result) {
        long[] s = result.decodeStatus();
        out.printf("packets %d, flows %d (tcp %d, udp %d)%n", result.packets(), result.flows().size(),
                result.flows().stream().filter(f -> f.ipProto() == 6).count(),
                result.flows().stream().filter(f -> f.ipProto() == 17).count());
        StringBuilder decode = new StringBuilder("decode:");
        for (int i = 0; i < s.length; i++) {
            if (s[i] > 0) {
                decode.append(' ').append(DecodeStatus.name(i)).append(' ').append(s[i]);
            }
        }
        out.println(decode);
        for (String problem : result.problems()) {
            out.println("input problem: " + problem);
        }
    }

    private static String endpoint(long hi, long lo, int port) {
        String a = AddressFormat.format(hi, lo);
        return (AddressFormat.isV4(hi, lo) ? a : "[" + a + "]") + ":" + port;
    }
}
