package io.mraflow.report;

import io.mraflow.flow.FlowRecord;
import io.mraflow.flow.FlowTableConfig;
import io.mraflow.pipeline.Analysis;
import io.mraflow.pipeline.AnalysisResult;
import io.mraflow.pipeline.FileAnalysis;
import io.mraflow.pipeline.PipelineConfig;
import io.mraflow.rules.AllowList;
import io.mraflow.rules.FindingThresholds;
import io.mraflow.rules.PortReference;
import io.mraflow.rules.Settings;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report's warm-up judges the flows it is given, paced by them, and changes nothing the report says. */
class ReportWarmupTest {
    private static final Path SAMPLE = Path.of("pcaps/mra-sample.pcapng");

    private static Analysis inferring() {
        return new Analysis(PortReference.load(), Settings.defaults(), null, null, AllowList.empty(), false,
                FindingThresholds.DEFAULTS);
    }

    private static byte[] report(final AnalysisResult result, final Analysis analysis, final FileReport.Format format) {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FileReport.write(result, analysis, analysis.roles(result.flows()), format, false,
                new PrintStream(bytes, false, StandardCharsets.UTF_8));
        return bytes.toByteArray();
    }

    @Test
    void judgesTheFlowsGivenAndTheReportStaysTheSame() throws Exception {
        final Analysis analysis = inferring();
        final PipelineConfig config = PipelineConfig.defaults().withProgress(false);
        final PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (AnalysisResult result = new FileAnalysis(FlowTableConfig.defaults(), config, quiet).run(List.of(SAMPLE))) {
            for (FileReport.Format format : FileReport.Format.values()) {
                final byte[] cold = report(result, analysis, format);
                final List<FlowRecord> flows = result.flows().toList();
                final ReportWarmup warmup = ReportWarmup.start(analysis, format, false);
                final int given = 40 * flows.size();
                for (int i = 0; i < 40; i++) {
                    flows.forEach(warmup::flowEnded);
                    Thread.sleep(5); // the queue holds 4,096: let the warm-up take them
                }
                final long until = System.nanoTime() + 60_000_000_000L;
                while (warmup.verdicts() < given / 2 && System.nanoTime() < until) {
                    Thread.sleep(10);
                }
                warmup.inputEnded();
                warmup.stop();
                assertTrue(warmup.verdicts() > 0, format + ": " + warmup.describe());
                assertTrue(warmup.verdicts() <= given, format + ": at most one verdict a flow ended: " + warmup.describe());
                assertTrue(warmup.describe().contains(" verdicts on a sample of "), warmup.describe());
                assertArrayEquals(cold, report(result, analysis, format), format + ": the same report after the warm-up");
            }
        }
    }

    @Test
    void anAnalysisTellsItOfTheFlowsAndTheEndOfInput() {
        final Analysis analysis = inferring();
        final PipelineConfig config = PipelineConfig.defaults().withProgress(false);
        final PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        final ReportWarmup warmup = ReportWarmup.start(analysis, FileReport.Format.JSON, false);
        try (AnalysisResult result = new FileAnalysis(FlowTableConfig.defaults(), config, quiet).run(List.of(SAMPLE), warmup)) {
            warmup.stop();
            assertEquals(50, result.flows().count());
            assertTrue(warmup.verdicts() <= result.flows().count(), warmup.describe());
        }
    }
}
