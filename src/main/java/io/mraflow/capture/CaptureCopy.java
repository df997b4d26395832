package io.mraflow.capture;

import static io.mraflow.capture.CaptureFileFormat.PCAPNG_SHB_TYPE;
import static io.mraflow.capture.CaptureFileFormat.PCAP_FILE_HEADER_LENGTH;
import static io.mraflow.capture.CaptureFileFormat.PCAP_LINKTYPE_OFFSET;
import static io.mraflow.capture.CaptureFileFormat.PCAP_SNAPLEN_OFFSET;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A copy of capture files that keeps only the packets a {@link Selection} keeps, in one file of
 * the inputs' format ({@code analyze --write-pcap}): a second reading of the inputs, after the
 * analysis, by the Java readers ({@link PcapReader}, {@link PcapngReader}). A damaged input is
 * copied up to its damage, as it was analysed.
 *
 * <p>All inputs pcap: a pcap file, which needs one link type; the first input's byte order,
 * nanosecond timestamps when any input has them, the largest snap length. Otherwise pcapng: each
 * pcapng input's sections with their interfaces, copied block for block ({@link PcapngFileWriter});
 * a pcap input among them becomes a section of one interface.
 *
 * <p>Thread safety: stateless; any thread. A copy runs on the calling thread.
 */
public final class CaptureCopy {
    /** Which packets go into the copy. Called once per packet read, in input order, on the copying thread. */
    public interface Selection {
        boolean keep(CapturedPacket packet);
    }

