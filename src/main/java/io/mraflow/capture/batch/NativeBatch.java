package io.mraflow.capture.batch;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The functions of {@code libmraflowbatch.so} ({@code native/mraflow_batch.c}), bound by JNA direct
 * mapping: each call is one JNI transition, and since every pointer crosses as a {@code long}
 * address no call allocates. Call them only when {@link #isAvailable()}; a handle belongs to one
 * thread at a time, except for {@link #mfb_breakloop}.
 *
 * <p>The library is found, in this order: at the absolute path in the system property
 * {@value #PATH_PROPERTY}; else by JNA's own search for {@code mraflowbatch}
 * ({@code jna.library.path}, the system library path, then the class path under
 * {@code linux-x86-64/}, where the Maven build copies it).
 */
public final class NativeBatch {
    /** System property: absolute path of {@code libmraflowbatch.so}, overriding the search. */
    public static final String PATH_PROPERTY = "mraflow.native.path";
    /** The library name JNA searches for. */
    public static final String LIBRARY_NAME = "mraflowbatch";

    /** The buffer is full or {@code max_packets} were written: call again. */
    public static final int STATUS_OK = 0;
    /** No more packets in the file. */
    public static final int STATUS_EOF = 1;
    /** libpcap failed (damaged file, interface gone); {@link #mfb_error} says why. */
    public static final int STATUS_ERROR = 2;
    /** Live capture: the read timeout expired with no packet. */
    public static final int STATUS_TIMEOUT = 3;
    /** The next record does not fit even an empty buffer; it stays pending for a larger one. */
    public static final int STATUS_TOO_SMALL = 4;
    /** Live capture: {@link #mfb_breakloop} was called. */
    public static final int STATUS_BREAK = 5;
    /** Size of the error buffer the open functions write into (PCAP_ERRBUF_SIZE). */
    public static final int ERRBUF_SIZE = 256;

    private static final String UNAVAILABLE_REASON;

    static {
        String reason = null;
        try {
            final String path = System.getProperty(PATH_PROPERTY);
            if (path != null && !path.isBlank()) {
                Native.register(NativeBatch.class, NativeLibrary.getInstance(path));
            } else {
                Native.register(NativeBatch.class, LIBRARY_NAME);
            }
        } catch (final Throwable t) { // UnsatisfiedLinkError, or JNA itself missing its stub
            reason = "cannot load lib" + LIBRARY_NAME + ".so: " + t + buildFailureNote();
        }
        UNAVAILABLE_REASON = reason;
    }

    private NativeBatch() {
    }

    /** Whether the library loaded; never throws. */
    public static boolean isAvailable() {
        return UNAVAILABLE_REASON == null;
    }

    /** Why the library is not available, or {@code null} when it is; never throws. */
    public static String unavailableReason() {
        return UNAVAILABLE_REASON;
    }

    /** The reason native/build.sh left on the class path when it could not build the library. */
    private static String buildFailureNote() {
        try (InputStream in = NativeBatch.class.getResourceAsStream("native-build-failure.txt")) {
            return in == null ? "" : "; the build said: " + new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (final IOException | RuntimeException e) {
            return "";
        }
    }

    /** The message an open function left in {@code errbuf}. */
    public static String errbufMessage(final byte[] errbuf) {
        int end = 0;
        while (end < errbuf.length && errbuf[end] != 0) {
            end++;
        }
        return new String(errbuf, 0, end, StandardCharsets.UTF_8);
    }

    /** Opens a capture file with nanosecond timestamps; 0 and a message in {@code errbuf} on failure. */
    public static native long mfb_open_offline(String path, byte[] errbuf);

    /** Opens a live interface in immediate mode; 0 and a message in {@code errbuf} on failure. */
    public static native long mfb_open_live(String device, int snaplen, int promisc, int timeoutMs,
                                            int bufferBytes, byte[] errbuf);

    /**
     * Wraps a live {@code pcap_t} the caller opened (pcap4j's handle) for batch reads; 0 and a
     * message in {@code errbuf} on failure. {@link #mfb_close} leaves the {@code pcap_t} open.
     */
    public static native long mfb_wrap_live(long pcap, int timeoutMs, byte[] errbuf);

    /** The handle's link type, a {@code LINKTYPE_*} value. */
    public static native int mfb_datalink(long handle);

    /**
     * Writes up to {@code maxPackets} records (see {@link BatchRecordDescriptor}) into
     * {@code [bufferAddress, bufferAddress + capacity)} and returns the number of records. At
     * {@code resultAddress} it stores two native ints: a {@code STATUS_*} value, then the bytes the
     * records fill. A classic pcap file's seconds are read unsigned, as the format defines them.
     */
    public static native int mfb_next_batch(long handle, long bufferAddress, int capacity, int maxPackets,
                                            long resultAddress);

    /** Offset of the status in the result of {@link #mfb_next_batch}. */
    public static final int RESULT_STATUS_OFFSET = 0;
    /** Offset of the bytes used in the result of {@link #mfb_next_batch}. */
    public static final int RESULT_BYTES_USED_OFFSET = 4;
    /** Bytes of the result of {@link #mfb_next_batch}. */
    public static final int RESULT_LENGTH = 8;

    /** The handle's last error message, {@code ""} when none. */
    public static native String mfb_error(long handle);

    /** Where libpcap stopped reading the file (ftell), -1 for live captures. */
    public static native long mfb_file_offset(long handle);

    /** Makes a live read return {@link #STATUS_BREAK}; any thread may call it. */
    public static native void mfb_breakloop(long handle);

    /** Closes the handle; it must not be used again. */
    public static native void mfb_close(long handle);

    /** CPU time of the calling thread, nanoseconds; -1 when the clock fails. */
    public static native long mfb_thread_cpu_nanos();
}
