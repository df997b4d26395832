package io.mraflow.e2e;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks JSON-lines output strictly, as a consumer would read it: every line valid UTF-8 and
 * exactly one JSON object (Jackson would otherwise accept several root values on a line), with
 * every token read, strings decoded. Also adds up the flows' packet counters.
 */
final class JsonLineCheck {
    private static final JsonFactory JSON = new JsonFactory();

    record Result(List<String> problems, long packetsInFlows) {
    }

    private JsonLineCheck() {
    }

    static Result check(final byte[] out) {
        final List<String> problems = new ArrayList<>();
        long packets = 0;
        int start = 0;
        int line = 1;
        while (start < out.length) {
            int end = start;
            while (end < out.length && out[end] != '\n') {
                end++;
            }
            if (end == out.length) {
                problems.add("line " + line + " has no newline at its end");
            }
            try {
                packets += object(decode(out, start, end));
            } catch (IOException | IllegalArgumentException e) {
                problems.add("line " + line + " is not one JSON object: " + e.getMessage());
            }
            start = end + 1;
            line++;
        }
        return new Result(problems, packets);
    }

    private static String decode(final byte[] b, final int from, final int to) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(b, from, to - from)).toString();
    }

    /** Reads one object to its end; returns its orig_pkts + resp_pkts. */
    private static long object(final String line) throws IOException {
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("does not start with '{'");
            }
            long packets = 0;
            int depth = 1;
            while (depth > 0) {
                final JsonToken t = p.nextToken();
                if (t == null) {
                    throw new IllegalArgumentException("ends inside the object");
                }
                switch (t) {
                    case START_OBJECT, START_ARRAY -> depth++;
                    case END_OBJECT, END_ARRAY -> depth--;
                    case VALUE_STRING -> p.getText();
                    case VALUE_NUMBER_INT -> {
                        final String field = p.currentName();
                        if (depth == 1 && ("orig_pkts".equals(field) || "resp_pkts".equals(field))) {
                            packets += p.getLongValue();
                        }
                    }
                    default -> {
                    }
                }
            }
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("more after the object");
            }
            return packets;
        }
    }
}