    /** Why the inputs cannot be copied into one file; the message says which input and why. */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        Refused(final String message) {
            super(message);
        }
    }

    /** The output's format: pcap, or pcapng. */
    public enum Format { PCAP, PCAPNG }

    /** A pcap input's file header, as far as the copy needs it. */
    private record PcapHeader(ByteOrder order, boolean nanosecond, int snapLength, int linkTypeField) {
        int linkType() {
            return linkTypeField & CaptureFileFormat.PCAP_LINKTYPE_MASK;
        }
    }

    /**
     * What a copy of {@code inputs} will be, decided before any packet is read.
     *
     * @param inputs the inputs that are captures, in order (the others the analysis reports; the copy leaves them out)
     * @param format pcap or pcapng
     * @param output the file to write
     */
    public record Plan(List<Path> inputs, Format format, Path output) {
    }

    private CaptureCopy() {
    }

    /**
     * The plan for copying {@code inputs}, or why they cannot be copied: an input read once
     * (standard input {@code -}, a FIFO, anything but a regular file) cannot be read a second time,
     * a pcap file needs one link type, and the output must not be an input.
     */
    public static Plan plan(final List<Path> inputs, final Path output) throws Refused {
        final List<Path> captures = new ArrayList<>();
        boolean allPcap = true;
        PcapHeader first = null;
        Path firstPath = null;
        for (Path p : inputs) {
            if (p.toString().equals("-")) {
                throw new Refused("standard input is read once and cannot be read again for the packets to write;"
                        + " save it to a file and analyse the file");
            }
            if (isSameFile(p, output)) {
                throw new Refused(output + " is an input: it would be overwritten while it is read");
            }
            if (Files.exists(p) && !Files.isRegularFile(p)) {
                throw new Refused(p + " is not a regular file (a FIFO or device is read once and cannot be read again"
                        + " for the packets to write); save it to a file and analyse the file");
            }
            final int magic;
            try {
                magic = CaptureFileFormat.firstWord(p);
            } catch (IOException e) {
                continue; // unreadable: the analysis says so
            }
            if (magic == PCAPNG_SHB_TYPE) {
                allPcap = false;
                captures.add(p);
            } else if (PcapReader.recordHeaderLength(magic) != 0) {
                final PcapHeader h = pcapHeader(p);
                if (h == null) {
                    continue;
                }
                if (first == null) {
                    first = h;
                    firstPath = p;
                } else if (h.linkType() != first.linkType()) {
                    throw new Refused(firstPath + " has link type " + first.linkType() + " and " + p + " link type "
                            + h.linkType() + ": one pcap file holds one link type (give pcapng inputs, or write one file per input)");
                }
                captures.add(p);
            }
        }
        return new Plan(List.copyOf(captures), allPcap ? Format.PCAP : Format.PCAPNG, output);
    }

    private static boolean isSameFile(final Path input, final Path output) {
        try {
            return Files.exists(output) && Files.exists(input) && Files.isSameFile(input, output);
        } catch (IOException e) {
            return false; // cannot tell: the write says if it fails
        }
    }

    /**
     * Writes the packets of {@code plan}'s inputs that {@code selection} keeps to its output.
     *
     * @return the packets written
     * @throws IOException when the output cannot be written
     */
    public static long write(final Plan plan, final Selection selection) throws IOException {
        final CapturedPacket packet = new CapturedPacket();
        byte[] scratch = new byte[1 << 16];
        long written = 0;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(plan.output()), 1 << 16)) {
            PcapFileWriter pcap = null;
            final PcapngFileWriter pcapng = plan.format() == Format.PCAPNG ? new PcapngFileWriter(out) : null;
            for (Path input : plan.inputs()) {
                final PacketSource source = open(input, pcapng);
                if (source == null) {
                    continue; // gone or damaged since it was analysed: the analysis said what it could read
                }
                try (source) {
                    if (source instanceof PcapReader) {
                        final PcapHeader h = pcapHeader(input);
                        if (pcapng != null) {
                            pcapng.pcapSection(linkTypeOf(h), h.snapLength());
                        } else if (pcap == null) {
                            pcap = new PcapFileWriter(out, h.order(), anyNanosecond(plan), maxSnapLength(plan), h.linkTypeField());
                        }
                    }
                    while (source.next(packet)) {
                        if (!selection.keep(packet)) {
                            continue;
                        }
                        if (source instanceof PcapngReader ng) {
                            pcapng.copyBlock(ng.view(), ng.lastBlockIndex(), ng.lastBlockLength());
                        } else if (pcapng != null) {
                            pcapng.pcapPacket(packet);
                        } else {
                            if (scratch.length < packet.capLen) {
                                scratch = new byte[packet.capLen];
                            }
                            pcap.write(packet, scratch);
                        }
                        written++;
                    }
                }
            }
            if (plan.format() == Format.PCAP && pcap == null && !plan.inputs().isEmpty()) {
                final PcapHeader h = pcapHeader(plan.inputs().get(0));
                if (h != null) {
                    new PcapFileWriter(out, h.order(), h.nanosecond(), h.snapLength(), h.linkTypeField()); // no packet: the header alone
                }
            }
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        return written;
    }

    /** The Java reader of {@code input}, a pcapng one copying its sections and interfaces to {@code pcapng}; null when it cannot be opened. */
    private static PacketSource open(final Path input, final PcapngFileWriter pcapng) {
        final MappedFileWindow window;
        try {
            window = new MappedFileWindow(FileChannel.open(input, StandardOpenOption.READ), PcapngFileSource.DEFAULT_WINDOW_BYTES);
        } catch (IOException e) {
            return null;
        }
        try {
            if (window.load(0, 4) == 4 && window.view().getInt(window.index(0), ByteOrder.BIG_ENDIAN) == PCAPNG_SHB_TYPE) {
                final PcapngReader reader = new PcapngReader(input.toString(), window);
                reader.listen(new PcapngReader.StructureListener() {
                    @Override
                    public void section(final UnsafeBuffer view, final int at, final int length, final ByteOrder order) {
                        uncheck(() -> pcapng.copySection(view, at, length, order));
                    }

                    @Override
                    public void interfaceDescription(final UnsafeBuffer view, final int at, final int length) {
                        uncheck(() -> pcapng.copyBlock(view, at, length));
                    }
                });
                return reader;
            }
            return PcapReader.open(input.toString(), window);
        } catch (IOException e) { // CaptureOpenException among them
            window.close();
            return null;
        }
    }

    private interface Write {
        void run() throws IOException;
    }

    /** A write from inside the reader's callback, whose signature has no IOException, surfaced as one by {@link #write}. */
    private static void uncheck(final Write w) {
        try {
            w.run();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static PcapHeader pcapHeader(final Path p) {
        final ByteBuffer b = ByteBuffer.allocate(PCAP_FILE_HEADER_LENGTH);
        try (FileChannel c = FileChannel.open(p, StandardOpenOption.READ)) {
            while (b.hasRemaining() && c.read(b) > 0) {
                // a header is read whole, or it is not a header
            }
        } catch (IOException e) {
            return null;
        }
        if (b.hasRemaining()) {
            return null;
        }
        final int magic = b.getInt(0);
        final ByteOrder order = (magic >>> 16) == 0xA1B2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        b.order(order);
        final int nativeMagic = b.getInt(0);
        return new PcapHeader(order, nativeMagic == CaptureFileFormat.PCAP_MAGIC_NANO, b.getInt(PCAP_SNAPLEN_OFFSET),
                b.getInt(PCAP_LINKTYPE_OFFSET));
    }

    /** The link type as pcapng names it: Linux's DLT_RAW (12) in a pcap header is LINKTYPE_RAW. */
    private static int linkTypeOf(final PcapHeader h) {
        return h.linkType() == 12 ? LinkType.RAW : h.linkType();
    }

    private static boolean anyNanosecond(final Plan plan) {
        return plan.inputs().stream().map(CaptureCopy::pcapHeader).anyMatch(h -> h != null && h.nanosecond());
    }

    private static int maxSnapLength(final Plan plan) {
        return plan.inputs().stream().map(CaptureCopy::pcapHeader).mapToInt(h -> h == null ? 0 : h.snapLength()).max().orElse(0);
    }
}
