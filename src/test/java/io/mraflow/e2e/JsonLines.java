package io.mraflow.e2e;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads mraflow's JSON lines back: scalar fields as text, arrays of objects as lists of maps. */
final class JsonLines {
    private static final JsonFactory JSON = new JsonFactory();

    private JsonLines() {
    }

    /** Every line but the report's closing ones (diagnosis and summary): flows, or {@code watch}'s events. */
    static List<Map<String, Object>> parse(String text) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank() && !line.startsWith("{\"event_type\":\"summary\"")
                    && !line.startsWith("{\"event_type\":\"diagnosis\"")) {
                out.add(parseLine(line));
            }
        }
        return out;
    }

    /** Every line. */
    static List<Map<String, Object>> parseAll(String text) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                out.add(parseLine(line));
            }
        }
        return out;
    }

    static Map<String, Object> parseLine(String line) {
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object: " + line);
            }
            return object(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> object(JsonParser p) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_ARRAY) {
                List<Object> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(p.currentToken() == JsonToken.START_OBJECT ? object(p) : p.getText());
                }
                m.put(name, list);
            } else if (t == JsonToken.START_OBJECT) {
                m.put(name, object(p));
            } else {
                m.put(name, t == JsonToken.VALUE_NULL ? null : p.getText());
            }
        }
        return m;
    }
}
