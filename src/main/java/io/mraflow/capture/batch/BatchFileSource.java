package io.mraflow.capture.batch;

import io.mraflow.capture.CaptureDamage;
import io.mraflow.capture.CapturedPacket;
import io.mraflow.capture.PacketSource;
import org.agrona.BufferUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

import static io.mraflow.capture.batch.BatchRecordDescriptor.HEADER_LENGTH;
import static io.mraflow.capture.batch.BatchRecordDescriptor.capturedLengthOffset;
import static io.mraflow.capture.batch.BatchRecordDescriptor.dataOffset;
import static io.mraflow.capture.batch.BatchRecordDescriptor.linkTypeOffset;
import static io.mraflow.capture.batch.BatchRecordDescriptor.recordLengthOffset;
import static io.mraflow.capture.batch.BatchRecordDescriptor.timestampOffset;
import static io.mraflow.capture.batch.BatchRecordDescriptor.wireLengthOffset;

/**
 * A pcap or pcapng file read by libpcap through {@code libmraflowbatch.so}: one native call fills
 * a direct buffer with many packets, and {@link #next} hands them out as views of that buffer, with
 * no copy and no allocation per packet. Not thread-safe: one thread reads it, as
 * {@link PacketSource} says.
 *
 * <p>A pipeline that hands whole batches to other threads uses {@link #nextBatch(AtomicBuffer, int)}
 * instead, filling buffers it owns; the two ways of reading can alternate only at batch boundaries.
 */
public final class BatchFileSource implements PacketSource {
    /**
     * The buffer size {@link #open(Path)} uses: 512 KiB, about 1,800 packets of 285 bytes per
     * native call, and room for the largest record libpcap can give. Larger is slower, because the
     * batch no longer stays in the core's cache between being written and being read
     * (BENCHMARKS.md, Reading).
     */
    public static final int DEFAULT_CAPACITY = 512 << 10;

    private final String name;
    private final int capacity;
    private final int maxPackets;
    private final ByteBuffer batchMemory;
    private final UnsafeBuffer batch;
    private final ByteBuffer resultMemory;
    private final long resultAddress;
    private final int linkType;
    private long handle;

    private int batchCount;       // records in the internal batch
    private int batchIndex;       // records of it already handed out by next()
    private int recordOffset;     // offset of the next record to hand out
    private int lastStatus = NativeBatch.STATUS_OK;
    private int lastBytesUsed;    // bytes the records of the last native call fill
    private long packetsRead;     // packets handed out by next() or in batches returned by nextBatch()
    private boolean ended;        // EOF or ERROR reported by the library
    private CaptureDamage pendingDamage; // set at ERROR, published when the records before it are read
    private CaptureDamage damage;

    private BatchFileSource(final String name, final long handle, final int capacity, final int maxPackets) {
        this.name = name;
        this.handle = handle;
        this.capacity = capacity;
        this.maxPackets = maxPackets;
        this.batchMemory = ByteBuffer.allocateDirect(capacity);
        this.batch = new UnsafeBuffer(batchMemory);
        this.resultMemory = ByteBuffer.allocateDirect(NativeBatch.RESULT_LENGTH).order(ByteOrder.nativeOrder());
        this.resultAddress = BufferUtil.address(resultMemory);
        this.linkType = NativeBatch.mfb_datalink(handle);
    }

    /** Opens {@code file} with a {@link #DEFAULT_CAPACITY} buffer and no limit on packets per batch. */
    public static BatchFileSource open(final Path file) throws IOException {
        return open(file, DEFAULT_CAPACITY, Integer.MAX_VALUE);
    }

    /**
     * Opens {@code file} for reading in batches of at most {@code capacity} bytes and
     * {@code maxPackets} packets.
     *
     * @throws IOException                   when libpcap cannot open it (missing, not a capture, or a
     *                                       pcapng file libpcap refuses); the message is libpcap's
     * @throws UnsupportedOperationException when the native library is not available
     * @throws IllegalArgumentException      when {@code capacity} cannot hold a record header or
     *                                       {@code maxPackets} is not positive
     */
    public static BatchFileSource open(final Path file, final int capacity, final int maxPackets)
        throws IOException {
        if (!NativeBatch.isAvailable()) {
            throw new UnsupportedOperationException(NativeBatch.unavailableReason());
        }
        if (capacity < HEADER_LENGTH || maxPackets < 1) {
            throw new IllegalArgumentException("capacity " + capacity + " < " + HEADER_LENGTH
                + " or maxPackets " + maxPackets + " < 1");
        }
        final byte[] errbuf = new byte[NativeBatch.ERRBUF_SIZE];
        final long handle = NativeBatch.mfb_open_offline(file.toString(), errbuf);
        if (handle == 0) {
            throw new IOException(file + ": libpcap cannot read it: " + NativeBatch.errbufMessage(errbuf));
        }
        return new BatchFileSource(file.toString(), handle, capacity, maxPackets);
    }

