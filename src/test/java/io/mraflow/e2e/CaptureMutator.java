package io.mraflow.e2e;

import io.mraflow.e2e.CaptureLayout.Format;
import io.mraflow.e2e.CaptureLayout.Kind;
import io.mraflow.e2e.CaptureLayout.Unit;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Damaged copies of a real capture, made deterministically from a seed: cuts, flipped bytes, lying
 * lengths, other link types, other magics. Each mutant carries what reading it must give where
 * its layout alone tells (a cut: exactly the whole packets before it; a length no reader accepts:
 * damage at that record or block, every packet before it read; payload bytes or a link type: every
 * packet), and only the properties every input has where it does not.
 */
final class CaptureMutator {

    /** What reading a mutant must report; {@link #UNKNOWN} when the mutation decides nothing. */
    record Outcome(int packets, long damageAt) {
        static final Outcome UNKNOWN = new Outcome(-1, -1);

        /** Read to its end: {@code packets} packets, no damage. */
        static Outcome intact(final int packets) {
            return new Outcome(packets, -1);
        }

        /** Damaged in the unit that starts at {@code offset}, after {@code packets} whole packets. */
        static Outcome damagedAt(final long offset, final int packets) {
            return new Outcome(packets, offset);
        }

        boolean known() {
            return packets >= 0;
        }

        boolean damaged() {
            return damageAt >= 0;
        }
    }

    record Mutant(String name, byte[] bytes, Outcome expected) {
    }

    /** The ways to damage a file; mutants take them in turn, so any count spreads over all of them. */
    enum Mutation {
        CUT_IN_FILE_HEADER, CUT_IN_RECORD_HEADER, CUT_IN_PACKET, CUT_AT_BOUNDARY,
        FLIP_HEADER, FLIP_PAYLOAD,
        CAPLEN_OVER_LEN, CAPLEN_HUGE, CAPLEN_PAST_END,
        BLOCK_LENGTH_WRONG, BLOCK_LENGTH_UNALIGNED, BLOCK_TRAILER_MISMATCH,
        LINK_TYPE, MAGIC
    }

    /** Every link type the decoder supports (capture.LinkType), then some it does not. */
    static final int[] LINK_TYPES = {0, 1, 9, 12, 14, 50, 101, 108, 113, 228, 229, 239, 276,
        2, 105, 127, 147, 274, 0xFFFF};
    /** pcap's link-type field also carries FCS bits above the low 26: Ethernet with them set. */
    static final int PCAP_LINK_TYPE_WITH_FCS_BITS = 0xF4000001;
    /** libpcap's largest captured length for every link type here (max_snaplen_for_dlt). */
    static final int MAX_CAPLEN = 262_144;
    /** Captured lengths above it. */
    static final long[] HUGE_CAPLENS = {262_145, 0x0100_0001L, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL};
    private static final int[] VALID_MAGICS = {0xA1B2C3D4, 0xD4C3B2A1, 0xA1B23C4D, 0x4D3CB2A1, 0xA1B2CD34,
        0x34CDB2A1, CaptureLayout.PCAPNG_SHB};

    private final byte[] original;
    private final CaptureLayout layout;
    private final SplittableRandom random;
    private final List<Unit> packets;
    private final int rotation;

    /**
     * @param rotation where the fixed choices (link type, huge length, magic) start: files given
     *                 consecutive rotations cover different ones even with few mutants each
     */
    CaptureMutator(final byte[] original, final long seed, final int rotation) {
        this.original = original;
        this.layout = CaptureLayout.of(original);
        this.random = new SplittableRandom(seed);
        this.packets = layout.units(Kind.PACKET);
        this.rotation = rotation;
    }

    CaptureLayout layout() {
        return layout;
    }

    /** {@code count} mutants, the mutations in turn (one that does not apply to this file yields to the next). */
    List<Mutant> mutants(final int count) {
        final Mutation[] all = Mutation.values();
        final List<Mutant> out = new ArrayList<>(count);
        for (int i = 0; out.size() < count; i++) {
            Mutant m = null;
            for (int k = 0; m == null && k < all.length; k++) {
                m = mutate(all[(i + k) % all.length], rotation + i / all.length);
            }
            if (m == null) {
                throw new IllegalStateException("no mutation applies");
            }
            out.add(m);
        }
        return out;
    }

