package io.mraflow.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses tshark's conversation statistics ({@code tshark -q -z conv,tcp -z conv,udp}) as
 * scripts/golden conversations saved them (src/test/resources/golden/conversations/). tshark prints small byte counts exactly
 * ("1926 bytes") and larger ones rounded down to SI units ("15 kB"), so each count keeps its unit.
 */
final class TsharkConversations {

    /**
     * A byte count as tshark printed it, as the range of exact counts that print that way:
     * "1926 bytes" is exactly 1926, "15 kB" is 15000..15999 (tshark truncates to the unit).
     */
    record Bytes(long min, long max) {
        boolean matches(long exact) {
            return exact >= min && exact <= max;
        }

        Bytes plus(Bytes other) {
            return new Bytes(min + other.min, max + other.max);
        }

        @Override
        public String toString() {
            return min == max ? min + " bytes" : min + ".." + max + " bytes";
        }
    }

    /**
     * One conversation. {@code a} is the left address:port as tshark prints it, {@code aToB} the
     * "->" columns, {@code bToA} the "<-" columns.
     */
    record Conversation(String proto, String a, String b, long framesBToA, Bytes bytesBToA,
                        long framesAToB, Bytes bytesAToB) {
        String key() {
            return ConversationKey.of(proto, a, b);
        }
    }

    private static final Pattern LINE = Pattern.compile(
            "^(\\S+)\\s+<->\\s+(\\S+)\\s+(\\d+)\\s+(\\d+)\\s+(bytes|kB|MB|GB)\\s+(\\d+)\\s+(\\d+)\\s+(bytes|kB|MB|GB)\\s+.*$");

    private TsharkConversations() {
    }

    static Map<String, Conversation> parse(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        Map<String, Conversation> byKey = new LinkedHashMap<>();
        String proto = null;
        for (String line : lines) {
            if (line.startsWith("TCP Conversations")) {
                proto = "tcp";
            } else if (line.startsWith("UDP Conversations")) {
                proto = "udp";
            }
            Matcher m = LINE.matcher(line);
            if (proto == null || !m.matches()) {
                continue;
            }
            Conversation c = new Conversation(proto, m.group(1), m.group(2),
                    Long.parseLong(m.group(3)), bytes(m.group(4), m.group(5)),
                    Long.parseLong(m.group(6)), bytes(m.group(7), m.group(8)));
            byKey.merge(c.key(), c, TsharkConversations::sum);
        }
        return byKey;
    }

    /**
     * tshark lists one 5-tuple several times when it splits it into conversations (a new TCP
     * stream, or an RTP/T.38 conversation set up by SDP); mraflow's flows are summed likewise.
     */
    private static Conversation sum(Conversation x, Conversation y) {
        boolean same = x.a().equals(y.a());
        long fb = x.framesBToA() + (same ? y.framesBToA() : y.framesAToB());
        long fa = x.framesAToB() + (same ? y.framesAToB() : y.framesBToA());
        Bytes bb = x.bytesBToA().plus(same ? y.bytesBToA() : y.bytesAToB());
        Bytes ba = x.bytesAToB().plus(same ? y.bytesAToB() : y.bytesBToA());
        return new Conversation(x.proto(), x.a(), x.b(), fb, bb, fa, ba);
    }

    private static Bytes bytes(String value, String unit) {
        long u = switch (unit) {
            case "kB" -> 1000L;
            case "MB" -> 1000_000L;
            case "GB" -> 1000_000_000L;
            default -> 1L;
        };
        long v = Long.parseLong(value);
        return new Bytes(v * u, v * u + u - 1);
    }
}
