package io.mraflow.capture;

import io.mraflow.capture.batch.NativeBatch;

import com.sun.jna.Pointer;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.agrona.BufferUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.PcapStat;
import org.pcap4j.core.Pcaps;

/**
 * One live interface. pcap4j does what it is good at: finding the device, opening and configuring
 * the handle (snap length, promiscuous mode, kernel buffer, read timeout, nanosecond times),
 * compiling and setting the filter, reading libpcap's statistics. Packets never cross through
 * pcap4j: the native batch reader reads the same {@code pcap_t} a batch at a time
 * ({@code mfb_wrap_live}) straight into the memory the caller gives.
 *
 * <p>{@link #nextBatch} is called by one thread (the interface's capture thread); {@link #stats}
 * and {@link #breakLoop} may be called by any thread.
 */
public final class LiveCapture implements AutoCloseable {
    /** {@link #nextBatch}: nothing arrived within the read timeout. */
    public static final int NOTHING_YET = -2;
    /** {@link #nextBatch}: {@link #breakLoop} was called. */
    public static final int STOPPED = -3;
    /** {@link #nextBatch}: the interface failed (went down, was removed): {@link #error} says why. */
    public static final int FAILED = -4;
    /**
     * {@link #nextBatch}: the next packet does not fit even the whole target (a 64 KiB loopback or
     * GRO frame in a smaller target); it stays pending for a larger one. {@link #error} says so.
     */
    public static final int TOO_SMALL = -5;

    /** Read timeout: the longest a batch waits for its first packet. */
    static final int TIMEOUT_MS = 100;

    private final String name;
    private final PcapHandle handle;
    private final long batch;
    private final int linkType;
    private final ByteBuffer result = ByteBuffer.allocateDirect(NativeBatch.RESULT_LENGTH).order(ByteOrder.nativeOrder());
    private final long resultAddress = BufferUtil.address(result);
    private int bytesUsed;
    private String error;

    private LiveCapture(final String name, final PcapHandle handle, final long batch) {
        this.name = name;
        this.handle = handle;
        this.batch = batch;
        this.linkType = NativeBatch.mfb_datalink(batch);
    }

    /**
     * Opens {@code interfaceName} for capture.
     *
     * @param filter a BPF expression, or null
     * @throws LiveCaptureException with a message for the user: no such interface (and the ones
     *                              there are), no permission (and how to grant it), a filter
     *                              libpcap cannot compile (and its reason)
     */
    public static LiveCapture open(final String interfaceName, final int snaplen, final boolean promiscuous,
                                   final int bufferBytes, final String filter) throws LiveCaptureException {
        Libpcap.requireLoaded();
        if (!NativeBatch.isAvailable()) {
            throw new LiveCaptureException(interfaceName, "the native batch reader is not available ("
                    + NativeBatch.unavailableReason() + ")", LiveCaptureException.Kind.OTHER);
        }
        try {
            if (Pcaps.getDevByName(interfaceName) == null) {
                throw new LiveCaptureException(interfaceName, "no such interface (" + LiveInterfaces.names()
                        + "; mraflow interfaces lists them)", LiveCaptureException.Kind.NO_SUCH_INTERFACE);
            }
        } catch (PcapNativeException e) {
            throw new LiveCaptureException(interfaceName, "cannot list interfaces: " + e.getMessage(),
                    LiveCaptureException.Kind.OTHER);
        }
        final PcapHandle handle = activate(interfaceName, snaplen, promiscuous, bufferBytes);
        try {
            if (filter != null) {
                handle.setFilter(filter, BpfProgram.BpfCompileMode.OPTIMIZE);
            }
            final byte[] errbuf = new byte[NativeBatch.ERRBUF_SIZE];
            final long batch = NativeBatch.mfb_wrap_live(Pointer.nativeValue(pcapOf(handle)), TIMEOUT_MS, errbuf);
            if (batch == 0) {
                throw new LiveCaptureException(interfaceName, NativeBatch.errbufMessage(errbuf), LiveCaptureException.Kind.OTHER);
            }
            return new LiveCapture(interfaceName, handle, batch);
        } catch (PcapNativeException | NotOpenException e) {
            handle.close();
            throw new LiveCaptureException(interfaceName, "the filter '" + filter + "' does not compile: " + e.getMessage(),
                    LiveCaptureException.Kind.BAD_FILTER);
        } catch (LiveCaptureException | RuntimeException e) {
            handle.close();
            throw e;
        }
    }

