package io.mraflow.pipeline;

import io.mraflow.capture.CaptureDamage;
import io.mraflow.capture.CaptureFiles;
import io.mraflow.capture.CaptureOpenException;
import io.mraflow.capture.CaptureStreams;
import io.mraflow.capture.CapturedPacket;
import io.mraflow.capture.PacketSource;
import io.mraflow.capture.batch.BatchFileSource;
import io.mraflow.capture.batch.NativeBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.agrona.concurrent.AtomicBuffer;

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
 *       format says unsigned (as {@code LibpcapFileSource} reads them): the native reader reads
 *       them unsigned too.</li>
 *   <li><b>Batches.</b> The capture thread may take whole batches straight into a worker's ring
 *       ({@link #nextBatch}); {@link #next} serves the packets that cannot come that way.</li>
 *   <li><b>Damage and refusals mid-way.</b> When the batch reader stops on a libpcap error,
 *       {@link CaptureFiles#resume} says what follows, as it does for {@link CaptureFiles#open}'s
 *       own libpcap reader: the packets after what libpcap refuses in a pcapng file (read by the
 *       Java pcapng reader, the packets already delivered skipped), and the damage with its byte
 *       offset. The cost is one more read of the file up to the damage, paid only for damaged or
 *       refused files.</li>
 *   <li><b>Streams.</b> Standard input ({@code -}) and whatever is not a regular file (a FIFO,
 *       {@code /dev/stdin}, a process substitution) can be read only once: they go to
 *       {@link CaptureStreams}, never to libpcap, whose open would consume the bytes it sniffs.</li>
 * </ul>
 */
final class FileInput implements PacketSource {
    /** {@link #nextBatch}: take the next packets one by one with {@link #next}. */
    static final int ONE_BY_ONE = -1;
    /** The file name that means standard input. */
    static final String STANDARD_INPUT = "-";

    private final Path path;
    private final BatchFileSource batch;
    private PacketSource fallback;
    private long delivered;

    private FileInput(final Path path, final BatchFileSource batch) {
        this.path = path;
        this.batch = batch;
    }

    /**
     * Opens {@code path}: through the batch reader when {@code nativeBatch}, else (or when the batch
     * reader cannot open it) through {@link CaptureFiles#open}.
     */
    static PacketSource open(final Path path, final boolean nativeBatch) throws CaptureOpenException {
        if (isStandardInput(path)) {
            return CaptureStreams.openStandardInput();
        }
        if (!nativeBatch || isStream(path)) {
            return CaptureFiles.open(path);
        }
        try {
            return new FileInput(path, BatchFileSource.open(path));
        } catch (IOException | RuntimeException e) {
            return CaptureFiles.open(path); // same refusal, worded and located as CaptureFiles does
        }
    }

    /** Whether {@code path} is {@code -}, standard input. */
    static boolean isStandardInput(final Path path) {
        return path.toString().equals(STANDARD_INPUT);
    }

    /** Whether {@code path} can be read only once: standard input, or anything but a regular file or a directory. */
    static boolean isStream(final Path path) {
        return isStandardInput(path) || Files.exists(path) && !Files.isRegularFile(path) && !Files.isDirectory(path);
    }

    /** True while the packets come from the native batch reader. */
    boolean batchReader() {
        return fallback == null;
    }

    /** The link type of every packet {@link #nextBatch} delivers. */
    int batchLinkType() {
        return batch.linkType();
    }

    /**
     * Reads the next packets into {@code target} (native memory), laid out as
     * {@code BatchRecordDescriptor} draws them; returns how many, 0 at the end of the file, or
     * {@link #ONE_BY_ONE} when the next packet must be taken with {@link #next}: after damage (the
     * other reader goes on from there), while {@link #next} has part of a batch in hand, or when
     * the next packet does not fit {@code target}. {@link #bytesUsed} says how much it filled.
     * At most {@code maxPackets} packets.
     */
    int nextBatch(final AtomicBuffer target, final int maxPackets) {
        if (!batchReady()) {
            return ONE_BY_ONE;
        }
        final int count = batch.nextBatch(target, maxPackets);
        if (count > 0) {
            delivered += count;
            return count;
        }
        final boolean end = batch.damage() == null && batch.lastStatus() == NativeBatch.STATUS_EOF;
        return end ? 0 : ONE_BY_ONE;
    }

    /** False when {@link #nextBatch} would answer {@link #ONE_BY_ONE} without reading. */
    boolean batchReady() {
        return fallback == null && !batch.hasUnread();
    }

    /** Bytes of {@code target} the last {@link #nextBatch} filled. */
    int bytesUsed() {
        return batch.lastBytesUsed();
    }

    @Override
    public boolean next(final CapturedPacket out) {
        if (fallback != null) {
            return fallback.next(out);
        }
        if (batch.next(out)) {
            delivered++;
            return true;
        }
        if (batch.damage() == null) {
            return false; // end of file
        }
        return resumeAfterLibpcap(out);
    }

    private boolean resumeAfterLibpcap(final CapturedPacket out) {
        final String libpcapText = batch.damage().reason();
        batch.close();
        fallback = CaptureFiles.resume(path, delivered, libpcapText);
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
}
