package io.mraflow.e2e;

import java.util.Locale;

import io.mraflow.cli.ExitCode;
import io.mraflow.e2e.AnalyzeDamagedInputTest.Run;
import io.mraflow.flow.FlowTableConfig;
import io.mraflow.pipeline.Analysis;
import io.mraflow.pipeline.AnalysisResult;
import io.mraflow.pipeline.FileAnalysis;
import io.mraflow.report.html.HtmlReport;
import io.mraflow.rules.AllowList;
import io.mraflow.rules.Diagnosis;
import io.mraflow.rules.FindingCode;
import io.mraflow.rules.FindingThresholds;
import io.mraflow.rules.PortReference;
import io.mraflow.rules.Stage;
import io.mraflow.rules.TopologyFile;
import io.mraflow.synth.PcapWriter;
import io.mraflow.synth.ScriptedCapture;
import io.mraflow.synth.TextPayloads;
import io.mraflow.synth.TlsRecords;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.mraflow.e2e.AnalyzeDamagedInputTest.analyze;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The HTML report as a browser shows it: headless Chromium opens the page with no network, and
 * the page writes nothing to the console (a Content-Security-Policy violation would be there),
 * and its DOM holds the diagnosis, the topology picture, one plot per RTP stream (the streams
 * tshark finds) and one line per finding (the findings of the JSON lines of the same run).
 * Markup in an SNI and in SIP fields is shown as text. Skipped, saying why, without chromium.
 */
@Tag("slow") // a headless browser
@Tag("chromium")
class HtmlReportInChromiumTest {
    static final Path SAMPLE = Path.of("pcaps/mra-sample.pcapng");
    static final Path TOPOLOGY = Path.of("pcaps/mra-sample.topology");
    static final String MARKUP = "<script>alert(1)</script>";

    @TempDir
    Path tmp;

    @Test
    void theConsoleCheckSeesAPolicyViolation() throws Exception {
        HeadlessChromium.require();
        final Path bad = Files.writeString(tmp.resolve("bad.html"), "<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
                + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\"></head>"
                + "<body><p style=\"color:red\">styled</p></body></html>");
        final HeadlessChromium.Page page = HeadlessChromium.open(bad);
        assertFalse(page.console().isEmpty(), "a style attribute the policy forbids is reported on the console");
        assertTrue(page.dom().contains("styled"), page.dom());
    }

