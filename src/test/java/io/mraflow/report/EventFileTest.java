package io.mraflow.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The events file of {@code watch --events}: rotated past its size into FILE.1 .. FILE.K with no
 * event split between two files and none lost beyond the K kept, and reopened after logrotate
 * moved it away (SIGHUP), the next events going to the new file.
 */
class EventFileTest {
    @TempDir
    Path tmp;

    private static void event(final FlowJsonWriter w, final int n) {
        final Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("n", n);
        fields.put("pad", "x".repeat(100));
        w.writeEvent("stats", 1_700_000_000_000_000_000L + n, null, fields);
        w.flush();
    }

    @Test
    void rotatesBetweenEventsKeepingKFiles() throws Exception {
        final Path file = tmp.resolve("events.jsonl");
        final FlowJsonWriter w = new FlowJsonWriter(new EventFile(file, 1000, 2), "s1");
        for (int n = 0; n < 40; n++) {
            event(w, n);
        }
        w.close();
        assertTrue(Files.exists(tmp.resolve("events.jsonl.1")) && Files.exists(tmp.resolve("events.jsonl.2")));
        assertFalse(Files.exists(tmp.resolve("events.jsonl.3")), "two rotated files kept");
        final List<Integer> seen = new ArrayList<>();
        for (String name : new String[] {"events.jsonl.2", "events.jsonl.1", "events.jsonl"}) {
            final List<String> lines = Files.readAllLines(tmp.resolve(name));
            assertTrue(Files.size(tmp.resolve(name)) < 1000 + 200, name + " rotated past its bound");
            for (String line : lines) {
                assertTrue(line.startsWith("{\"event_type\":\"stats\",\"sensor\":\"s1\"") && line.endsWith("}"), line);
                seen.add(Integer.parseInt(line.replaceAll(".*\"n\":(\\d+),.*", "$1")));
            }
        }
        // the newest events, in order, none split or repeated
        for (int i = 1; i < seen.size(); i++) {
            assertEquals(seen.get(i - 1) + 1, seen.get(i), seen.toString());
        }
        assertEquals(39, seen.get(seen.size() - 1));
    }

    @Test
    void reopensAfterTheFileWasMovedAway() throws Exception {
        final Path file = tmp.resolve("events.jsonl");
        final EventFile out = new EventFile(file, 0, 5);
        final FlowJsonWriter w = new FlowJsonWriter(out, "s1");
        event(w, 1);
        Files.move(file, tmp.resolve("events.jsonl.moved"));
        event(w, 2); // still goes to the moved file, as with any open file
        out.reopen(); // SIGHUP
        event(w, 3);
        event(w, 4);
        w.close();
        assertEquals(2, Files.readAllLines(tmp.resolve("events.jsonl.moved")).size(), "events 1 and 2");
        assertEquals(2, Files.readAllLines(file).size(), "events 3 and 4, after the reopen");
    }
}
