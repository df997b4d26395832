package io.mraflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mraflow.flow.FlowRecord;
import io.mraflow.flow.FlowTableConfig;
import io.mraflow.report.FlowJsonWriter;
import io.mraflow.rules.AllowList;
import io.mraflow.rules.Classifier;
import io.mraflow.rules.PortReference;
import io.mraflow.rules.Settings;
import io.mraflow.rules.VerdictBuilder;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Flows that wait on disk come back the same and in the same order: the JSON lines of a capture,
 * in output order (not sorted), are identical whether every ended flow stayed in memory or the
 * workers wrote sorted runs of a few flows each and the report merged them; with one worker and
 * two. Everything a verdict reads of a flow (counters, TCP state, history, SNI, STUN, RTP, TLS
 * alerts) goes through the spill's encoding here, on captures that carry each of them.
 */
class FlowSpillTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "pcaps/mra-sample.pcapng",
        "src/test/resources/captures/ndpi/stun_dtls_rtp.pcapng",
        "src/test/resources/captures/ndpi/rtp.pcapng",
        "src/test/resources/captures/ndpi/webex.pcap",
        "src/test/resources/captures/ndpi/teams.pcap", // DNS answers, STUN then RTP
        "src/test/resources/captures/ndpi/whatsapp_voice_and_message.pcap",
        "src/test/resources/captures/arkime/stun-ice-testcall.pcap",
        "src/test/resources/captures/sipp/g711a.pcap",
    })
    void runsOnDiskGiveTheSameLinesInTheSameOrder(final String capture) {
        final List<String> inMemory = lines(capture, 1, 0);
        assertTrue(!inMemory.isEmpty(), capture + ": no flows");
        for (int workers = 1; workers <= 2; workers++) {
            for (int chunk : new int[] {1, 3, 7}) {
                final PipelineConfig config = PipelineConfig.defaults().withProgress(false).withWorkers(workers)
                        .withSpillChunkFlows(chunk);
                try (AnalysisResult r = new FileAnalysis(FlowTableConfig.defaults(), config, VerdictIdentityTest.quiet())
                        .run(List.of(Path.of(capture)))) {
                    assertTrue(r.flows().runsOnDisk() >= inMemory.size() / chunk / 2 - 1,
                            "runs on disk: " + r.flows().runsOnDisk());
                    assertEquals(inMemory, json(r.flows()), capture + " workers=" + workers + " chunk=" + chunk);
                    assertEquals(inMemory, json(r.flows()), "read a second time");
                }
            }
        }
    }

    private static List<String> lines(final String capture, final int workers, final int chunk) {
        final PipelineConfig config = PipelineConfig.defaults().withProgress(false).withWorkers(workers)
                .withSpillChunkFlows(chunk);
        try (AnalysisResult r = new FileAnalysis(FlowTableConfig.defaults(), config, VerdictIdentityTest.quiet())
                .run(List.of(Path.of(capture)))) {
            assertEquals(0, r.flows().runsOnDisk());
            return json(r.flows());
        }
    }

    /** Every verdict as a JSON line, in the order the flows come. */
    private static List<String> json(final Iterable<FlowRecord> flows) {
        final VerdictBuilder assessment = new VerdictBuilder(
                new Classifier(PortReference.load().compile(Settings.defaults()), null), AllowList.empty());
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (FlowJsonWriter w = new FlowJsonWriter(bytes)) {
            for (FlowRecord f : flows) {
                w.write(assessment.assess(f));
            }
        }
        return List.of(bytes.toString(StandardCharsets.UTF_8).split("\n"));
    }
}
