package io.mraflow.report.html;

import io.mraflow.rules.Diagnosis;
import io.mraflow.rules.FindingCode;
import io.mraflow.rules.Stage;

/**
 * The diagnosis, first on the page: the MRA stages in the order a client goes through them, each
 * a coloured card with its status, then the first failing stage and its most likely cause, then
 * per stage its findings, flows and the Community IDs that show it. Stateless.
 */
final class DiagnosisSection {
    private DiagnosisSection() {
    }

    /** @param d the diagnosis, or null when none was made (the section says so; the page then lists the worst findings) */
    static void writeTo(final StringBuilder out, final Diagnosis d) {
        if (d == null) {
            out.append("<p class=\"note nodiagnosis\">No diagnosis was made for this capture. The worst findings:</p>\n");
            return;
        }
        out.append("<ol class=\"stages\">\n");
        for (Diagnosis.StageResult r : d.stages()) {
            out.append("<li class=\"stage status-").append(statusClass(r.status())).append("\"><span class=\"stagename\">")
                    .append(HtmlEscape.of(r.stage().label())).append("</span><span class=\"status\">")
                    .append(HtmlEscape.of(r.status().label())).append("</span></li>\n");
        }
        out.append("</ol>\n");
        if (d.firstFailing() != null) {
            out.append("<div class=\"verdict failing\"><strong>First failing stage: ")
                    .append(HtmlEscape.of(d.firstFailing().title())).append("</strong>");
            if (d.cause() != null) {
                out.append("<p class=\"cause\">").append(HtmlEscape.of(d.cause())).append("</p>");
            }
            out.append("</div>\n");
        } else {
            out.append("<div class=\"verdict healthy\"><strong>No stage failed.</strong>")
                    .append(d.cause() == null ? "" : "<p class=\"cause\">" + HtmlEscape.of(d.cause()) + "</p>").append("</div>\n");
        }
        out.append("<table class=\"diagnosis\"><thead><tr><th>stage</th><th>status</th><th>flows</th><th>findings</th>"
                + "<th>what the capture shows</th><th>evidence (Community ID)</th></tr></thead>\n<tbody>\n");
        for (Diagnosis.StageResult r : d.stages()) {
            out.append("<tr><td>").append(HtmlEscape.of(r.stage().title())).append("</td><td><span class=\"chip status-")
                    .append(statusClass(r.status())).append("\">").append(HtmlEscape.of(r.status().label()))
                    .append("</span></td><td>").append(r.flows()).append("</td><td class=\"code\">");
            for (FindingCode c : r.findings()) {
                out.append(HtmlEscape.of(c.name())).append("<br>");
            }
            out.append("</td><td>").append(HtmlEscape.of(r.detail())).append("</td><td class=\"cid\">");
            for (String id : r.evidence()) {
                out.append(HtmlEscape.of(id)).append("<br>");
            }
            out.append("</td></tr>\n");
        }
        out.append("</tbody></table>\n");
    }

    private static String statusClass(final Stage.Status s) {
        return switch (s) {
            case HEALTHY -> "healthy";
            case FAILING -> "failing";
            case ABSENT -> "absent";
            case NOT_APPLICABLE -> "na";
        };
    }
}
