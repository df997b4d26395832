package io.mraflow.report;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's table of JSON fields is the one {@link ConnField} defines, row for row. */
class ReadmeFieldTableTest {

    static String table() {
        StringBuilder sb = new StringBuilder("| field | type | meaning |\n|---|---|---|\n");
        for (ConnField f : ConnField.values()) {
            sb.append("| `").append(f.jsonName()).append("` | ").append(f.type()).append(" | ")
                    .append(f.doc()).append(" |\n");
        }
        return sb.toString();
    }

    @Test
    void readmeListsEveryFieldAsDefined() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String expected = table();
        assertTrue(readme.contains(expected),
                "README.md's field table differs from ConnField; it should contain:\n" + expected);
    }

    @Test
    void readmeListsEveryFindingCodeAsDefined() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String expected = io.mraflow.rules.FindingCode.markdownTable();
        assertTrue(readme.contains(expected),
                "README.md's finding-code table differs from FindingCode; it should contain:\n" + expected);
    }
}
