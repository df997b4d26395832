package io.mraflow.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool on disk: order, its bound (findings last to go), what a restart finds, one process at a time. */
class SpoolTest {
    @TempDir
    Path dir;

    private static Event event(final String type, final int n) {
        return new Event(type, "1:key" + (n % 5), ("{\"event_type\":\"" + type + "\",\"n\":" + n + ",\"s\":\"\\u00e9\"}")
                .getBytes(StandardCharsets.US_ASCII));
    }

    private static List<String> values(final List<Event> l) {
        final List<String> out = new ArrayList<>();
        l.forEach(e -> out.add(e.type() + " " + e.key() + " " + new String(e.value(), StandardCharsets.US_ASCII)));
        return out;
    }

    /** Everything read back in order, over several segments, across a restart, with events put first. */
    @Test
    void keepsOrderAcrossSegmentsAndRestarts() throws IOException {
        final List<Event> written = new ArrayList<>();
        try (Spool s = new Spool(dir, 1 << 20)) { // 128 KiB segments
            for (int i = 0; i < 5000; i++) {
                final Event e = event(i % 7 == 0 ? "finding" : "flow", i);
                assertTrue(s.append(e));
                written.add(e);
            }
            s.flush();
        }
        final List<Event> first = List.of(event("flow", -2), event("finding", -1));
        final List<Event> read = new ArrayList<>();
        try (Spool s = new Spool(dir, 1 << 20)) {
            assertEquals(5000, s.events());
            s.prepend(first);
            s.append(event("stats", 5000));
            s.flush();
            while (!s.isEmpty()) {
                final List<Event> head = s.head();
                read.addAll(head);
                s.replaceHead(List.of());
            }
            assertEquals(0, s.bytes());
        }
        final List<Event> want = new ArrayList<>(first);
        want.addAll(written);
        want.add(event("stats", 5000));
        assertEquals(values(want), values(read));
    }

    /** Past 90 % of the bound only findings are taken, past 100 % nothing; what is refused is counted by type. */
    @Test
    void findingsAreTheLastToGo() throws IOException {
        final Event flow = event("flow", 1);
        final long max = 100L * flow.spoolBytes();
        try (Spool s = new Spool(dir, max)) {
            int flows = 0;
            while (s.append(event("flow", flows))) {
                flows++;
            }
            assertTrue(s.bytes() <= max * 9 / 10 && s.bytes() + event("flow", flows).spoolBytes() > max * 9 / 10, s.bytes() + " of " + max);
            int findings = 0;
            while (s.append(event("finding", findings))) {
                findings++;
            }
            assertTrue(findings > 0 && s.bytes() <= max && s.bytes() + event("finding", findings).spoolBytes() > max,
                    findings + " findings, " + s.bytes() + " of " + max);
            assertFalse(s.append(event("stats", 0)));
            assertEquals(Map.of("flow", 1L, "finding", 1L, "stats", 1L), s.dropped());
            // sending the head frees room again
            s.flush();
            s.replaceHead(s.head().subList(0, 0));
            assertTrue(s.append(event("flow", 999)));
        }
    }

    /** A spool directory is one process's: a second opener is told to give its own. */
    @Test
    @SuppressWarnings("try") // s is held open, unreferenced, so that the second Spool finds the lock taken
    void oneProcessAtATime() throws IOException {
        try (Spool s = new Spool(dir, 1 << 20)) {
            final IOException e = assertThrows(IOException.class, () -> new Spool(dir, 1 << 20));
            assertTrue(e.getMessage().contains("in use by another mraflow process"), e.getMessage());
        }
        Files.writeString(dir.resolve("00000000000000000001.spool"), "\u0000\u0004flow\u0000\u0001k\u0000\u0000\u0000\u0009{\"a\"");
        try (Spool s = new Spool(dir, 1 << 20)) {
            assertEquals(0, s.events()); // a record cut short by a crash ends its segment
        }
    }
}