    @ParameterizedTest(name = "topology given: {0}")
    @ValueSource(booleans = {true, false})
    void theSampleReportRendersWithEverySectionAndNoConsoleMessage(final boolean topologyGiven) throws Exception {
        HeadlessChromium.require();
        final Path html = tmp.resolve("sample.html");
        final List<String> args = new ArrayList<>(List.of("--format", "json", "--html", html.toString()));
        if (topologyGiven) {
            args.addAll(List.of("--topology", TOPOLOGY.toString()));
        }
        args.add(SAMPLE.toString());
        final Run r = analyze(args.toArray(String[]::new));
        assertEquals(ExitCode.OK, r.exit(), r.err());

        final HeadlessChromium.Page page = HeadlessChromium.open(html);
        assertEquals(List.of(), page.console(), "console messages");
        final String dom = page.dom();
        // The page shows the diagnosis of the same run, as its JSON line says it.
        final String diagnosed = section(dom, "diagnosis");
        final String diagnosisLine = r.out().lines().filter(l -> l.startsWith("{\"event_type\":\"diagnosis\"")).findFirst().orElseThrow();
        for (Object x : (List<?>) JsonLines.parseLine(diagnosisLine).get("stages")) {
            final java.util.Map<?, ?> stage = (java.util.Map<?, ?>) x;
            final String status = String.valueOf(stage.get("status"));
            assertTrue(diagnosed.contains("<span class=\"stagename\">" + stage.get("stage") + "</span><span class=\"status\">"
                    + status + "</span>"), stage + " in " + diagnosed);
        }
        assertTrue(diagnosed.contains("certificate_unknown (46)"), "the first failing stage's cause: " + diagnosed);

        final String topology = section(dom, "topology");
        assertTrue(topology.contains("<svg class=\"topology\""), topology);
        for (String role : List.of("OFFPREM", "CLOUD", "EXPE_PUBLIC", "EXPE_PRIVATE", "EXPC", "UCM", "IMP", "CUC", "ONPREM_MEDIA")) {
            assertTrue(topology.contains("\">" + role + "</text>"), "a box for " + role);
        }
        for (String address : List.of("203.0.113.10", "172.16.10.10", "10.10.20.10", "10.10.30.10")) {
            assertTrue(topology.contains(">" + address), "the Expressways and Unified CM are drawn with their addresses: " + address);
        }
        assertTrue(topology.contains(">T3.2 \u00d71</text>"), "the traversal zone's arrow, labelled with its row and count");

        assertEquals(tsharkRtpStreams(SAMPLE), all(section(dom, "rtp"), "SSRC 0x([0-9a-f]{8})"), "one plot per RTP stream");
        assertEquals(count(section(dom, "rtp"), "<figure class=\"rtp\">"), all(section(dom, "rtp"), "SSRC 0x([0-9a-f]{8})").size());

        final Map<String, Integer> reported = new TreeMap<>();
        for (String line : r.jsonLines()) {
            final Matcher m = Pattern.compile("\\{\"code\":\"([A-Z_]+)\"").matcher(line.substring(line.indexOf("\"findings\":")));
            while (m.find()) {
                reported.merge(m.group(1), 1, Integer::sum);
            }
        }
        final Map<String, Integer> listed = new TreeMap<>();
        final Matcher m = Pattern.compile("<td class=\"code\">([A-Z_]+)</td>").matcher(section(dom, "findings"));
        while (m.find()) {
            listed.merge(m.group(1), 1, Integer::sum);
        }
        assertFalse(reported.isEmpty());
        assertEquals(reported, listed, "the findings table lists every finding of the JSON lines");
        assertEquals(count(section(dom, "timeline"), "<rect x=\"") - count(section(dom, "timeline"), "fill=\"#f6f7f9\""),
                r.jsonLines().size(), "one bar per flow");
    }

    @Test
    void aDiagnosisIsShownStageByStage() throws Exception {
        HeadlessChromium.require();
        final TopologyFile topology = TopologyFile.parse(TOPOLOGY);
        final Analysis analysis = new Analysis(PortReference.load(), topology.settings(), topology.topology(),
                TOPOLOGY.toString(), AllowList.empty(), false, FindingThresholds.DEFAULTS);
        final List<Diagnosis.StageResult> stages = new ArrayList<>();
        for (Stage s : Stage.values()) {
            final Stage.Status status = s == Stage.MEDIA ? Stage.Status.FAILING : s == Stage.DNS ? Stage.Status.NOT_APPLICABLE
                    : s == Stage.XMPP ? Stage.Status.ABSENT : Stage.Status.HEALTHY;
            stages.add(new Diagnosis.StageResult(s, status,
                    status == Stage.Status.FAILING ? List.of(FindingCode.ONE_WAY_MEDIA) : List.of(),
                    status == Stage.Status.FAILING ? List.of("1:vjOyxc7TXaltmCMwUkpxziQsLbE=") : List.of(), 3,
                    "what the capture shows of " + s.label() + " " + MARKUP));
        }
        final Diagnosis diagnosis = new Diagnosis(stages, Stage.MEDIA, "media from the client got no answer " + MARKUP);
        final Path html = tmp.resolve("diagnosis.html");
        try (AnalysisResult result = new FileAnalysis(FlowTableConfig.defaults()).run(List.of(SAMPLE))) {
            HtmlReport.write(html, SAMPLE.toString(), result, analysis, analysis.roles(result.flows()), diagnosis);
        }
        final HeadlessChromium.Page page = HeadlessChromium.open(html);
        assertEquals(List.of(), page.console(), "console messages");
        final String d = section(page.dom(), "diagnosis");
        final List<String> statuses = new ArrayList<>();
        final Matcher m = Pattern.compile("<li class=\"stage status-([a-z]+)\"><span class=\"stagename\">([a-z-]+)</span>").matcher(d);
        while (m.find()) {
            statuses.add(m.group(2) + " " + m.group(1));
        }
        assertEquals(List.of("dns na", "edge-config healthy", "sip-registration healthy", "xmpp absent", "traversal healthy",
                "on-prem healthy", "turn healthy", "media failing"), statuses);
        assertTrue(d.contains("First failing stage: " + Stage.MEDIA.title()), d);
        assertTrue(d.contains("media from the client got no answer &lt;script&gt;alert(1)&lt;/script&gt;"), d);
        assertTrue(d.contains("1:vjOyxc7TXaltmCMwUkpxziQsLbE="), d);
        assertTrue(d.contains(">ONE_WAY_MEDIA<"), d);
        assertFalse(page.dom().toLowerCase(Locale.ROOT).contains("<script"), "no script element");
    }

