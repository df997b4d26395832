package io.mraflow.decode;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * IP protocol numbers are written once, in {@link IpProto}: no source file under src/main compares
 * a protocol with a raw number ({@code ipProto == 17}, {@code 6 != proto}) or defines a protocol
 * constant of its own ({@code static final int TCP = 6}). A simple source check, as the issue
 * asked; it looks at code, not comments.
 */
class IpProtoSourceTest {
    private static final String NUMBERS = "(?:1|4|6|17|41|47|58)";
    /** A protocol-named expression compared with a number, either way round. */
    private static final Pattern RAW_COMPARISON = Pattern.compile(
            "[pP]roto\\w*(?:\\(\\))?\\s*[!=]=\\s*" + NUMBERS + "\\b|\\b" + NUMBERS + "\\s*[!=]=\\s*[\\w.]*[pP]roto");
    /** A constant of its own for a protocol number. */
    private static final Pattern OWN_CONSTANT = Pattern.compile(
            "static\\s+final\\s+int\\s+(?:IP_?PROTO_|PROTO_)?(?:TCP|UDP|ICMP|ICMPV6|GRE|IPIP|IPV6)\\s*=\\s*" + NUMBERS + "\\s*;");

    @Test
    void protocolNumbersAreWrittenOnlyInIpProto() throws Exception {
        final List<String> found = new ArrayList<>();
        int files = 0;
        try (Stream<Path> s = Files.walk(Path.of("src/main/java"))) {
            for (Path p : (Iterable<Path>) s.filter(f -> f.toString().endsWith(".java"))::iterator) {
                files++;
                if (p.getFileName().toString().equals("IpProto.java")) {
                    continue;
                }
                final List<String> lines = Files.readAllLines(p);
                for (int i = 0; i < lines.size(); i++) {
                    final String code = codeOf(lines.get(i));
                    for (Pattern pattern : new Pattern[] {RAW_COMPARISON, OWN_CONSTANT}) {
                        final Matcher m = pattern.matcher(code);
                        if (m.find()) {
                            found.add(p + ":" + (i + 1) + ": " + m.group());
                        }
                    }
                }
            }
        }
        assertTrue(files > 100, "the source tree was found: " + files + " files");
        assertEquals(List.of(), found, "use io.mraflow.decode.IpProto");
    }

    @Test
    void theCheckSeesWhatItLooksFor() {
        assertTrue(RAW_COMPARISON.matcher("if (f.ipProto() == 17) {").find());
        assertTrue(RAW_COMPARISON.matcher("return 6 != p.ipProto;").find());
        assertTrue(OWN_CONSTANT.matcher("    static final int IP_PROTO_TCP = 6;").find());
        assertTrue(!RAW_COMPARISON.matcher("if (f.ipProto() == IpProto.UDP) {").find());
        assertTrue(!RAW_COMPARISON.matcher("if (f.respPort() == 17) {").find());
        assertTrue(!OWN_CONSTANT.matcher("    static final int ICMP_FROM_HI = 17;").find());
    }

    /** The line without a trailing // comment, and nothing of a line inside a block comment ("*" first). */
    private static String codeOf(final String line) {
        final String t = line.trim();
        if (t.startsWith("*") || t.startsWith("/*") || t.startsWith("//")) {
            return "";
        }
        final int comment = line.indexOf("//");
        return comment < 0 ? line : line.substring(0, comment);
    }
}
