package io.mraflow.capture;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * The few libpcap functions the file reader calls, bound by JNA direct mapping
 * ({@link Native#register}): a call costs about as much as a JNI call, with no per-call
 * reflection or allocation. Handles and out-pointers are passed as {@code long} addresses, so
 * this binding assumes a 64-bit platform (checked when loading).
 *
 * <p>Thread safety: each function is as thread-safe as libpcap says; a {@code pcap_t} is used by
 * one thread at a time.
 */
final class Libpcap {
    /** {@code PCAP_TSTAMP_PRECISION_NANO}: timestamps in nanoseconds whatever the file holds. */
    static final int TSTAMP_PRECISION_NANO = 1;
    /** {@code PCAP_ERRBUF_SIZE}. */
    static final int ERRBUF_SIZE = 256;
    /** {@code pcap_next_ex}: a packet was read. */
    static final int NEXT_OK = 1;
    /** {@code pcap_next_ex}: an error; {@code pcap_geterr} says which. */
    static final int NEXT_ERROR = -1;
    /** {@code pcap_next_ex} ({@code PCAP_ERROR_BREAK}): no more packets in the file. */
    static final int NEXT_END_OF_FILE = -2;

    /** Names tried in order: the development symlink, then the Debian/Ubuntu runtime soname. */
    private static final String[] LIBRARY_NAMES = {"pcap", "libpcap.so.0.8"};

    /** Set once by the class initialiser: null when libpcap is bound, else why it is not. */
    private static final String UNAVAILABLE;

    static {
        UNAVAILABLE = bind();
    }

    private Libpcap() {
    }

    private static String bind() {
        if (Native.POINTER_SIZE != 8 || Native.LONG_SIZE != 8) {
            return "mraflow reads capture files through libpcap on 64-bit platforms only";
        }
        StringBuilder failures = new StringBuilder();
        for (String name : LIBRARY_NAMES) {
            try {
                Native.register(Libpcap.class, NativeLibrary.getInstance(name));
                return null;
            } catch (UnsatisfiedLinkError | IllegalArgumentException e) {
                // JNA's message lists every path tried (the whole classpath among them): its first line is enough
                final String message = String.valueOf(e.getMessage());
                final int newline = message.indexOf('\n');
                failures.append(failures.length() == 0 ? "" : "; ").append((newline < 0 ? message : message.substring(0, newline)).replaceAll(":$", ""));
            }
        }
        return "libpcap is not installed or cannot be loaded (tried " + String.join(", ", LIBRARY_NAMES)
                + "). Install it: apt-get install -y libpcap0.8 libpcap-dev (Debian/Ubuntu), "
                + "dnf install -y libpcap libpcap-devel (Fedora/RHEL). Loader said: " + failures;
    }

    /** Throws {@link LibpcapUnavailableException} with what to install when libpcap could not be bound. */
    static void requireLoaded() {
        if (UNAVAILABLE != null) {
            throw new LibpcapUnavailableException(UNAVAILABLE);
        }
    }

    /** {@code pcap_t *pcap_open_offline_with_tstamp_precision(const char *fname, u_int precision, char *errbuf)}; 0 on failure. */
    static native long pcap_open_offline_with_tstamp_precision(String fname, int precision, byte[] errbuf);

    /** {@code int pcap_next_ex(pcap_t *p, struct pcap_pkthdr **pkt_header, const u_char **pkt_data)}. */
    static native int pcap_next_ex(long pcap, long pktHeaderOut, long pktDataOut);

    /** {@code int pcap_datalink(pcap_t *p)}: a DLT_ value. */
    static native int pcap_datalink(long pcap);

    /** {@code char *pcap_geterr(pcap_t *p)}: only on the error path (returns an object). */
    static native Pointer pcap_geterr(long pcap);

    /** {@code void pcap_close(pcap_t *p)}. */
    static native void pcap_close(long pcap);

    /** {@code const char *pcap_lib_version(void)}. */
    static native String pcap_lib_version();

    /** libpcap's last error text for {@code pcap}. */
    static String lastError(final long pcap) {
        Pointer text = pcap_geterr(pcap);
        return text == null ? "unknown error" : text.getString(0);
    }
}
