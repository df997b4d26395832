package io.mraflow.decode;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;

/**
 * Unsigned reads of packet header fields from a buffer in place. Callers check the bounds
 * against the captured length first; these methods do not, so that the per-packet path is one
 * length comparison per header rather than one per field.
 */
final class NetworkOrder {
    /** Header fields are big-endian on the wire; a static constant so reads never allocate. */
    static final ByteOrder BIG = ByteOrder.BIG_ENDIAN;
    /** NFLOG TLV lengths and BSD loopback families are in the capturing host's order. */
    static final ByteOrder LITTLE = ByteOrder.LITTLE_ENDIAN;

    private NetworkOrder() {
    }

    static int u8(final DirectBuffer b, final int i) {
        return b.getByte(i) & 0xff;
    }

    static int u16(final DirectBuffer b, final int i) {
        return b.getShort(i, BIG) & 0xffff;
    }

    static int u16le(final DirectBuffer b, final int i) {
        return b.getShort(i, LITTLE) & 0xffff;
    }

    static long u32(final DirectBuffer b, final int i) {
        return b.getInt(i, BIG) & 0xffff_ffffL;
    }

    static long u32le(final DirectBuffer b, final int i) {
        return b.getInt(i, LITTLE) & 0xffff_ffffL;
    }

    static long u64(final DirectBuffer b, final int i) {
        return b.getLong(i, BIG);
    }

    /** An IPv4 address as the IPv4-mapped IPv6 low half that {@link PacketView} documents. */
    static long mappedIpv4(final DirectBuffer b, final int i) {
        return 0x0000_ffff_0000_0000L | u32(b, i);
    }
}