    private static PcapHandle activate(final String name, final int snaplen, final boolean promiscuous,
                                       final int bufferBytes) throws LiveCaptureException {
        PcapNativeException last = null;
        // Nanosecond timestamps where the device offers them, microseconds (scaled by the reader) where not.
        for (PcapHandle.TimestampPrecision precision : PcapHandle.TimestampPrecision.values()) {
            final PcapHandle.Builder b = new PcapHandle.Builder(name).snaplen(snaplen)
                    .promiscuousMode(promiscuous ? PcapNetworkInterface.PromiscuousMode.PROMISCUOUS
                            : PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS)
                    // Not immediate mode. In immediate mode libpcap on Linux uses TPACKET_V2 instead
                    // of V3: a ring slot per packet as large as the snap length (64 KiB with
                    // offloads), some 30 packets in the default 2 MiB, and every read brings about
                    // one packet (a 64 KiB ring batch each), so packets were lost even at low rates.
                    // V3 packs packets into blocks handed over when full or after the read timeout:
                    // up to 100 ms later, and far fewer lost (bench-live before and after:
                    // BENCHMARKS.md, Live capture).
                    .timeoutMillis(TIMEOUT_MS).immediateMode(false);
            if (bufferBytes > 0) {
                b.bufferSize(bufferBytes);
            }
            try {
                return b.timestampPrecision(precision).build();
            } catch (PcapNativeException e) {
                if (isPermissionDenied(e.getMessage())) {
                    throw new LiveCaptureException(name, "no permission to capture: mraflow needs root, or the"
                            + " capabilities CAP_NET_RAW and CAP_NET_ADMIN, granted to java with: sudo setcap"
                            + " cap_net_raw,cap_net_admin+eip " + javaBinary(), LiveCaptureException.Kind.NO_PERMISSION);
                }
                last = e;
            }
        }
        throw new LiveCaptureException(name, "cannot open: " + (last == null ? "?" : last.getMessage()),
                LiveCaptureException.Kind.OTHER);
    }

    static boolean isPermissionDenied(final String message) {
        return message != null && (message.contains("ermission") || message.contains("Operation not permitted"));
    }

    private static String javaBinary() {
        try {
            return java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toRealPath().toString();
        } catch (java.io.IOException e) {
            return System.getProperty("java.home") + "/bin/java";
        }
    }

    /** pcap4j keeps its {@code pcap_t} private; the batch reader reads through the same one. */
    private static Pointer pcapOf(final PcapHandle handle) {
        try {
            final Field f = PcapHandle.class.getDeclaredField("handle");
            f.setAccessible(true);
            return (Pointer) f.get(handle);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this pcap4j has no PcapHandle.handle field (1.8.2 has)", e);
        }
    }

    /** The interface's name. */
    public String name() {
        return name;
    }

    /** The link type of every packet, a {@code LINKTYPE_*} value. */
    public int linkType() {
        return linkType;
    }

    /**
     * Reads the packets that are there (waiting up to the read timeout for a first one) into
     * {@code target}, laid out as {@code BatchRecordDescriptor} draws them; returns how many, or
     * {@link #NOTHING_YET}, {@link #STOPPED}, {@link #FAILED} or {@link #TOO_SMALL}. {@link #bytesUsed} says how much
     * it filled.
     */
    public int nextBatch(final AtomicBuffer target) {
        return nextBatch(target, Integer.MAX_VALUE);
    }

    /** {@link #nextBatch(AtomicBuffer)}, reading at most {@code maxPackets} packets. */
    public int nextBatch(final AtomicBuffer target, final int maxPackets) {
        final int count = NativeBatch.mfb_next_batch(batch, target.addressOffset(), target.capacity(), maxPackets,
                resultAddress);
        bytesUsed = result.getInt(NativeBatch.RESULT_BYTES_USED_OFFSET);
        if (count > 0) {
            return count;
        }
        return switch (result.getInt(NativeBatch.RESULT_STATUS_OFFSET)) {
            case NativeBatch.STATUS_BREAK -> STOPPED;
            case NativeBatch.STATUS_ERROR, NativeBatch.STATUS_EOF -> {
                error = NativeBatch.mfb_error(batch);
                yield FAILED;
            }
            case NativeBatch.STATUS_TOO_SMALL -> {
                error = NativeBatch.mfb_error(batch);
                yield TOO_SMALL;
            }
            default -> NOTHING_YET;
        };
    }

    /** Bytes of the target the last {@link #nextBatch} filled. */
    public int bytesUsed() {
        return bytesUsed;
    }

    /** Why the last {@link #nextBatch} answered {@link #FAILED}. */
    public String error() {
        return error;
    }

    /**
     * libpcap's counters: received, dropped by the kernel, dropped by the interface; null when it
     * cannot say. One caller at a time: on Linux {@code pcap_stats} adds the kernel's clear-on-read
     * counters to running totals in the handle, and two threads at once (the event stage's stats
     * event, a metrics scrape, the capture thread as it stops) could lose one's share for good.
     */
    public synchronized long[] stats() {
        try {
            final PcapStat s = handle.getStats();
            return new long[] {s.getNumPacketsReceived(), s.getNumPacketsDropped(), s.getNumPacketsDroppedByIf()};
        } catch (PcapNativeException | NotOpenException e) {
            return null;
        }
    }

    /** Makes the current or next {@link #nextBatch} answer {@link #STOPPED}; any thread. */
    public void breakLoop() {
        NativeBatch.mfb_breakloop(batch);
    }

    @Override
    public void close() {
        NativeBatch.mfb_close(batch);
        handle.close();
    }
}
