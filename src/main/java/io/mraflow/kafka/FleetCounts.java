package io.mraflow.kafka;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What {@code fleet} keeps: per sensor, events by type, flows by row, findings by code, and the
 * numbers of the latest {@code stats} event. Written by the consumer's thread, read by any (the
 * metrics, the totals at exit).
 */
public final class FleetCounts {
    private static final JsonFactory JSON = new JsonFactory();

    /** One event as read: the fields {@code fleet} uses. */
    public record Parsed(String eventType, String row, String findingCode, String severity, String message,
                         String communityId, Map<String, Double> numbers, List<Finding> findings, boolean live) {
    }

    /** A finding of a flow event's {@code findings}. */
    public record Finding(String code, String severity, String message) {
    }

    private final Map<String, Map<String, AtomicLong>> events = new ConcurrentHashMap<>();
    private final Map<String, Map<String, AtomicLong>> flowsByRow = new ConcurrentHashMap<>();
    private final Map<String, Map<String, AtomicLong>> findingsByCode = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Double>> latestStats = new ConcurrentHashMap<>();
    private final AtomicLong total = new AtomicLong();

    /** Counts one event of {@code sensor}. */
    public void add(final String sensor, final Parsed p) {
        total.incrementAndGet();
        count(events, sensor, p.eventType());
        if ("flow".equals(p.eventType())) {
            count(flowsByRow, sensor, p.row() == null ? "none" : p.row());
            for (Finding f : p.findings()) {
                count(findingsByCode, sensor, f.code()); // a flow's findings, once per flow (watch and analyze alike)
            }
        } else if ("stats".equals(p.eventType())) {
            latestStats.put(sensor, Map.copyOf(p.numbers()));
        }
    }

    private static void count(final Map<String, Map<String, AtomicLong>> m, final String sensor, final String key) {
        m.computeIfAbsent(sensor, k -> new ConcurrentHashMap<>()).computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
    }

    public long total() {
        return total.get();
    }

    /** Sensor to event type to count, a sorted copy. */
    public Map<String, Map<String, Long>> events() {
        return copy(events);
    }

    public Map<String, Map<String, Long>> flowsByRow() {
        return copy(flowsByRow);
    }

    public Map<String, Map<String, Long>> findingsByCode() {
        return copy(findingsByCode);
    }

    /** Sensor to the numbers of its latest stats event (nested objects flattened with '_'). */
    public Map<String, Map<String, Double>> latestStats() {
        return new TreeMap<>(latestStats);
    }

    private static Map<String, Map<String, Long>> copy(final Map<String, Map<String, AtomicLong>> m) {
        final Map<String, Map<String, Long>> out = new TreeMap<>();
        m.forEach((s, inner) -> {
            final Map<String, Long> c = new TreeMap<>();
            inner.forEach((k, v) -> c.put(k, v.get()));
            out.put(s, c);
        });
        return out;
    }

    /** Reads the fields {@code fleet} uses from one JSON line; null when it is not a JSON object. */
    public static Parsed parse(final byte[] line) {
        String type = null;
        String row = null;
        String code = null;
        String severity = null;
        String message = null;
        String cid = null;
        boolean live = false;
        final List<Finding> findings = new ArrayList<>();
        final Map<String, Double> numbers = new TreeMap<>();
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                final String name = p.currentName();
                final JsonToken t = p.nextToken();
                switch (name) {
                    case "event_type" -> type = p.getValueAsString();
                    case "row" -> row = t == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "community_id" -> cid = t == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "iface" -> {
                        live = true; // watch's lines name their interface; analyze's do not
                        p.skipChildren();
                    }
                    case "findings" -> {
                        if (t == JsonToken.START_ARRAY) {
                            while (p.nextToken() == JsonToken.START_OBJECT) {
                                findings.add(finding(p));
                            }
                        } else {
                            p.skipChildren();
                        }
                    }
                    case "finding" -> {
                        if (t == JsonToken.START_OBJECT) {
                            final Finding f = finding(p);
                            code = f.code();
                            severity = f.severity();
                            message = f.message();
                        } else {
                            p.skipChildren();
                        }
                    }
                    default -> numbers(p, t, name, numbers);
                }
            }
        } catch (IOException e) {
            return null;
        }
        return new Parsed(type, row, code, severity, message, cid, numbers, findings, live);
    }

    /** A finding object, its start read: code, severity, message. */
    private static Finding finding(final JsonParser p) throws IOException {
        String code = null;
        String severity = null;
        String message = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            final String f = p.currentName();
            p.nextToken();
            switch (f) {
                case "code" -> code = p.getValueAsString();
                case "severity" -> severity = p.getValueAsString();
                case "message" -> message = p.getValueAsString();
                default -> p.skipChildren();
            }
        }
        return new Finding(code, severity, message);
    }

    /** Numbers at the top level and one object down (a stats event's {@code kafka} counters, ...). */
    private static void numbers(final JsonParser p, final JsonToken t, final String name, final Map<String, Double> out)
            throws IOException {
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            out.put(name, p.getDoubleValue());
        } else if (t == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                final String f = p.currentName();
                final JsonToken v = p.nextToken();
                if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
                    out.put(name + "_" + f, p.getDoubleValue());
                } else {
                    p.skipChildren();
                }
            }
        } else {
            p.skipChildren();
        }
    }
}