    /** One mutant, or null when the mutation does not apply to this file. {@code round} cycles the fixed choices. */
    Mutant mutate(final Mutation mutation, final int round) {
        final boolean ng = layout.format == Format.PCAPNG;
        return switch (mutation) {
            case CUT_IN_FILE_HEADER -> cut("in the file header", 1 + random.nextInt(layout.units.get(0).length() - 1));
            case CUT_IN_RECORD_HEADER -> {
                final Unit u = anyPacket();
                yield u == null ? null
                    : cut("in the header of the packet at " + u.offset(), u.offset() + 1 + random.nextInt(u.header() - 1));
            }
            case CUT_IN_PACKET -> {
                final Unit u = packetWithData(2);
                yield u == null ? null
                    : cut("in the data of the packet at " + u.offset(), u.dataOffset() + 1 + random.nextInt(u.dataLength() - 1));
            }
            case CUT_AT_BOUNDARY -> cutAtBoundary();
            case FLIP_HEADER -> flipHeaders();
            case FLIP_PAYLOAD -> flipPayload();
            case CAPLEN_OVER_LEN -> caplenOverLen();
            case CAPLEN_HUGE -> caplenHuge(round);
            case CAPLEN_PAST_END -> ng ? null : caplenPastEnd();
            case BLOCK_LENGTH_WRONG -> ng ? blockLength("wrong by a multiple of 4", 4 * smallNonZero()) : null;
            case BLOCK_LENGTH_UNALIGNED -> ng ? blockLength("not a multiple of 4", smallNonZero()) : null;
            case BLOCK_TRAILER_MISMATCH -> ng ? trailerMismatch() : null;
            case LINK_TYPE -> linkType(round);
            case MAGIC -> ng ? pcapngMagic(round) : pcapMagic(round);
        };
    }

    // ---- cuts: exactly the packets wholly before the cut, damage at the unit cut (none at a boundary)

    private Mutant cut(final String where, final int at) {
        final Unit u = layout.unitAt(at);
        return new Mutant("cut at byte " + at + " " + where, Arrays.copyOf(original, at),
            Outcome.damagedAt(u.offset(), layout.packetsBefore(at)));
    }

    private Mutant cutAtBoundary() {
        // pcapng needs an interface before it can be opened: cut after the first one at the earliest.
        int first = 0;
        if (layout.format == Format.PCAPNG) {
            while (layout.units.get(first).kind() != Kind.INTERFACE) {
                first++;
            }
        }
        final Unit u = layout.units.get(first + random.nextInt(layout.units.size() - first));
        return new Mutant("cut at byte " + u.end() + " after a whole unit", Arrays.copyOf(original, u.end()),
            Outcome.intact(layout.packetsBefore(u.end())));
    }

    // ---- flipped bytes: anything may follow in headers; payload bytes never cost a packet

    private Mutant flipHeaders() {
        final byte[] b = original.clone();
        final StringBuilder at = new StringBuilder();
        for (int n = 1 + random.nextInt(4); n > 0; n--) {
            final Unit u = layout.units.get(random.nextInt(layout.units.size()));
            // any byte of the unit but its packet data
            int p = u.offset() + random.nextInt(u.length() - u.dataLength());
            if (p >= u.dataOffset()) {
                p += u.dataLength();
            }
            b[p] ^= (byte) (1 + random.nextInt(255));
            at.append(' ').append(p);
        }
        return new Mutant("header bytes flipped at" + at, b, Outcome.UNKNOWN);
    }

    private Mutant flipPayload() {
        if (packetWithData(1) == null) {
            return null;
        }
        final byte[] b = original.clone();
        final StringBuilder at = new StringBuilder();
        for (int n = 1 + random.nextInt(8); n > 0; n--) {
            final Unit u = packetWithData(1);
            final int p = u.dataOffset() + random.nextInt(u.dataLength());
            b[p] ^= (byte) (1 + random.nextInt(255));
            at.append(' ').append(p);
        }
        return new Mutant("payload bytes flipped at" + at, b, Outcome.intact(layout.packets()));
    }

    // ---- lying record lengths

