package io.mraflow.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event sink ({@code --kafka}) sees every line the writer finishes, as written, without its
 * newline; and with a sink the writer's own output is byte for byte what it is without one, an
 * event file still rotating between whole events.
 */
class EventSinkTest {
    @TempDir
    Path dir;

    private record Line(String type, String communityId, String text) {
    }

    private static void events(final FlowJsonWriter w, final boolean live) {
        final Map<String, Object> a = new LinkedHashMap<>();
        a.put("packets", 12L);
        a.put("note", "caf\u00e9 \u001b[31m \"quoted\"");
        a.put("nested", Map.of("k", List.of(1L, 2L)));
        w.writeEvent("stats", 1_772_442_025_104_500_836L, null, a);
        if (live) {
            w.flush();
        }
        w.writeEvent(live ? "interface" : "summary", 1_772_442_026_000_000_000L, live ? "eth1" : null, Map.of("up", false));
        if (live) {
            w.flush();
        }
    }

    @Test
    void sinkGetsEachLineAndTheOutputIsUnchanged() {
        for (String sensor : new String[] {null, "dmz-1"}) {
            final ByteArrayOutputStream plain = new ByteArrayOutputStream();
            try (FlowJsonWriter w = new FlowJsonWriter(plain, sensor)) {
                events(w, sensor != null);
            }
            final ByteArrayOutputStream teed = new ByteArrayOutputStream();
            final List<Line> lines = new ArrayList<>();
            try (FlowJsonWriter w = new FlowJsonWriter(teed, sensor, (t, cid, b, off, len) ->
                    lines.add(new Line(t, cid, new String(b, off, len, StandardCharsets.US_ASCII))))) {
                events(w, sensor != null);
            }
            assertEquals(plain.toString(StandardCharsets.US_ASCII), teed.toString(StandardCharsets.US_ASCII));
            final String[] written = plain.toString(StandardCharsets.US_ASCII).split("\n");
            assertEquals(2, lines.size());
            for (int i = 0; i < 2; i++) {
                assertEquals(written[i], lines.get(i).text());
                assertNull(lines.get(i).communityId());
            }
            assertEquals("stats", lines.get(0).type());
            assertEquals(sensor == null ? "summary" : "interface", lines.get(1).type());
        }
    }

    @Test
    void withoutAnOutputTheLinesGoToTheSinkOnly() {
        final List<String> lines = new ArrayList<>();
        try (FlowJsonWriter w = new FlowJsonWriter(null, null, (t, cid, b, off, len) ->
                lines.add(new String(b, off, len, StandardCharsets.US_ASCII)))) {
            events(w, false);
        }
        assertEquals(2, lines.size());
        assertEquals(true, lines.get(0).contains("\"note\":\"caf\\u00E9 \\u001B[31m \\\"quoted\\\"\""), lines.get(0));
    }

    @Test
    void anEventFileStillRotatesBetweenWholeEvents() throws Exception {
        final Path file = dir.resolve("events.jsonl");
        final List<String> seen = new ArrayList<>();
        try (FlowJsonWriter w = new FlowJsonWriter(new EventFile(file, 100, 3), "s", (t, cid, b, off, len) ->
                seen.add(new String(b, off, len, StandardCharsets.US_ASCII)))) {
            for (int i = 0; i < 4; i++) {
                events(w, true);
            }
        }
        final List<String> all = new ArrayList<>();
        for (String name : new String[] {"events.jsonl.3", "events.jsonl.2", "events.jsonl.1", "events.jsonl"}) {
            final Path p = dir.resolve(name);
            if (Files.exists(p)) {
                final String text = Files.readString(p, StandardCharsets.US_ASCII);
                if (!text.isEmpty()) {
                    assertEquals('\n', text.charAt(text.length() - 1), name + " ends with a whole line");
                    all.addAll(List.of(text.split("\n")));
                }
            }
        }
        assertEquals(seen.subList(seen.size() - all.size(), seen.size()), all);
        assertEquals(8, seen.size());
    }
}
