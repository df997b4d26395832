package io.mraflow.golden;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the golden files are: expected results made by independent tools (tshark) from the
 * captures under src/test/resources/captures/, all under src/test/resources/golden/, one folder
 * per kind, remade by {@code scripts/golden [KIND ...]}. The folder's README.md says what each
 * kind holds, which tool made it and which tests read it. Hand-kept files that are not generated
 * (capture lists, documented exceptions) are in {@code golden/hand-kept/}.
 */
public final class Goldens {
    /** The root of every kind's folder, relative to the project (where the tests run). */
    public static final Path ROOT = Path.of("src/test/resources/golden");

    /** A kind of golden file: one folder, one independent source and format. */
    public enum Kind {
        /** tshark's packets of every capture: timestamp, lengths, link type, MD5, one file per capture. */
        PACKETS("packets", ".tsv"),
        /** tshark's count, first and last timestamps and encapsulations of every capture, one table. */
        SUMMARY("summary", ""),
        /** tshark's innermost IP packet and ports of every frame, one file per listed capture. */
        DECODE("decode", ".tsv"),
        /** tshark's payload protocols, SNI, STUN, DNS and RTP streams per flow, one table each. */
        INSPECT("inspect", ""),
        /** tshark's TCP and UDP conversations ({@code -z conv}), one file per capture. */
        CONVERSATIONS("conversations", ".conv");

        private final String folder;
        private final String extension;

        Kind(final String folder, final String extension) {
            this.folder = folder;
            this.extension = extension;
        }

        /** This kind's folder. */
        public Path dir() {
            return ROOT.resolve(folder);
        }
    }

    private Goldens() {
    }

    /**
     * The golden file of one capture in a kind that keeps one file per capture: the capture's
     * path relative to src/test/resources/captures/, then the kind's extension.
     */
    public static Path path(final Kind kind, final String capture) {
        return kind.dir().resolve(capture + perCapture(kind));
    }

    /** A table of a kind that keeps one table for many captures ({@link Kind#SUMMARY}, {@link Kind#INSPECT}). */
    public static Path table(final Kind kind, final String name) {
        if (!kind.extension.isEmpty()) {
            throw new IllegalArgumentException(kind + " keeps one file per capture: use path(kind, capture)");
        }
        return kind.dir().resolve(name);
    }

    /** A hand-kept file beside the goldens (not generated: a capture list or documented exceptions). */
    public static Path handKept(final String name) {
        return ROOT.resolve("hand-kept").resolve(name);
    }

    /**
     * The captures that have a golden file of a per-capture kind, as paths relative to
     * src/test/resources/captures/, sorted. Never empty: a kind with no files is a missing
     * folder, not a pass.
     */
    public static List<String> captures(final Kind kind) {
        final Path dir = kind.dir();
        final String extension = perCapture(kind);
        try (Stream<Path> files = Files.walk(dir)) {
            final List<String> captures = files.filter(Files::isRegularFile)
                .map(p -> dir.relativize(p).toString().replace('\\', '/'))
                .filter(n -> n.endsWith(extension))
                .map(n -> n.substring(0, n.length() - extension.length()))
                .sorted()
                .toList();
            if (captures.isEmpty()) {
                throw new IllegalStateException("no golden files in " + dir + ": run scripts/golden");
            }
            return captures;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The extension of a per-capture kind's files; refuses a kind that keeps tables. */
    private static String perCapture(final Kind kind) {
        if (kind.extension.isEmpty()) {
            throw new IllegalArgumentException(kind + " keeps one table for all captures, not a file per capture");
        }
        return kind.extension;
    }
}