    @Test
    void markupInTheSniAndSipFieldsIsShownAsText() throws Exception {
        HeadlessChromium.require();
        final Path capture = tmp.resolve("markup.pcap");
        try (OutputStream out = Files.newOutputStream(capture); PcapWriter pcap = new PcapWriter(out, false)) {
            final ScriptedCapture s = new ScriptedCapture(pcap, 1_700_000_000_000_000_000L, 11);
            s.tcp("198.51.100.23", 51_002, "203.0.113.10", 5061, 2_000, null, null, null)
                    .handshake()
                    .toServer(TlsRecords.clientHello(MARKUP + ".example.com", true, null, s.rng()))
                    .toClient(TlsRecords.serverHelloFlight(true, s.rng()))
                    .close();
            s.tcp("198.51.100.23", 51_004, "203.0.113.10", 5060, 2_000, null, null, null)
                    .handshake()
                    .toServer(TextPayloads.sipRequest("REGISTER", "sip:example.com", "TCP", "198.51.100.23:51004",
                            MARKUP, "example.com", MARKUP + "@host", 1, null))
                    .close();
        }
        final Path html = tmp.resolve("markup.html");
        final Run r = analyze("--topology", TOPOLOGY.toString(), "--html", html.toString(), capture.toString());
        assertEquals(ExitCode.OK, r.exit(), r.err());
        final String written = Files.readString(html, StandardCharsets.UTF_8);
        assertTrue(written.contains("&lt;script&gt;alert(1)&lt;/script&gt;.example.com"), "the SNI, escaped");
        assertFalse(written.toLowerCase(Locale.ROOT).contains("<script"), "no script tag in the file");

        final HeadlessChromium.Page page = HeadlessChromium.open(html);
        assertEquals(List.of(), page.console(), "console messages");
        assertFalse(page.dom().toLowerCase(Locale.ROOT).contains("<script"), "no script element in the DOM");
        assertTrue(page.dom().contains("sni &lt;script&gt;alert(1)&lt;/script&gt;.example.com"), "the SNI shown as text");
    }

    /** The streams tshark's RTP heuristic finds: SSRCs with at least two packets (mraflow's probation). */
    private static TreeSet<String> tsharkRtpStreams(final Path capture) throws IOException, InterruptedException {
        final Process p;
        try {
            p = new ProcessBuilder("tshark", "-n", "-r", capture.toString(), "-o", "rtp.heuristic_rtp:TRUE", "-Y", "rtp",
                    "-T", "fields", "-e", "rtp.ssrc").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            assumeTrue(false, "tshark is not installed (scripts/install-deps --test installs it)");
            throw e;
        }
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        final Map<String, Integer> packets = new HashMap<>();
        out.lines().filter(l -> !l.isBlank()).forEach(l -> packets.merge(l.trim().replace("0x", ""), 1, Integer::sum));
        final TreeSet<String> streams = new TreeSet<>();
        packets.forEach((ssrc, n) -> {
            if (n >= 2) {
                streams.add(ssrc);
            }
        });
        assertFalse(streams.isEmpty(), "tshark found RTP");
        return streams;
    }

    /** The section of the DOM with this id. */
    private static String section(final String dom, final String id) {
        final int start = dom.indexOf("<section id=\"" + id + "\">");
        assertTrue(start >= 0, "section " + id + " in the DOM");
        return dom.substring(start, dom.indexOf("</section>", start));
    }

    private static TreeSet<String> all(final String text, final String regex) {
        final TreeSet<String> found = new TreeSet<>();
        final Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private static int count(final String text, final String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
