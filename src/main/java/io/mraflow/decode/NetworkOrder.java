package io.mraflow.decode;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;

/**
 * Unsigned reads of big-endian (and the few little-endian) fields from a buffer in place: the
 * one reader of network-order fields, for the header decoders and the payload inspectors alike.
 * Callers check the bounds against the captured length first ({@code inspect}'s classes through
 * {@code Wire.avail}); these methods do not, so that the per-packet path is one length comparison
 * per header rather than one per field.
 */
public final class NetworkOrder {
    /** Header fields are big-endian on the wire; a static constant so reads never allocate. */
    static final ByteOrder BIG = ByteOrder.BIG_ENDIAN;
    /** NFLOG TLV lengths and BSD loopback families are in the capturing host's order. */
    static final ByteOrder LITTLE = ByteOrder.LITTLE_ENDIAN;

    private NetworkOrder() {
    }

    public static int u8(final DirectBuffer b, final int i) {
        return b.getByte(i) & 0xff;
    }

    public static int u16(final DirectBuffer b, final int i) {
        return b.getShort(i, BIG) & 0xffff;
    }

    public static int u16le(final DirectBuffer b, final int i) {
        return b.getShort(i, LITTLE) & 0xffff;
    }

    public static int u24(final DirectBuffer b, final int i) {
        return (b.getShort(i, BIG) & 0xffff) << 8 | b.getByte(i + 2) & 0xff;
    }

    public static long u32(final DirectBuffer b, final int i) {
        return b.getInt(i, BIG) & 0xffff_ffffL;
    }

    public static long u32le(final DirectBuffer b, final int i) {
        return b.getInt(i, LITTLE) & 0xffff_ffffL;
    }

    public static long u64(final DirectBuffer b, final int i) {
        return b.getLong(i, BIG);
    }

    /** An IPv4 address as the IPv4-mapped IPv6 low half that {@link PacketView} documents. */
    public static long mappedIpv4(final DirectBuffer b, final int i) {
        return 0x0000_ffff_0000_0000L | u32(b, i);
    }
}
