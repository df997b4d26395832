package io.mraflow.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mraflow.report.FlowJsonWriter;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What fleet reads from a line: a stats event's numbers (nested ones joined), a flow's findings, the event type. */
class FleetCountsTest {
    @Test
    void statsNumbersAreKeptPerSensorAndTheLatestWins() {
        final FleetCounts counts = new FleetCounts();
        for (long packets : new long[] {10, 25}) {
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (FlowJsonWriter w = new FlowJsonWriter(out, "dc-east")) {
                final Map<String, Object> f = new LinkedHashMap<>();
                f.put("packets", packets);
                f.put("roles", Map.of("10.0.0.0/8", "UCM"));
                f.put("kafka", new LinkedHashMap<>(Map.of("spool_bytes", 4096L, "topic", "t")));
                w.writeEvent("stats", 1_772_442_025_000_000_000L, null, f);
                w.flush();
            }
            final FleetCounts.Parsed p = FleetCounts.parse(out.toString(StandardCharsets.US_ASCII).trim().getBytes(StandardCharsets.US_ASCII));
            assertEquals("stats", p.eventType());
            assertEquals(true, p.live());
            counts.add("dc-east", p);
        }
        assertEquals(Map.of("dc-east", Map.of("stats", 2L)), counts.events());
        final Map<String, Double> latest = counts.latestStats().get("dc-east");
        assertEquals(25.0, latest.get("packets"));
        assertEquals(4096.0, latest.get("kafka_spool_bytes"));
        assertNull(latest.get("kafka_topic"));
    }

    @Test
    void flowFindingsAreCountedOncePerFlowAndFindingEventsAsEvents() {
        final String flow = "{\"event_type\":\"flow\",\"ts\":1.5,\"row\":null,\"community_id\":\"1:abc\",\"findings\":["
                + "{\"code\":\"UNDOCUMENTED\",\"severity\":\"medium\",\"row\":null,\"message\":\"no row \\u001b\",\"wireshark_filter\":\"x\"},"
                + "{\"code\":\"TCP_UNANSWERED\",\"severity\":\"low\",\"row\":null,\"message\":\"m\",\"wireshark_filter\":\"y\"}],\"allowed\":[]}";
        final String finding = "{\"event_type\":\"finding\",\"sensor\":\"s\",\"iface\":\"eth0\",\"community_id\":\"1:abc\","
                + "\"findings\":[],\"finding\":{\"code\":\"UNDOCUMENTED\",\"severity\":\"medium\",\"row\":null,\"message\":\"no row\"}}";
        final FleetCounts counts = new FleetCounts();
        final FleetCounts.Parsed f = FleetCounts.parse(flow.getBytes(StandardCharsets.US_ASCII));
        assertEquals(2, f.findings().size());
        assertEquals("no row \u001b", f.findings().get(0).message()); // unescaped here; fleet's text output escapes it again
        counts.add("s", f);
        final FleetCounts.Parsed x = FleetCounts.parse(finding.getBytes(StandardCharsets.US_ASCII));
        assertEquals("UNDOCUMENTED", x.findingCode());
        assertEquals(true, x.live());
        counts.add("s", x);
        assertEquals(Map.of("s", Map.of("none", 1L)), counts.flowsByRow());
        assertEquals(Map.of("s", Map.of("UNDOCUMENTED", 1L, "TCP_UNANSWERED", 1L)), counts.findingsByCode());
        assertEquals(Map.of("s", Map.of("flow", 1L, "finding", 1L)), counts.events());
        assertNull(FleetCounts.parse("not json".getBytes(StandardCharsets.US_ASCII)));
    }
}
