package io.mraflow.capture;

import static io.mraflow.capture.CaptureFileFormat.PCAPNG_SHB_TYPE;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one way to open a capture file. libpcap reads a regular file; when libpcap stops on
 * something a well-formed pcapng file may hold and libpcap 1.10 refuses (interfaces that differ
 * in link type or snap length, a section of the other byte order, a Simple Packet Block cut short
 * by a snap length the file does not give), the Java reader ({@link PcapngFileSource}) goes on
 * from there ({@link #resume}). Anything else, a FIFO, a character device, is a stream, read once
 * by {@link CaptureStreams}.
 *
 * <p>Thread safety: stateless; any thread. Each source it returns is read by one thread.
 */
public final class CaptureFiles {
    private CaptureFiles() {
    }

    /**
     * Opens a pcap or pcapng file (told apart by content, never by name), or the stream a path
     * that is not a regular file gives.
     *
     * @throws CaptureOpenException when the file is missing, unreadable, empty, not a capture file
     *                              or damaged in its header; the message names file, offset and reason
     * @throws LibpcapUnavailableException when libpcap is not installed (the message says what to install)
     */
    public static PacketSource open(final Path path) throws CaptureOpenException {
        final String name = path.toString();
        if (!Files.exists(path)) {
            throw new CaptureOpenException(name, 0, "no such file");
        }
        if (Files.isDirectory(path)) {
            throw new CaptureOpenException(name, 0, "not a regular file");
        }
        if (!Files.isReadable(path)) {
            throw new CaptureOpenException(name, 0, "not readable (permission denied)");
        }
        if (!Files.isRegularFile(path)) {
            return CaptureStreams.open(path);
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
            if (magic == PCAPNG_SHB_TYPE && !DamageLocator.locate(path, 0).damaged()) {
                return new PcapngFileSource(path); // sound up to its first packet: libpcap refuses what Java reads
            }
            throw e;
        }
        return magic == PCAPNG_SHB_TYPE ? new ResumingSource(source, path) : source;
    }

    /**
     * What follows in a file where libpcap stopped with {@code libpcapText} after delivering
     * {@code delivered} packets (through {@code pcap_next_ex} or the native batch reader): for
     * pcapng, the Java reader from the next packet on, past what libpcap refuses in a well-formed
     * file, to the end or to the damage (located, in libpcap's words too when libpcap stopped at
     * the same block); for classic pcap, where nothing sound is refused, the damage, located.
     * Never throws: a file that cannot be opened again is damage too.
     */
    public static PacketSource resume(final Path path, final long delivered, final String libpcapText) {
        try {
            if (CaptureFileFormat.firstWord(path) == PCAPNG_SHB_TYPE) {
                final PcapngFileSource java = new PcapngFileSource(path);
                java.skip(delivered);
                return new AfterLibpcap(java, delivered, libpcapText);
            }
        } catch (IOException e) {
            // CaptureOpenException among them: the walk below says where
        }
        return new Stopped(DamageLocator.whereLibpcapStopped(path, delivered, libpcapText));
    }

    /** One line for {@code --version}: libpcap's version string, e.g. "libpcap version 1.10.3 (with TPACKET_V3)". */
    public static String describe() {
        Libpcap.requireLoaded();
        return Libpcap.pcap_lib_version();
    }

    /**
     * A pcapng file read by libpcap until libpcap stops on an error, then by {@link #resume}.
     * Single-threaded like the sources it wraps.
     */
    private static final class ResumingSource implements PacketSource {
        private final LibpcapFileSource libpcap;
        private final Path path;
        private PacketSource current;

        ResumingSource(final LibpcapFileSource libpcap, final Path path) {
            this.libpcap = libpcap;
            this.path = path;
            this.current = libpcap;
        }

        @Override
        public boolean next(final CapturedPacket out) {
            if (current.next(out)) {
                return true;
            }
            if (current == libpcap && libpcap.libpcapError() != null) {
                libpcap.close();
                current = resume(path, libpcap.packetsRead(), libpcap.libpcapError());
                return current.next(out);
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

    /**
     * The Java pcapng reader after libpcap: its damage, when it stops where libpcap stopped, also
     * in libpcap's words.
     */
    private static final class AfterLibpcap implements PacketSource {
        private final PcapngFileSource java;
        private final long delivered;
        private final String libpcapText;
        private CaptureDamage damage;

        AfterLibpcap(final PcapngFileSource java, final long delivered, final String libpcapText) {
            this.java = java;
            this.delivered = delivered;
            this.libpcapText = libpcapText;
        }

        @Override
        public boolean next(final CapturedPacket out) {
            return java.next(out);
        }

        @Override
        public CaptureDamage damage() {
            final CaptureDamage own = java.damage();
            if (damage == null && own != null) {
                damage = own.packetsRead() != delivered ? own
                        : new CaptureDamage(own.source(), own.byteOffset(), own.packetsRead(), own.reason() + " (libpcap: " + libpcapText + ")");
            }
            return damage;
        }

        @Override
        public String name() {
            return java.name();
        }

        @Override
        public void close() {
            java.close();
        }
    }

    /** A file that delivers no more packets: reading stopped at {@code damage}. */
    private record Stopped(CaptureDamage damage) implements PacketSource {
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
