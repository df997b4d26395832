package io.mraflow.capture;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Path;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A pcap or pcapng file read by libpcap's {@code pcap_next_ex}, called through JNA direct mapping
 * with nothing allocated per packet: the two out-pointers live in one 16-byte native block made
 * at open, the record header is read in place, and {@link CapturedPacket#bytes} is wrapped on
 * libpcap's own buffer. Not thread-safe: one thread reads it (the {@link PacketSource} contract).
 *
 * <p>The file is opened with nanosecond precision, so libpcap converts every timestamp (classic
 * pcap in microseconds or nanoseconds, pcapng with any {@code if_tsresol}) to nanoseconds.
 *
 * <p>When libpcap reports an error, {@link DamageLocator} walks the file to find the byte offset
 * where it stopped, and {@link #damage()} combines both: libpcap's message has no offset. The walk
 * is made when the damage is asked for, so that a reader that goes on in Java after libpcap
 * ({@link CaptureFiles#resume}) does not pay for it.
 *
 * <pre>
 * struct pcap_pkthdr on 64-bit Linux, 24 bytes, native byte order:
 *    0 +--------------------------------+
 *      | ts.tv_sec (long)               |
 *    8 +--------------------------------+
 *      | ts.tv_usec (long): nanoseconds |   (the file was opened with nanosecond precision)
 *   16 +----------------+---------------+
 *      | caplen (u32)   | len (u32)     |
 *   24 +----------------+---------------+
 * </pre>
 *
 * <p>libpcap 1.10 reads a classic pcap record's seconds as a signed 32-bit number and
 * sign-extends it, so a time after 2038-01-19 comes out before 1970; the format defines the field
 * as unsigned (as tshark reads it), so for classic pcap the seconds are taken as unsigned 32-bit.
 */
public final class LibpcapFileSource implements PacketSource {
    private static final int PKTHDR_SEC_OFFSET = 0;
    private static final int PKTHDR_FRACTION_OFFSET = 8;
    private static final int PKTHDR_CAPLEN_OFFSET = 16;
    private static final int PKTHDR_LEN_OFFSET = 20;
    private static final int PKTHDR_LENGTH = 24;
    /** DLT_RAW on Linux; libpcap maps the file's LINKTYPE_RAW (101) to it. */
    private static final int DLT_RAW_LINUX = 12;

    private final Path path;
    private final String name;
    private final int linkType;
    /** Keeps the seconds of a classic pcap record unsigned 32-bit; all bits for pcapng. */
    private final long secondsMask;
    private long pcap;
    /** Where pcap_next_ex writes its two pointers: header at 0, data at 8. Kept referenced: freed with it. */
    private final Memory outPointers = new Memory(16);
    private final UnsafeBuffer outView;
    private final UnsafeBuffer header = new UnsafeBuffer(0L, 0);
    private long packetsRead;
    private CaptureDamage damage;
    private String libpcapError;

    private LibpcapFileSource(final Path path, final long pcap, final boolean pcapng) {
        this.path = path;
        this.secondsMask = pcapng ? -1L : 0xFFFFFFFFL;
        this.name = path.toString();
        this.pcap = pcap;
        final int dlt = Libpcap.pcap_datalink(pcap);
        this.linkType = dlt == DLT_RAW_LINUX ? LinkType.RAW : dlt;
        this.outView = new UnsafeBuffer(Pointer.nativeValue(outPointers), 16);
    }

    /**
     * Opens {@code path} with libpcap.
     *
     * @throws CaptureOpenException when libpcap cannot open it; the reason combines where the file
     *                              is damaged (as {@link DamageLocator} finds it) and libpcap's text
     * @throws LibpcapUnavailableException when libpcap is not installed
     */
    public static LibpcapFileSource open(final Path path) throws CaptureOpenException {
        Libpcap.requireLoaded();
        final byte[] errbuf = new byte[Libpcap.ERRBUF_SIZE];
        final long pcap = Libpcap.pcap_open_offline_with_tstamp_precision(path.toString(), Libpcap.TSTAMP_PRECISION_NANO, errbuf);
        if (pcap == 0) {
            final String libpcapText = Native.toString(errbuf);
            final DamageLocator.Finding finding = DamageLocator.locate(path, 0);
            throw new CaptureOpenException(path.toString(), finding.offset(), finding.reason() + " (libpcap: " + libpcapText + ")");
        }
        boolean pcapng;
        try {
            pcapng = CaptureFileFormat.firstWord(path) == CaptureFileFormat.PCAPNG_SHB_TYPE;
        } catch (IOException e) {
            Libpcap.pcap_close(pcap);
            throw new CaptureOpenException(path.toString(), 0, "cannot read the file: " + e.getMessage());
        }
        return new LibpcapFileSource(path, pcap, pcapng);
    }

    @Override
    public boolean next(final CapturedPacket out) {
        if (pcap == 0 || libpcapError != null) {
            return false;
        }
        final int result = Libpcap.pcap_next_ex(pcap, outView.addressOffset(), outView.addressOffset() + 8);
        if (result == Libpcap.NEXT_OK) {
            header.wrap(outView.getLong(0), PKTHDR_LENGTH);
            final int capLen = header.getInt(PKTHDR_CAPLEN_OFFSET);
            out.tsNanos = (header.getLong(PKTHDR_SEC_OFFSET) & secondsMask) * 1_000_000_000L + header.getLong(PKTHDR_FRACTION_OFFSET);
            out.capLen = capLen;
            out.wireLen = header.getInt(PKTHDR_LEN_OFFSET);
            out.linkType = linkType;
            out.bytes.wrap(outView.getLong(8), capLen);
            packetsRead++;
            return true;
        }
        if (result == Libpcap.NEXT_END_OF_FILE) {
            return false;
        }
        libpcapError = result == Libpcap.NEXT_ERROR ? Libpcap.lastError(pcap) : "pcap_next_ex returned " + result;
        return false;
    }

    /** libpcap's own text for the error that stopped reading, or null. */
    String libpcapError() {
        return libpcapError;
    }

    /** Packets delivered so far. */
    long packetsRead() {
        return packetsRead;
    }

    /** The file's link type (a {@link LinkType} value). */
    public int linkType() {
        return linkType;
    }

    @Override
    public CaptureDamage damage() {
        if (damage == null && libpcapError != null) {
            damage = DamageLocator.whereLibpcapStopped(path, packetsRead, libpcapError);
        }
        return damage;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void close() {
        if (pcap != 0) {
            Libpcap.pcap_close(pcap);
            pcap = 0;
        }
    }
}
