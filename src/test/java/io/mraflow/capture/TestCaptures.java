package io.mraflow.capture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.mraflow.golden.Goldens;

/**
 * The project's third-party captures (src/test/resources/captures, listed in MANIFEST.tsv) and
 * what tshark reads in them (src/test/resources/golden/summary/captures.tsv, made by
 * scripts/golden summary).
 */
final class TestCaptures {
    private TestCaptures() {
    }

    /** One MANIFEST row joined with its golden row. */
    record Capture(String file, String manifestLinkType, String manifestPackets, long tsharkPackets,
                   String tsharkFirst, String tsharkLast, String encapRuns) {
        Path path() {
            return dir().resolve(file);
        }

        @Override
        public String toString() {
            return file;
        }
    }

    static Path dir() {
        try {
            return Path.of(TestCaptures.class.getResource("/captures/MANIFEST.tsv").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path capture(String file) {
        return dir().resolve(file);
    }

    static List<Capture> all() {
        try {
            final Map<String, String[]> golden = new HashMap<>();
            final Path goldenFile = Goldens.table(Goldens.Kind.SUMMARY, "captures.tsv");
            for (String line : Files.readAllLines(goldenFile).subList(1, Files.readAllLines(goldenFile).size())) {
                final String[] f = line.split("\t", -1);
                golden.put(f[0], f);
            }
            final List<Capture> captures = new ArrayList<>();
            final List<String> manifest = Files.readAllLines(dir().resolve("MANIFEST.tsv"));
            for (String line : manifest.subList(1, manifest.size())) {
                final String[] m = line.split("\t", -1);
                final String[] g = golden.get(m[0]);
                if (g == null) {
                    throw new IllegalStateException(m[0] + " is missing from " + goldenFile + ": run scripts/golden summary");
                }
                captures.add(new Capture(m[0], m[5], m[6], Long.parseLong(g[1]), g[2], g[3], g[4]));
            }
            return captures;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * tshark's frame.time_epoch ("1120469572.844249000") in nanoseconds. tshark prints the
     * nanoseconds field with at least 9 digits, so a 10-digit fraction is a nanosecond count that
     * a damaged record pushed past one second (ndpi/fuzz-2021-10-13.pcap), added as it is.
     */
    static long epochNanos(String tsharkTime) {
        final int dot = tsharkTime.indexOf('.');
        final long seconds = Long.parseLong(tsharkTime.substring(0, dot));
        final String fraction = tsharkTime.substring(dot + 1);
        final long nanos = fraction.length() >= 9 ? Long.parseLong(fraction)
                : Long.parseLong((fraction + "000000000").substring(0, 9));
        return seconds * 1_000_000_000L + nanos;
    }

    /** The LINKTYPE_ value for a wiretap encapsulation number (as tshark's frame.encap_type prints it). */
    static int linkTypeOfEncap(int encap) {
        return switch (encap) {
            case 1 -> LinkType.EN10MB;
            case 4 -> LinkType.PPP;
            case 15 -> LinkType.NULL;
            case 25 -> LinkType.LINUX_SLL;
            case 129 -> LinkType.IPV4;
            case 141 -> LinkType.NFLOG;
            case 210 -> LinkType.LINUX_SLL2;
            default -> throw new IllegalArgumentException("no LINKTYPE known for wiretap encapsulation " + encap);
        };
    }

    /** The per-packet link types of a golden encap_runs column ("1x18,25x2"), expanded. */
    static int[] linkTypesOfRuns(String runs) {
        if (runs.equals("-")) {
            return new int[0];
        }
        final List<Integer> types = new ArrayList<>();
        for (String run : runs.split(",")) {
            final String[] r = run.split("x");
            final int type = linkTypeOfEncap(Integer.parseInt(r[0]));
            for (int i = Integer.parseInt(r[1]); i > 0; i--) {
                types.add(type);
            }
        }
        return types.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The LINKTYPE_ value a MANIFEST link_type text names, or -1 for "Per packet". */
    static int linkTypeOfManifest(String text) {
        if (text.startsWith("Ethernet")) {
            return LinkType.EN10MB;
        }
        if (text.startsWith("Linux cooked-mode capture v1")) {
            return LinkType.LINUX_SLL;
        }
        if (text.startsWith("Linux cooked-mode capture v2")) {
            return LinkType.LINUX_SLL2;
        }
        if (text.startsWith("NULL/Loopback")) {
            return LinkType.NULL;
        }
        if (text.equals("PPP")) {
            return LinkType.PPP;
        }
        if (text.equals("Raw IPv4")) {
            return LinkType.IPV4;
        }
        if (text.equals("NFLOG")) {
            return LinkType.NFLOG;
        }
        if (text.startsWith("Per packet")) {
            return -1;
        }
        throw new IllegalArgumentException("unknown MANIFEST link type " + text);
    }

    /** Copies a capture into {@code dir} under its own file name. */
    static Path copy(String file, Path dir) throws IOException {
        final Path to = dir.resolve(Path.of(file).getFileName().toString());
        Files.copy(capture(file), to);
        return to;
    }
}
