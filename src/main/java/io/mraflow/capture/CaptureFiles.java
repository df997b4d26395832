package io.mraflow.capture;

import static io.mraflow.capture.CaptureFileFormat.PCAPNG_SHB_TYPE;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one way to open a capture file. libpcap reads it; a pcapng file that libpcap 1.10 refuses
 * because its interfaces differ in link type or snap length is read by {@link PcapngFileSource}
 * instead, from where libpcap stopped.
 *
 * <p>Thread safety: stateless; any thread. Each source it returns is read by one thread.
 */
public final class CaptureFiles {
    private CaptureFiles() {
    }

    /**
     * Opens a pcap or pcapng file (told apart by content, never by name).
     *
     * @throws CaptureOpenException when the file is missing, unreadable, empty, not a capture file
     *                              or damaged in its header; the message names file, offset and reason
     * @throws LibpcapUnavailableException when libpcap is not installed (the message says what to install)
     */
    public static PacketSource open(Path path) throws CaptureOpenException {
        final String name = path.toString();
        if (!Files.exists(path)) {
            throw new CaptureOpenException(name, 0, "no such file");
        }
        if (!Files.isRegularFile(path)) {
            throw new CaptureOpenException(name, 0, "not a regular file");
        }
        if (!Files.isReadable(path)) {
            throw new CaptureOpenException(name, 0, "not readable (permission denied)");
        }
        final int magic;
        try {
            if (Files.size(path) == 0) {
                throw new CaptureOpenException(name, 0, "empty file");
            }
            magic = CaptureFileFormat.firstWord(path);
        } catch (CaptureOpenException e) {
            throw e;
        } catch (IOException e) {
            throw new CaptureOpenException(name, 0, "cannot read the file: " + e.getMessage());
        }
        final LibpcapFileSource source;
        try {
            source = LibpcapFileSource.open(path);
        } catch (CaptureOpenException e) {
            if (LibpcapFileSource.isInterfaceRefusal(e.reason())) {
                return new PcapngFileSource(path);
            }
            throw e;
        }
        return magic == PCAPNG_SHB_TYPE ? new RefusalFallbackSource(source, path) : source;
    }

    /** One line for {@code --version}: libpcap's version string, e.g. "libpcap version 1.10.3 (with TPACKET_V3)". */
    public static String describe() {
        Libpcap.requireLoaded();
        return Libpcap.pcap_lib_version();
    }

    /**
     * A pcapng file read by libpcap until libpcap refuses an interface that differs from the first;
     * then by {@link PcapngFileSource}, which skips the packets libpcap already delivered.
     * Single-threaded like the sources it wraps.
     */
    private static final class RefusalFallbackSource implements PacketSource {
        private final LibpcapFileSource libpcap;
        private final Path path;
        private PacketSource current;

        RefusalFallbackSource(LibpcapFileSource libpcap, Path path) {
            this.libpcap = libpcap;
            this.path = path;
            this.current = libpcap;
        }

        @Override
        public boolean next(CapturedPacket out) {
            if (current.next(out)) {
                return true;
            }
            if (current == libpcap && LibpcapFileSource.isInterfaceRefusal(libpcap.libpcapError())) {
                final long delivered = libpcap.packetsRead();
                libpcap.close();
                try {
                    final PcapngFileSource java = new PcapngFileSource(path);
                    current = java;
                    return java.skip(delivered) && java.next(out);
                } catch (CaptureOpenException e) {
                    return false; // libpcap's damage (the refusal) stays the answer
                }
            }
            return false;
        }

        @Override
        public CaptureDamage damage() {
            return current.damage();
        }

        @Override
        public String name() {
            return current.name();
        }

        @Override
        public void close() {
            current.close();
            libpcap.close();
        }
    }
}