    private Mutant caplenOverLen() {
        final Unit u = packetWithData(1);
        if (u == null || isSimplePacketBlock(u)) {
            return null;
        }
        final byte[] b = original.clone();
        final int len = random.nextInt(u.dataLength());
        putInt(b, u.offset() + wireLenField(), len, u.order());
        return new Mutant("packet at " + u.offset() + " claims " + len + " bytes on the wire, fewer than its "
            + u.dataLength() + " captured", b, Outcome.UNKNOWN);
    }

    private Mutant caplenHuge(final int round) {
        final Unit u = anyPacket();
        if (u == null || isSimplePacketBlock(u)) {
            return null;
        }
        final long caplen = HUGE_CAPLENS[round % HUGE_CAPLENS.length];
        final byte[] b = original.clone();
        putInt(b, u.offset() + capLenField(), (int) caplen, u.order());
        return new Mutant("packet at " + u.offset() + " claims " + caplen + " captured bytes", b,
            Outcome.damagedAt(u.offset(), layout.packetsBefore(u.offset())));
    }

    /** pcap: a captured length that runs past the end of the file, yet under every maximum. */
    private Mutant caplenPastEnd() {
        final List<Unit> near = packets.stream()
            .filter(u -> original.length - u.dataOffset() < MAX_CAPLEN - 64).toList();
        if (near.isEmpty()) {
            return null;
        }
        final Unit u = near.get(random.nextInt(near.size()));
        final int caplen = original.length - u.dataOffset() + 1 + random.nextInt(64);
        final byte[] b = original.clone();
        putInt(b, u.offset() + capLenField(), caplen, u.order());
        return new Mutant("packet at " + u.offset() + " claims " + caplen + " captured bytes, past the end of the file",
            b, Outcome.damagedAt(u.offset(), layout.packetsBefore(u.offset())));
    }

    // ---- pcapng block lengths

    private Mutant blockLength(final String what, final int delta) {
        final Unit u = layout.units.get(random.nextInt(layout.units.size()));
        final byte[] b = original.clone();
        final int length = u.length() + delta;
        putInt(b, u.offset() + 4, length, u.order());
        // The bytes where the new length puts the trailer may happen to repeat it (the next block's
        // own length, when the two differ by 8): then the block reads as valid and decides nothing.
        final boolean readsAsValid = length % 4 == 0 && length >= 12 && u.offset() + length <= b.length
            && ByteBuffer.wrap(b).order(u.order()).getInt(u.offset() + length - 4) == length;
        return new Mutant("block at " + u.offset() + ": total length " + length + ", " + what, b,
            readsAsValid ? Outcome.UNKNOWN : Outcome.damagedAt(u.offset(), layout.packetsBefore(u.offset())));
    }

    private Mutant trailerMismatch() {
        final Unit u = layout.units.get(random.nextInt(layout.units.size()));
        final byte[] b = original.clone();
        final int trailer = u.length() + 4 * (1 + random.nextInt(8));
        putInt(b, u.end() - 4, trailer, u.order());
        // libpcap reads the section header without looking at its trailer: there it decides nothing.
        final Outcome outcome = u.kind() == Kind.FILE_HEADER ? Outcome.UNKNOWN
            : Outcome.damagedAt(u.offset(), layout.packetsBefore(u.offset()));
        return new Mutant("block at " + u.offset() + ": trailing length " + trailer + " against " + u.length(), b, outcome);
    }

    // ---- link types and magics

    private Mutant linkType(final int round) {
        final byte[] b = original.clone();
        if (layout.format == Format.PCAP) {
            final int type = round % (LINK_TYPES.length + 1) == LINK_TYPES.length
                ? PCAP_LINK_TYPE_WITH_FCS_BITS : LINK_TYPES[round % (LINK_TYPES.length + 1)];
            putInt(b, 20, type, layout.units.get(0).order());
            return new Mutant(String.format("link type 0x%x", type), b, Outcome.intact(layout.packets()));
        }
        final int type = LINK_TYPES[round % LINK_TYPES.length];
        final List<Unit> interfaces = layout.units(Kind.INTERFACE);
        // Every other time one interface only: interfaces that differ send the reading down another path.
        final boolean one = interfaces.size() > 1 && round % 2 == 1;
        final List<Unit> changed = one ? List.of(interfaces.get(random.nextInt(interfaces.size()))) : interfaces;
        for (final Unit u : changed) {
            putShort(b, u.offset() + 8, type, u.order());
        }
        return new Mutant("link type " + type + (one ? " on the interface at " + changed.get(0).offset() : " on every interface"),
            b, Outcome.intact(layout.packets()));
    }