    @Override
    public boolean next(final CapturedPacket out) {
        if (batchIndex == batchCount && !refill()) {
            return false;
        }
        final int offset = recordOffset;
        final int capLen = batch.getInt(capturedLengthOffset(offset));
        out.tsNanos = batch.getLong(timestampOffset(offset));
        out.capLen = capLen;
        out.wireLen = batch.getInt(wireLengthOffset(offset));
        out.linkType = batch.getInt(linkTypeOffset(offset));
        out.bytes.wrap(batch.addressOffset() + dataOffset(offset), capLen);
        recordOffset = offset + batch.getInt(recordLengthOffset(offset));
        batchIndex++;
        packetsRead++;
        return true;
    }

    /** Fills the internal batch; false when there is nothing more to hand out. */
    private boolean refill() {
        batchIndex = 0;
        recordOffset = 0;
        batchCount = fill(batch.addressOffset(), capacity, maxPackets);
        if (lastStatus == NativeBatch.STATUS_TOO_SMALL) {
            throw new IllegalStateException(name + ": " + NativeBatch.mfb_error(handle) + "; use a buffer of at least "
                + BatchRecordDescriptor.recordLength(BatchRecordDescriptor.MAX_CAPTURED_LENGTH) + " bytes");
        }
        return batchCount > 0;
    }

    /**
     * Fills {@code target}, which must wrap native memory (a direct buffer or an address), with
     * the next records, laid out as {@link BatchRecordDescriptor} draws them, and returns how many.
     * 0 means the end of the file or damage ({@link #damage()} says which), a live timeout, or
     * that the next packet does not fit an empty {@code target} ({@link #lastStatus()} is then
     * {@link NativeBatch#STATUS_TOO_SMALL}, and the packet waits for a larger target or for
     * {@link #next}). The packets count as read when this returns.
     *
     * @throws IllegalStateException    when records of the batch {@link #next} reads are still unread
     * @throws IllegalArgumentException when {@code target} wraps a heap array or {@code maxPackets} &lt; 1
     */
    public int nextBatch(final AtomicBuffer target, final int maxPackets) {
        if (maxPackets < 1) {
            throw new IllegalArgumentException("maxPackets " + maxPackets + " < 1");
        }
        if (hasUnread()) {
            throw new IllegalStateException(name + ": " + (batchCount - batchIndex)
                + " packets of the current batch are still unread by next()");
        }
        if (target.byteArray() != null) {
            throw new IllegalArgumentException("the batch target must wrap native memory, not a heap array");
        }
        final int count = fill(target.addressOffset(), target.capacity(), maxPackets);
        packetsRead += count;
        if (count == 0 && pendingDamage != null) {
            damage = pendingDamage;
        }
        return count;
    }

    /** The {@code STATUS_*} of {@link NativeBatch} that ended the last native call. */
    public int lastStatus() {
        return lastStatus;
    }

    /** Bytes that the records of the last native call fill, from the start of its buffer. */
    public int lastBytesUsed() {
        return lastBytesUsed;
    }

    /** Whether records of the batch {@link #next} reads are still unread (then {@link #nextBatch} must wait). */
    public boolean hasUnread() {
        return batchIndex < batchCount;
    }

    /** The link type of the file, a {@code LINKTYPE_*} value. */
    public int linkType() {
        return linkType;
    }

    /** One native call into {@code [address, address + bytes)}; records the status and any damage. */
    private int fill(final long address, final int bytes, final int packets) {
        if (ended) {
            damage = pendingDamage;
            return 0;
        }
        if (handle == 0) {
            throw new IllegalStateException(name + ": closed");
        }
        final int count = NativeBatch.mfb_next_batch(handle, address, bytes, packets, resultAddress);
        final int status = resultMemory.getInt(NativeBatch.RESULT_STATUS_OFFSET);
        lastStatus = status;
        lastBytesUsed = resultMemory.getInt(NativeBatch.RESULT_BYTES_USED_OFFSET);
        switch (status) {
            case NativeBatch.STATUS_EOF -> ended = true;
            case NativeBatch.STATUS_ERROR -> {
                ended = true;
                // TODO(DamageLocator): the ftell offset is where libpcap stopped, often past the
                //  start of the damaged record; the exact Java file walker will replace it.
                pendingDamage = new CaptureDamage(name, NativeBatch.mfb_file_offset(handle),
                    packetsRead + count, NativeBatch.mfb_error(handle));
            }
            default -> {
                // OK, or TIMEOUT and BREAK that only live captures give
            }
        }
        if (count == 0 && ended) {
            damage = pendingDamage;
        }
        return count;
    }

    @Override
    public CaptureDamage damage() {
        return damage;
    }

    @Override
    public String name() {
        return name;
    }

    /** Packets read so far. */
    public long packetsRead() {
        return packetsRead;
    }

    @Override
    public void close() {
        if (handle != 0) {
            NativeBatch.mfb_close(handle);
            handle = 0;
            BufferUtil.free(batchMemory);
            BufferUtil.free(resultMemory);
        }
    }
}
