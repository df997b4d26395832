package io.mraflow.capture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Tests' way to hold a whole capture: every packet as the production reader gives it
 * ({@link CaptureFiles#open}: libpcap, or the Java pcapng reader for files libpcap refuses),
 * copied out with its time and link type. Stops where the reader stops: at the end, or quietly at
 * the first damaged record (the tests look only at what was readable).
 */
public final class CaptureFrames {

    /** One packet: capture time in nanoseconds since the epoch, LINKTYPE_* value, captured bytes. */
    public record Frame(long tsNanos, int linkType, byte[] data) {
    }

    private CaptureFrames() {
    }

    /** The packets of a capture file. */
    public static List<Frame> read(final Path file) throws IOException {
        try (PacketSource source = CaptureFiles.open(file)) {
            final List<Frame> frames = new ArrayList<>();
            final CapturedPacket p = new CapturedPacket();
            while (source.next(p)) {
                final byte[] data = new byte[p.capLen];
                p.bytes.getBytes(0, data);
                frames.add(new Frame(p.tsNanos, p.linkType, data));
            }
            return frames;
        }
    }

    /** The packets of a capture held in memory, read from a temporary file (libpcap reads files). */
    public static List<Frame> read(final byte[] file) throws IOException {
        final Path tmp = Files.createTempFile("mraflow-frames", ".cap");
        try {
            Files.write(tmp, file);
            return read(tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
