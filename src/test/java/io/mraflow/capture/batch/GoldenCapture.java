package io.mraflow.capture.batch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.mraflow.golden.Goldens;

/**
 * A test capture and what tshark read in it, from {@code src/test/resources/golden/packets/}
 * (written by {@code scripts/golden packets}): one row per packet, the captured bytes as an MD5.
 */
record GoldenCapture(String name, Path file, long[] tsNanos, int[] capLen, int[] wireLen, int[] linkType, String[] md5) {
    static final Path CAPTURES = Path.of("src/test/resources/captures");

    static List<String> names() {
        try (Stream<Path> files = Files.walk(CAPTURES)) {
            return files.filter(Files::isRegularFile)
                .map(p -> CAPTURES.relativize(p).toString().replace('\\', '/'))
                .filter(n -> n.endsWith(".pcap") || n.endsWith(".pcapng"))
                .sorted()
                .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static GoldenCapture load(final String name) {
        try {
            final List<String> lines = Files.readAllLines(Goldens.path(Goldens.Kind.PACKETS, name));
            final int n = lines.size();
            final long[] ts = new long[n];
            final int[] cap = new int[n];
            final int[] wire = new int[n];
            final int[] link = new int[n];
            final String[] md5 = new String[n];
            for (int i = 0; i < n; i++) {
                final String[] f = lines.get(i).split("\t");
                ts[i] = Long.parseLong(f[0]);
                cap[i] = Integer.parseInt(f[1]);
                wire[i] = Integer.parseInt(f[2]);
                link[i] = Integer.parseInt(f[3]);
                md5[i] = f[4];
            }
            return new GoldenCapture(name, CAPTURES.resolve(name), ts, cap, wire, link, md5);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int packets() {
        return tsNanos.length;
    }

    /** The longest record any packet of this capture needs in a batch buffer. */
    int largestRecord() {
        int max = BatchRecordDescriptor.recordLength(0);
        for (int c : capLen) {
            max = Math.max(max, BatchRecordDescriptor.recordLength(c));
        }
        return max;
    }
}
