package io.mraflow.report.html;

import io.mraflow.decode.IpProto;
import io.mraflow.flow.FlowRecord;
import io.mraflow.report.CommunityId;
import io.mraflow.rules.FindingCode;
import io.mraflow.rules.Verdict;

import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The findings table: one line per finding (code, severity, row, flow, message, Community ID),
 * worst first, at most {@link #LINES}; the page says how many more there were, and the counts per
 * code above the table cover them all. One thread.
 */
final class FindingsTable {
    /** Lines written at most. */
    static final int LINES = 500;

    private record Line(Verdict.Finding finding, FlowRecord flow) {
    }

    private static final Comparator<Line> WORST_FIRST = Comparator
            .comparing((Line l) -> l.finding().severity(), Comparator.reverseOrder())
            .thenComparing(l -> l.finding().code())
            .thenComparingLong(l -> l.flow().tsNanos());

    private final BoundedSelection<Line> lines = new BoundedSelection<>(LINES, WORST_FIRST);
    private final Map<FindingCode, Long> byCode = new EnumMap<>(FindingCode.class);
    /** Computed only for the lines written, not for every flow with a finding. */
    private final CommunityId communityId = new CommunityId();

    void add(final Verdict v) {
        for (Verdict.Finding x : v.findings()) {
            byCode.merge(x.code(), 1L, Long::sum);
            lines.offer(new Line(x, v.flow()));
        }
    }

    /** Findings per code, for the page's summary. */
    Map<FindingCode, Long> byCode() {
        return byCode;
    }

    /** The worst {@code n} findings as a short list: what a page without a diagnosis leads with. */
    void writeWorst(final StringBuilder out, final int n) {
        final List<Line> worst = lines.inOrder();
        if (worst.isEmpty()) {
            out.append("<p class=\"note\">No findings: every flow is documented and none failed.</p>\n");
            return;
        }
        out.append("<ul class=\"worst\">\n");
        for (Line l : worst.subList(0, Math.min(n, worst.size()))) {
            out.append("<li><span class=\"chip tone-").append(Tone.of(l.finding().severity()).label).append("\">")
                    .append(HtmlEscape.of(l.finding().severity().label())).append("</span> <span class=\"code\">")
                    .append(HtmlEscape.of(l.finding().code().name())).append("</span> ")
                    .append(HtmlEscape.of(l.finding().message())).append("</li>\n");
        }
        out.append("</ul>\n");
        if (lines.offered() > n) {
            out.append("<p class=\"more\">").append(lines.offered() - Math.min(n, worst.size()))
                    .append(" more in the findings table below.</p>\n");
        }
    }

    void writeTo(final StringBuilder out) {
        final List<Line> written = lines.inOrder();
        if (written.isEmpty()) {
            out.append("<p class=\"note\">No findings.</p>\n");
            return;
        }
        out.append("<table class=\"findings\"><thead><tr><th>severity</th><th>code</th><th>row</th><th>flow</th>"
                + "<th>message</th><th>Community ID</th></tr></thead>\n<tbody>\n");
        for (Line l : written) {
            final FlowRecord f = l.flow();
            final Verdict.Finding x = l.finding();
            out.append("<tr><td><span class=\"chip tone-").append(Tone.of(x.severity()).label).append("\">")
                    .append(HtmlEscape.of(x.severity().label())).append("</span></td><td class=\"code\">")
                    .append(HtmlEscape.of(x.code().name())).append("</td><td>").append(HtmlEscape.of(x.row() == null ? "-" : x.row()))
                    .append("</td><td class=\"flow\">").append(HtmlEscape.of((f.ipProto() == IpProto.TCP ? "tcp " : "udp ")
                            + FlowTimeline.endpoint(f.origHi(), f.origLo(), f.origPort()) + " \u2192 "
                            + FlowTimeline.endpoint(f.respHi(), f.respLo(), f.respPort())))
                    .append("</td><td class=\"msg\">").append(HtmlEscape.of(x.message())).append("</td><td class=\"cid\">")
                    .append(HtmlEscape.of(communityId.of(f))).append("</td></tr>\n");
        }
        out.append("</tbody></table>\n");
        if (lines.leftOut() > 0) {
            out.append("<p class=\"more\">").append(lines.leftOut()).append(" more findings not listed: at most ")
                    .append(LINES).append(", the worst first.</p>\n");
        }
    }
}
