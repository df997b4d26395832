package io.mraflow.report.html;

import io.mraflow.flow.FlowRecord;
import io.mraflow.pipeline.Analysis;
import io.mraflow.pipeline.AnalysisResult;
import io.mraflow.rules.Diagnosis;
import io.mraflow.rules.FindingCode;
import io.mraflow.rules.ResolvedNames;
import io.mraflow.rules.Severity;
import io.mraflow.rules.Verdict;
import io.mraflow.rules.VerdictBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The HTML report ({@code analyze --html FILE}): one self-contained page a troubleshooter opens
 * to see what failed. Top to bottom: the diagnosis by MRA stage, the topology as a picture, a
 * timeline of the flows, loss and jitter per RTP stream, and the findings table. Fed every flow
 * once, it keeps counts and bounded selections only, so the page stays small for a capture of a
 * million flows.
 *
 * <p>The page loads nothing: inline CSS (allowed by its hash in a Content-Security-Policy that
 * forbids every other load and all scripts), inline SVG, no script. Every string written passes
 * through {@link HtmlEscape}. Made only when {@code --html} is given. One thread.
 */
public final class HtmlReport {
    private static final String CSS = stylesheet();
    /** Findings listed under a missing diagnosis, so that the first screen still says what failed. */
    private static final int WORST_LISTED = 6;

    private final String capture;
    private final Analysis.Roles roles;
    private final Diagnosis diagnosis;
    private final TopologyPicture topology;
    private final FlowTimeline timeline = new FlowTimeline();
    private final RtpPlots rtp = new RtpPlots();
    private final FindingsTable findings = new FindingsTable();
    private final Map<Severity, Long> flowsByWorst = new EnumMap<>(Severity.class);
    private long flows;

    /**
     * @param capture   what was analysed, for the title (file names)
     * @param roles     the roles the verdicts rest on
     * @param diagnosis the diagnosis by stage, or null when none was made
     */
    public HtmlReport(final String capture, final Analysis.Roles roles, final Diagnosis diagnosis) {
        this.capture = capture;
        this.roles = roles;
        this.diagnosis = diagnosis;
        this.topology = new TopologyPicture(roles.topology());
    }

    /** Writes the page of {@code result} to {@code file}: every flow assessed once more, streamed. */
    public static void write(final Path file, final String capture, final AnalysisResult result, final Analysis analysis,
                             final Analysis.Roles roles, final Diagnosis diagnosis) throws IOException {
        final HtmlReport page = new HtmlReport(capture, roles, diagnosis);
        // A fresh assessment and names, as each pass of the report: the same verdicts as the report's.
        final VerdictBuilder assessment = analysis.assessment(roles);
        final ResolvedNames names = new ResolvedNames();
        for (FlowRecord f : result.flows()) {
            page.add(f, assessment.assess(f, names));
            names.learn(f);
        }
        Files.writeString(file, page.page(result.packets(), result.problems()), StandardCharsets.UTF_8);
    }

    /**
     * Adds one flow.
     *
     * @param raw the flow as the flow table ended it (RTP directions are the table's)
     * @param v   its verdict
     */
    public void add(final FlowRecord raw, final Verdict v) {
        flows++;
        if (v.worst() != null) {
            flowsByWorst.merge(v.worst(), 1L, Long::sum);
        }
        topology.add(v);
        timeline.add(v);
        rtp.add(raw, v.row());
        findings.add(v);
    }

    /** The whole page. */
    public String page(final long packets, final List<String> problems) {
        final StringBuilder out = new StringBuilder(1 << 16);
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'sha256-")
                .append(sha256(CSS)).append("'; img-src 'none'; base-uri 'none'; form-action 'none'\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>mraflow: ").append(HtmlEscape.of(capture)).append("</title>\n<style>").append(CSS)
                .append("</style>\n</head>\n<body>\n");
        writeHeader(out, packets, problems);
        section(out, "diagnosis", "Diagnosis by MRA stage");
        DiagnosisSection.writeTo(out, diagnosis);
        if (diagnosis == null) {
            findings.writeWorst(out, WORST_LISTED);
        }
        out.append("</section>\n");
        section(out, "topology", "Topology and flows between roles");
        topology.writeTo(out);
        out.append("</section>\n");
        section(out, "timeline", "Timeline of the flows");
        timeline.writeTo(out);
        out.append("</section>\n");
        section(out, "rtp", "RTP streams: loss and jitter");
        rtp.writeTo(out);
        out.append("</section>\n");
        section(out, "findings", "Findings");
        findings.writeTo(out);
        out.append("</section>\n<footer>Written by mraflow analyze --html. Every address, name and message"
                + " from the capture is shown as text.</footer>\n")
                .append("</body>\n</html>\n");
        return out.toString();
    }

    private static void section(final StringBuilder out, final String id, final String title) {
        out.append("<section id=\"").append(id).append("\">\n<h2>").append(HtmlEscape.of(title)).append("</h2>\n");
    }

    /** What a glance should give: the capture, its size, and the findings by severity and code. */
    private void writeHeader(final StringBuilder out, final long packets, final List<String> problems) {
        out.append("<header>\n<h1>MRA capture report</h1>\n<p class=\"capture\">").append(HtmlEscape.of(capture))
                .append(" &middot; ").append(packets).append(" packets, ").append(flows).append(" flows</p>\n<div class=\"glance\"><span class=\"glancetitle\">flows by worst finding</span>");
        long healthy = flows;
        for (Severity s : new Severity[]{Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.INFO}) {
            final long n = flowsByWorst.getOrDefault(s, 0L);
            healthy -= n;
            if (n > 0) {
                out.append("<span class=\"big tone-").append(Tone.of(s).label).append("\">").append(n)
                        .append(" <small>").append(HtmlEscape.of(s.label())).append("</small></span>");
            }
        }
        out.append("<span class=\"big tone-ok\">").append(healthy).append(" <small>without findings</small></span>");
        out.append("<ul class=\"codes\">");
        findings.byCode().entrySet().stream()
                .sorted(Map.Entry.<FindingCode, Long>comparingByKey((a, b) -> a.severity() != b.severity()
                        ? b.severity().compareTo(a.severity()) : a.compareTo(b)))
                .forEach(e -> out.append("<li><span class=\"chip tone-").append(Tone.of(e.getKey().severity()).label)
                        .append("\">").append(HtmlEscape.of(e.getKey().severity().label())).append("</span> <span class=\"code\">")
                        .append(HtmlEscape.of(e.getKey().name())).append("</span> &times;").append(e.getValue()).append("</li>"));
        out.append("</ul></div>\n");
        for (String problem : problems) {
            out.append("<p class=\"problem\">input problem: ").append(HtmlEscape.of(problem)).append("</p>\n");
        }
        out.append("<p class=\"roles\">").append(HtmlEscape.of(roles.note())).append("</p>\n</header>\n");
    }

    private static String stylesheet() {
        try (InputStream in = HtmlReport.class.getResourceAsStream("/report/report.css")) {
            if (in == null) {
                throw new IllegalStateException("/report/report.css is not in the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The CSP source of the style element: Base64 of its SHA-256 (CSP 3, "hash-source"). */
    static String sha256(final String text) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
