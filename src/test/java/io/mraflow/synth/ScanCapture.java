package io.mraflow.synth;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * A port scan: one TCP SYN from one scanner to each of {@code FLOWS} distinct address/port pairs,
 * never answered, 10 microseconds apart (100,000 SYNs a second), so every flow is still open
 * (a SYN waits 60 s for its answer) when the table fills: the commonest thing a DMZ capture
 * holds and the hardest on memory. Targets walk ports 1..65535 of 198.18.0.0/15 (RFC 2544's
 * benchmarking range), one address after another. Classic pcap, Ethernet, nanosecond times.
 *
 * <p>Usage: {@code ScanCapture OUT [FLOWS=1000000]}.
 */
public final class ScanCapture {
    static final long START = Instant.parse("2026-03-02T10:00:00Z").getEpochSecond() * 1_000_000_000L;
    static final int SCANNER = Ip.v4("192.0.2.66");
    static final int TARGETS = Ip.v4("198.18.0.0");
    static final long GAP_NANOS = 10_000;

    private ScanCapture() {
    }

    /** Writes {@code flows} SYNs to {@code out}. */
    public static void write(final Path out, final long flows) throws IOException {
        if (flows < 1 || flows > 131_072L * 65_535) {
            throw new IllegalArgumentException("flows " + flows + " outside 1..8589803520 (a /15 times 65535 ports)");
        }
        final FrameBuilder frames = new FrameBuilder();
        try (FileChannel ch = FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
             PcapWriter pcap = new PcapWriter(ch, true)) {
            for (long i = 0; i < flows; i++) {
                final int target = TARGETS + (int) (i / 65_535);
                final int port = 1 + (int) (i % 65_535);
                final int len = frames.tcp4(SCANNER, 40_000 + (int) (i % 20_000), target, port,
                        i * 2_654_435_761L, 0, FrameBuilder.SYN, 0);
                pcap.write(START + i * GAP_NANOS, frames.frame(), 0, len);
            }
        }
    }

    public static void main(final String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: ScanCapture OUT [FLOWS=1000000]");
            System.exit(2);
        }
        final Path out = Path.of(args[0]);
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        write(out, args.length > 1 ? Long.parseLong(args[1]) : 1_000_000);
    }
}
