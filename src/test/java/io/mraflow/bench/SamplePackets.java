package io.mraflow.bench;

import io.mraflow.capture.CaptureFiles;
import io.mraflow.capture.CapturedPacket;
import io.mraflow.capture.PacketSource;
import io.mraflow.decode.DecodeStatus;
import io.mraflow.decode.PacketDecoder;
import io.mraflow.decode.PacketView;
import io.mraflow.flow.FlowTableConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The benchmarks' input: every packet of {@code pcaps/mra-sample.pcapng} (or the file named by the
 * system property {@code mraflow.bench.capture}), read once through {@link CaptureFiles} and copied
 * to the heap. Each packet gets its own {@link CapturedPacket} whose {@code bytes} wrap its own
 * {@code byte[]} ({@code UnsafeBuffer.wrap(byte[], 0, capLen)}), so a benchmark loop only hands
 * prepared packets to the code under test: no I/O, no copying, no wrapping in the measured loop.
 */
final class SamplePackets {
    /** Packets handled per benchmark invocation (the loops cycle through the sample). */
    static final int BATCH = 1000;

    /** Idle timeouts long enough that replaying the sample never expires a flow (it spans minutes). */
    static final FlowTableConfig NEVER_EXPIRE;

    static {
        final long never = TimeUnit.DAYS.toNanos(3650);
        NEVER_EXPIRE = FlowTableConfig.defaults().withTcpTimeouts(never, never, never).withUdpTimeout(never);
    }

    private SamplePackets() {
    }

    static Path captureFile() {
        final Path p = Path.of(System.getProperty("mraflow.bench.capture", "pcaps/mra-sample.pcapng"));
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException(p.toAbsolutePath() + " not found: run the benchmarks from the"
                    + " repository root (scripts/jmh does) or set -Dmraflow.bench.capture=FILE");
        }
        return p;
    }

    /** Every packet of the capture, each in its own heap buffer. */
    static CapturedPacket[] load() {
        final Path file = captureFile();
        final List<CapturedPacket> packets = new ArrayList<>();
        final CapturedPacket read = new CapturedPacket();
        try (PacketSource source = CaptureFiles.open(file)) {
            while (source.next(read)) {
                final byte[] copy = new byte[read.capLen];
                read.bytes.getBytes(0, copy, 0, read.capLen);
                final CapturedPacket p = new CapturedPacket();
                p.bytes.wrap(copy, 0, copy.length);
                p.tsNanos = read.tsNanos;
                p.capLen = read.capLen;
                p.wireLen = read.wireLen;
                p.linkType = read.linkType;
                packets.add(p);
            }
            if (source.damage() != null) {
                throw new IllegalStateException(source.damage().message());
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (packets.isEmpty()) {
            throw new IllegalStateException(file + " holds no packets");
        }
        return packets.toArray(new CapturedPacket[0]);
    }

    /**
     * One decoded view per packet (each pointing into its packet's buffer), leaving out packets of
     * an unsupported link type as the pipeline does ({@code FileAnalysis}).
     */
    static PacketView[] decodeAll(CapturedPacket[] packets) {
        final PacketDecoder decoder = new PacketDecoder();
        final List<PacketView> views = new ArrayList<>();
        for (CapturedPacket p : packets) {
            final PacketView v = new PacketView();
            decoder.decode(p, v);
            if (v.status != DecodeStatus.UNSUPPORTED_LINK) {
                views.add(v);
            }
        }
        return views.toArray(new PacketView[0]);
    }
}
