package io.mraflow.decode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

import io.mraflow.golden.Goldens;

/** Reads one frame's row of a decode golden file ({@code golden/decode/}, made by {@code scripts/golden decode}). */
final class TsharkGolden {
    private TsharkGolden() {
    }

    /** Columns: frame, ipver, src, dst, proto, sport, dport, quoted src, dst, sport, dport. */
    static String[] frame(final String capture, final int index) {
        try {
            return Files.readAllLines(Goldens.path(Goldens.Kind.DECODE, capture))
                .stream().filter(l -> !l.startsWith("#")).skip(index).findFirst().orElseThrow().split("\t", -1);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