    private Mutant pcapMagic(final int round) {
        final byte[] b = original.clone();
        final ByteOrder order = layout.units.get(0).order();
        return switch (round % 5) {
            case 0 -> {
                putInt(b, 0, 0xA1B23C4D, order);
                yield new Mutant("nanosecond magic", b, Outcome.intact(layout.packets()));
            }
            case 1 -> {
                putInt(b, 0, 0xA1B2CD34, order);
                yield new Mutant("modified-pcap magic (24-byte record headers)", b, Outcome.UNKNOWN);
            }
            case 2 -> {
                putInt(b, 0, 0xA1B2C3D4, order == ByteOrder.BIG_ENDIAN ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
                yield new Mutant("magic of the other byte order", b, Outcome.UNKNOWN);
            }
            case 3 -> {
                final int magic = notAMagic();
                putInt(b, 0, magic, ByteOrder.BIG_ENDIAN);
                yield new Mutant(String.format("magic 0x%08x", magic), b, Outcome.damagedAt(0, 0));
            }
            default -> {
                final int major = random.nextInt(4);
                final int minor = random.nextInt(6);
                putShort(b, 4, major, order);
                putShort(b, 6, minor, order);
                yield new Mutant("version " + major + "." + minor, b, Outcome.UNKNOWN);
            }
        };
    }

    private Mutant pcapngMagic(final int round) {
        final byte[] b = original.clone();
        final ByteOrder order = layout.units.get(0).order();
        return switch (round % 4) {
            case 0 -> {
                putInt(b, 8, CaptureLayout.BYTE_ORDER_MAGIC,
                    order == ByteOrder.BIG_ENDIAN ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
                yield new Mutant("byte-order magic of the other order", b, Outcome.UNKNOWN);
            }
            case 1 -> {
                final int magic = notAMagic();
                putInt(b, 8, magic, ByteOrder.BIG_ENDIAN);
                yield new Mutant(String.format("byte-order magic 0x%08x", magic), b, Outcome.damagedAt(0, 0));
            }
            case 2 -> {
                final int magic = notAMagic();
                putInt(b, 0, magic, ByteOrder.BIG_ENDIAN);
                yield new Mutant(String.format("section header block type 0x%08x", magic), b, Outcome.damagedAt(0, 0));
            }
            default -> {
                final int major = random.nextInt(4);
                putShort(b, 12, major, order);
                yield new Mutant("section version " + major + ".x", b, Outcome.UNKNOWN);
            }
        };
    }

    // ---- helpers

    /** -3 to 3, not 0. */
    private int smallNonZero() {
        return (1 + random.nextInt(3)) * (random.nextBoolean() ? 1 : -1);
    }

    private int capLenField() {
        return layout.format == Format.PCAP ? 8 : 20;
    }

    private int wireLenField() {
        return layout.format == Format.PCAP ? 12 : 24;
    }

    private boolean isSimplePacketBlock(final Unit u) {
        return layout.format == Format.PCAPNG && u.header() == 12;
    }

    private Unit anyPacket() {
        return packets.isEmpty() ? null : packets.get(random.nextInt(packets.size()));
    }

    /** A random packet with at least {@code min} captured bytes, or null when the file has none. */
    private Unit packetWithData(final int min) {
        final List<Unit> with = packets.stream().filter(u -> u.dataLength() >= min).toList();
        return with.isEmpty() ? null : with.get(random.nextInt(with.size()));
    }

    private int notAMagic() {
        while (true) {
            final int m = random.nextInt();
            boolean valid = false;
            for (final int v : VALID_MAGICS) {
                valid |= m == v || m == Integer.reverseBytes(v);
            }
            if (!valid) {
                return m;
            }
        }
    }

    private static void putInt(final byte[] b, final int at, final int v, final ByteOrder order) {
        ByteBuffer.wrap(b).order(order).putInt(at, v);
    }

    private static void putShort(final byte[] b, final int at, final int v, final ByteOrder order) {
        ByteBuffer.wrap(b).order(order).putShort(at, (short) v);
    }
}
