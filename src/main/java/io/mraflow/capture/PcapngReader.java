package io.mraflow.capture;

import static io.mraflow.capture.CaptureFileFormat.*;

import java.nio.ByteOrder;
import java.util.Arrays;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * pcapng read in Java, block by block, from a {@link CaptureWindow}: a mapped file
 * ({@link PcapngFileSource}) or a stream read once ({@link CaptureStreams}). Not thread-safe: one
 * thread reads it (the {@link PacketSource} contract).
 *
 * <p>It reads what libpcap 1.10 refuses in well-formed files: interfaces that differ in link type
 * or snap length (tools that merge captures write them routinely), sections of either byte order
 * one after the other, and Simple Packet Blocks whose data the snap length does not explain. Each
 * packet carries the link type of its own interface. It reads the Enhanced, Simple and obsolete
 * Packet Blocks, and each interface's {@code if_tsresol} (power of 10 or of 2) and
 * {@code if_tsoffset}; it skips every other block type. Timestamps are nanoseconds since the epoch.
 *
 * <p>Per packet it allocates nothing: {@link CapturedPacket#bytes} is wrapped on the window's memory.
 *
 * <p>Damage is checked as libpcap checks it (block length at least 12, a multiple of 4, at most
 * 16 MiB, inside the input, equal at both ends; minimum lengths per block type; captured data
 * inside its block and within the link type's maximum; packets only on described interfaces):
 * reading stops, {@link #damage()} gives the offset of the damaged block.
 */
final class PcapngReader extends WindowReader {

    private ByteOrder order = ByteOrder.LITTLE_ENDIAN;
    private StructureListener listener;

    // Interfaces of the current section, indexed by interface id; they grow on IDBs, never per packet.
    private int interfaceCount;
    private int[] linkTypes = new int[4];
    private int[] snapLengths = new int[4];
    /** Timestamp units per second, for a power of 10; 0 when {@link #unitShifts} applies. */
    private long[] unitsPerSecond = new long[4];
    /** Timestamp resolution 2^-n as n; used when unitsPerSecond is 0. */
    private int[] unitShifts = new int[4];
    private long[] offsetSeconds = new long[4];

    /** Reads the blocks of {@code window} from its first byte; takes the window over ({@link #close()} closes it). */
    PcapngReader(final String name, final CaptureWindow window) {
        super(name, window, 0);
    }

    @Override
    public boolean next(final CapturedPacket out) {
        return readBlocks(out, false);
    }

    /**
     * Reads the blocks up to the first Interface Description Block, as libpcap does to open a
     * file: damage there is a refusal to open a stream, as it is for a file.
     *
     * @return the damage, or null
     */
    CaptureDamage readHeader() {
        readBlocks(new CapturedPacket(), true);
        return damage;
    }

    /** Reads blocks up to the next packet (then true), the end, damage, or the first interface when {@code untilInterface}. */
    private boolean readBlocks(final CapturedPacket out, final boolean untilInterface) {
        while (damage == null) {
            final long block = position;
            final int head = load(block, BLOCK_BODY_OFFSET);
            if (head <= 0) {
                return false; // the end, between blocks, or a read error (damage set)
            }
            if (head < BLOCK_BODY_OFFSET) {
                return damaged(block, "block header cut short: " + head + " of 8 bytes before the end of the " + window.kind());
            }
            final int type = view.getInt(window.index(block), order);
            if (type == PCAPNG_SHB_TYPE && !readByteOrder(block)) {
                return false;
            }
            final long length = view.getInt(window.index(block) + BLOCK_LENGTH_OFFSET, order) & 0xFFFFFFFFL;
            if (!checkLength(block, length)) {
                return false;
            }
            final int held = load(block, (int) length);
            if (held < length) {
                return held >= 0 && damaged(block, "block length " + length + " runs past the end of the " + window.kind()
                        + " (" + held + " bytes left)");
            }
            final int at = window.index(block);
            final long trailing = view.getInt(at + (int) length - 4, order) & 0xFFFFFFFFL;
            if (trailing != length) {
                return damaged(block, "trailing block length " + trailing + " differs from the leading " + length);
            }
            position = block + length;
            switch (type) {
                case PCAPNG_SHB_TYPE:
                    if (!readSectionHeader(block, at, (int) length)) {
                        return false;
                    }
                    if (listener != null) {
                        listener.section(view, at, (int) length, order);
                    }
                    break;
                case PCAPNG_IDB_TYPE:
                    if (!readInterface(block, at, (int) length)) {
                        return false;
                    }
                    if (listener != null) {
                        listener.interfaceDescription(view, at, (int) length);
                    }
                    if (untilInterface) {
                        return false;
                    }
                    break;
                case PCAPNG_EPB_TYPE:
                case PCAPNG_PB_TYPE:
                    return readPacket(out, block, at, (int) length, type == PCAPNG_EPB_TYPE);
                case PCAPNG_SPB_TYPE:
                    return readSimplePacket(out, block, at, (int) length);
                default:
                    break; // name resolution, statistics, decryption secrets, custom: not packets
            }
        }
        return false;
    }

    /** Reads and skips {@code count} packets (after a switch from libpcap, which delivered them). */
    boolean skip(final long count) {
        final CapturedPacket scratch = new CapturedPacket();
        for (long i = 0; i < count; i++) {
            if (!next(scratch)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Sees the Section Header and Interface Description Blocks as they are read, so that a copy
     * of the capture ({@link CaptureCopy}) keeps its sections and interfaces. Called on the
     * reading thread; the bytes are valid only during the call.
     */
    interface StructureListener {
        /** A section starts: its header block, {@code length} bytes at {@code at} in {@code view}, in byte order {@code order}. */
        void section(UnsafeBuffer view, int at, int length, ByteOrder order);

        /** An interface of the current section is described: its block, {@code length} bytes at {@code at}. */
        void interfaceDescription(UnsafeBuffer view, int at, int length);
    }

    /** Tells {@code listener} of every section and interface from now on (null: no one). */
    void listen(final StructureListener listener) {
        this.listener = listener;
    }

    /**
     * The block the last packet came from: its index in {@link #view()}, valid until the next
     * read. Found from the trailing length just before {@link #position()}, so reading keeps no
     * state for it.
     */
    int lastBlockIndex() {
        return window.index(position - lastBlockLength());
    }

    /** The length of the block the last packet came from. */
    int lastBlockLength() {
        return view.getInt(window.index(position - 4), order);
    }

    /** The buffer blocks are read through. */
    UnsafeBuffer view() {
        return view;
    }

    private boolean readByteOrder(final long block) {
        final int held = load(block, BLOCK_OVERHEAD);
        if (held < BLOCK_OVERHEAD) {
            return held >= 0 && damaged(block, "section header cut short: " + held + " bytes before the end of the " + window.kind());
        }
        final int magic = view.getInt(window.index(block) + SHB_MAGIC_OFFSET, ByteOrder.LITTLE_ENDIAN);
        if (magic == PCAPNG_BYTE_ORDER_MAGIC) {
            order = ByteOrder.LITTLE_ENDIAN;
        } else if (magic == Integer.reverseBytes(PCAPNG_BYTE_ORDER_MAGIC)) {
            order = ByteOrder.BIG_ENDIAN;
        } else {
            return damaged(block, String.format("section header byte-order magic 0x%08x is neither 0x1a2b3c4d nor 0x4d3c2b1a",
                    Integer.reverseBytes(magic)));
        }
        return true;
    }

    /** The checks that need only the length; whether the block fits in the input is {@link #load}'s answer. */
    private boolean checkLength(final long block, final long length) {
        if (length < BLOCK_OVERHEAD) {
            return damaged(block, "block length " + length + " is less than the minimum " + BLOCK_OVERHEAD);
        }
        if (length % 4 != 0) {
            return damaged(block, "block length " + length + " is not a multiple of 4");
        }
        if (length > PCAPNG_MAX_BLOCK_LENGTH) {
            return damaged(block, "block length " + length + " exceeds the maximum " + PCAPNG_MAX_BLOCK_LENGTH);
        }
        return true;
    }

    private boolean readSectionHeader(final long block, final int at, final int length) {
        if (length < SHB_MIN_LENGTH) {
            return damaged(block, "section header block length " + length + " is less than the minimum " + SHB_MIN_LENGTH);
        }
        final int major = view.getShort(at + SHB_VERSION_MAJOR_OFFSET, order) & 0xFFFF;
        if (major != 1) {
            return damaged(block, "unsupported pcapng version " + major);
        }
        interfaceCount = 0;
        return true;
    }

    private boolean readInterface(final long block, final int at, final int length) {
        if (length < IDB_MIN_LENGTH) {
            return damaged(block, "interface description block length " + length + " is less than the minimum " + IDB_MIN_LENGTH);
        }
        final int id = interfaceCount;
        if (id == linkTypes.length) {
            final int grown = id * 2;
            linkTypes = Arrays.copyOf(linkTypes, grown);
            snapLengths = Arrays.copyOf(snapLengths, grown);
            unitsPerSecond = Arrays.copyOf(unitsPerSecond, grown);
            unitShifts = Arrays.copyOf(unitShifts, grown);
            offsetSeconds = Arrays.copyOf(offsetSeconds, grown);
        }
        linkTypes[id] = view.getShort(at + IDB_LINKTYPE_OFFSET, order) & 0xFFFF;
        snapLengths[id] = view.getInt(at + IDB_SNAPLEN_OFFSET, order);
        unitsPerSecond[id] = 1_000_000L;
        unitShifts[id] = 0;
        offsetSeconds[id] = 0;
        final int end = at + length - 4;
        int option = at + IDB_OPTIONS_OFFSET;
        while (option + 4 <= end) {
            final int code = view.getShort(option, order) & 0xFFFF;
            final int valueLength = view.getShort(option + 2, order) & 0xFFFF;
            if (code == OPT_END) {
                break;
            }
            final int value = option + 4;
            if (value + valueLength > end) {
                return damaged(block, "interface option " + code + " of length " + valueLength + " runs past the end of its block");
            }
            if (code == OPT_IF_TSRESOL && valueLength >= 1) {
                final int resolution = view.getByte(value) & 0xFF;
                final int exponent = resolution & 0x7F;
                if ((resolution & 0x80) != 0) {
                    if (exponent > 63) {
                        return damaged(block, "timestamp resolution 2^-" + exponent + " is too fine");
                    }
                    unitsPerSecond[id] = 0;
                    unitShifts[id] = exponent;
                } else {
                    if (exponent > 18) {
                        return damaged(block, "timestamp resolution 10^-" + exponent + " is too fine");
                    }
                    unitsPerSecond[id] = POWERS_OF_TEN[exponent];
                }
            } else if (code == OPT_IF_TSOFFSET && valueLength >= 8) {
                offsetSeconds[id] = view.getLong(value, order);
            }
            option = value + ((valueLength + 3) & ~3);
        }
        interfaceCount = id + 1;
        return true;
    }

    private boolean readPacket(final CapturedPacket out, final long block, final int at, final int length, final boolean enhanced) {
        if (length < EPB_MIN_LENGTH) {
            return damaged(block, (enhanced ? "enhanced packet block" : "packet block") + " length " + length + " is less than the minimum " + EPB_MIN_LENGTH);
        }
        final int id = enhanced ? view.getInt(at + EPB_INTERFACE_OFFSET, order) : view.getShort(at + PB_INTERFACE_OFFSET, order) & 0xFFFF;
        if (id < 0 || id >= interfaceCount) {
            return damaged(block, "packet on interface " + (id & 0xFFFFFFFFL) + " but the section describes " + interfaceCount + " interfaces");
        }
        final long capLen = view.getInt(at + EPB_CAPLEN_OFFSET, order) & 0xFFFFFFFFL;
        if (capLen > length - EPB_MIN_LENGTH) {
            return damaged(block, "captured length " + capLen + " does not fit in a block of length " + length);
        }
        final int linkType = linkTypes[id];
        if (capLen > maxCaptureLength(linkType)) {
            return damaged(block, "captured length " + capLen + " exceeds the maximum " + maxCaptureLength(linkType));
        }
        final long units = (long) view.getInt(at + EPB_TS_HIGH_OFFSET, order) << 32
                | (view.getInt(at + EPB_TS_LOW_OFFSET, order) & 0xFFFFFFFFL);
        out.tsNanos = nanos(units, id);
        out.capLen = (int) capLen;
        out.wireLen = view.getInt(at + EPB_LEN_OFFSET, order);
        out.linkType = linkType;
        out.bytes.wrap(view.addressOffset() + at + EPB_DATA_OFFSET, (int) capLen);
        packetsRead++;
        return true;
    }

    private boolean readSimplePacket(final CapturedPacket out, final long block, final int at, final int length) {
        if (length < SPB_MIN_LENGTH) {
            return damaged(block, "simple packet block length " + length + " is less than the minimum " + SPB_MIN_LENGTH);
        }
        if (interfaceCount == 0) {
            return damaged(block, "simple packet block before any interface description block");
        }
        // Captured: the original length, cut to interface 0's snap length (the draft's rule), and
        // never past the block's data. A writer that cut packets without saying so in the snap
        // length leaves less data than the rule asks for: libpcap and tshark stop at such a block,
        // but its framing is sound, and its data is what was captured.
        final long wireLen = view.getInt(at + SPB_LEN_OFFSET, order) & 0xFFFFFFFFL;
        long capLen = Math.min(wireLen, length - SPB_MIN_LENGTH);
        if (snapLengths[0] > 0) {
            capLen = Math.min(capLen, snapLengths[0]);
        }
        out.tsNanos = 0; // the block has no timestamp; libpcap gives 0 as well
        out.capLen = (int) capLen;
        out.wireLen = (int) wireLen;
        out.linkType = linkTypes[0];
        out.bytes.wrap(view.addressOffset() + at + SPB_DATA_OFFSET, (int) capLen);
        packetsRead++;
        return true;
    }

    private static final long[] POWERS_OF_TEN = {
        1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L, 1_000_000_000L,
        10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L, 10_000_000_000_000L, 100_000_000_000_000L,
        1_000_000_000_000_000L, 10_000_000_000_000_000L, 100_000_000_000_000_000L, 1_000_000_000_000_000_000L,
    };

    /** Timestamp units (unsigned) of interface {@code id} to nanoseconds since the epoch, exactly. */
    private long nanos(final long units, final int id) {
        final long seconds;
        final long fractionNanos;
        final long perSecond = unitsPerSecond[id];
        if (perSecond != 0) {
            seconds = Long.divideUnsigned(units, perSecond);
            final long fraction = Long.remainderUnsigned(units, perSecond);
            fractionNanos = perSecond <= 1_000_000_000L ? fraction * (1_000_000_000L / perSecond) : fraction / (perSecond / 1_000_000_000L);
        } else {
            final int shift = unitShifts[id];
            seconds = units >>> shift;
            final long fraction = shift == 0 ? 0 : units & (-1L >>> (64 - shift));
            // fraction * 10^9 / 2^shift with a 128-bit product: exact for every shift up to 63
            final long low = fraction * 1_000_000_000L;
            final long high = Math.multiplyHigh(fraction, 1_000_000_000L);
            fractionNanos = shift == 0 ? 0 : (high << (64 - shift)) | (low >>> shift);
        }
        return (seconds + offsetSeconds[id]) * 1_000_000_000L + fractionNanos;
    }
}
