package io.mraflow.decode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads one frame's row of a golden file written by scripts/decode-golden.sh. */
final class TsharkGolden {
    private TsharkGolden() {
    }

    /** Columns: frame, ipver, src, dst, proto, sport, dport, quoted src, dst, sport, dport. */
    static String[] frame(final String capture, final int index) {
        try {
            return Files.readAllLines(Path.of("src/test/resources/decode/golden").resolve(capture.replace("/", "__") + ".tsv"))
                .stream().filter(l -> !l.startsWith("#")).skip(index).findFirst().orElseThrow().split("\t", -1);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
