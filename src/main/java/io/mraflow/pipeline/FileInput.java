package io.mraflow.pipeline;

import io.mraflow.capture.CaptureDamage;
import io.mraflow.capture.CaptureFiles;
import io.mraflow.capture.CaptureOpenException;
import io.mraflow.capture.CapturedPacket;
import io.mraflow.capture.PacketSource;
import io.mraflow.capture.batch.BatchFileSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A capture file read through the native batch reader ({@link BatchFileSource}) that behaves
 * exactly as {@link CaptureFiles#open} does: same packets, same timestamps, same damage. Read by
 * one thread (the capture thread), like every {@link PacketSource}.
 *
 * <ul>
 *   <li><b>Opening.</b> When libpcap refuses the file through the batch reader (missing, not a
 *       capture file, damaged header, a pcapng file whose interfaces differ), the file is opened
 *       by {@link CaptureFiles#open} instead, which gives the same error with its exact offset,
 *       or reads the file through its Java pcapng reader.</li>
 *   <li><b>Timestamps.</b> libpcap reads a classic pcap record's seconds as signed 32-bit; the
 *       format says unsigned (as {@code LibpcapFileSource} reads them), so a negative time from a
 *       classic pcap file is moved forward by 2^32 seconds.</li>
 *   <li><b>Damage and refusals mid-way.</b> When the batch reader stops on a libpcap error, the
 *       file is reopened by {@link CaptureFiles#open}, the packets already delivered are skipped,
 *       and reading goes on there: the damage reported (byte offset from
 *       {@code capture.DamageLocator}) and any packets after a libpcap refusal (read by the Java
 *       pcapng reader) are exactly those of that path. The cost is one more read of the file up
 *       to the damage, paid only for damaged or refused files.</li>
 * </ul>
 */
final class FileInput implements PacketSource {
    private static final long TWO_POW_32_SECONDS_NANOS = (1L << 32) * 1_000_000_000L;
    private static final int PCAPNG_MAGIC = 0x0A0D0D0A;

    private final Path path;
    private final boolean classicPcap;
    private BatchFileSource batch;
    private PacketSource fallback;
    private long delivered;

    private FileInput(final Path path, final BatchFileSource batch, final boolean classicPcap) {
        this.path = path;
        this.batch = batch;
        this.classicPcap = classicPcap;
    }

    /**
     * Opens {@code path}: through the batch reader when {@code nativeBatch}, else (or when the batch
     * reader cannot open it) through {@link CaptureFiles#open}.
     */
    static PacketSource open(final Path path, final boolean nativeBatch) throws CaptureOpenException {
        if (!nativeBatch) {
            return CaptureFiles.open(path);
        }
        final BatchFileSource batch;
        try {
            batch = BatchFileSource.open(path);
        } catch (IOException | RuntimeException e) {
            return CaptureFiles.open(path); // same refusal, worded and located as CaptureFiles does
        }
        final boolean classic;
        try {
            classic = firstWord(path) != PCAPNG_MAGIC;
        } catch (IOException e) {
            batch.close();
            return CaptureFiles.open(path);
        }
        return new FileInput(path, batch, classic);
    }

    /** True while the packets come from the native batch reader. */
    boolean batchReader() {
        return fallback == null;
    }

    @Override
    public boolean next(final CapturedPacket out) {
        if (fallback != null) {
            return fallback.next(out);
        }
        if (batch.next(out)) {
            if (classicPcap && out.tsNanos < 0) {
                out.tsNanos += TWO_POW_32_SECONDS_NANOS;
            }
            delivered++;
            return true;
        }
        if (batch.damage() == null) {
            return false; // end of file
        }
        return switchToCaptureFiles(out);
    }

    private boolean switchToCaptureFiles(final CapturedPacket out) {
        batch.close();
        try {
            fallback = CaptureFiles.open(path);
        } catch (CaptureOpenException e) {
            fallback = new Failed(new CaptureDamage(path.toString(), e.byteOffset(), delivered, e.reason()));
            return false;
        }
        for (long i = 0; i < delivered; i++) {
            if (!fallback.next(out)) {
                return false; // the other path stopped earlier: its damage is the answer
            }
        }
        return fallback.next(out);
    }

    @Override
    public CaptureDamage damage() {
        return fallback != null ? fallback.damage() : batch.damage();
    }

    @Override
    public String name() {
        return path.toString();
    }

    @Override
    public void close() {
        batch.close();
        if (fallback != null) {
            fallback.close();
        }
    }

    private static int firstWord(final Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            final ByteBuffer b = ByteBuffer.allocate(4);
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // read the 4 bytes
            }
            return b.hasRemaining() ? 0 : b.getInt(0);
        }
    }

    /** A file that reopened with an error after the batch reader had read part of it. */
    private record Failed(CaptureDamage damage) implements PacketSource {
        @Override
        public boolean next(final CapturedPacket out) {
            return false;
        }

        @Override
        public String name() {
            return damage.source();
        }

        @Override
        public void close() {
        }
    }
}
