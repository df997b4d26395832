package io.mraflow.report;

import io.mraflow.flow.FlowRecord;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Community ID flow hashing, version 1 (https://github.com/corelight/community-id-spec): the
 * same flow gets the same {@code "1:<base64 SHA-1>"} string in mraflow, Zeek, Suricata and
 * others. Computed once per flow at report time; an instance keeps its digest and buffer, so it
 * is not thread-safe: use one per thread.
 *
 * <p>Hashed bytes, all in network order:
 * <pre>
 * +--------+-----------+-----------+-------+-----+----------+----------+
 * | seed 2 | src addr  | dst addr  | proto | 0   | src port | dst port |
 * |        | 4 or 16   | 4 or 16   | 1     | 1   | 2        | 2        |
 * +--------+-----------+-----------+-------+-----+----------+----------+
 * </pre>
 * where "src" is the lower endpoint: the one with the smaller address, or with the smaller port
 * when the addresses are equal. Ports are left out for protocols without them. ICMP's type/code
 * mapping of the spec is not implemented (the flow table follows TCP and UDP only).
 */
public final class CommunityId {

    private static final long V4_MAPPED_HI = 0L;
    private static final long V4_MAPPED_PREFIX = 0x0000_ffff_0000_0000L;
    private static final byte[] PREFIX = {'1', ':'};

    private final int seed;
    private final Sha1Block sha1 = new Sha1Block();
    private final byte[] buf = new byte[2 + 16 + 16 + 2 + 4];
    private final byte[] digest = new byte[Sha1Block.DIGEST_LENGTH];
    /** Base64 of the digest: 28 characters. */
    private final byte[] encoded = new byte[28];
    /** {@code "1:"} and the Base64. */
    private final byte[] text = new byte[PREFIX.length + encoded.length];
    private final Base64.Encoder base64 = Base64.getEncoder();

    /** Seed 0, the spec's default. */
    public CommunityId() {
        this(0);
    }

    /** @param seed 0..65535 */
    public CommunityId(final int seed) {
        if (seed < 0 || seed > 0xffff) {
            throw new IllegalArgumentException("seed must be 0..65535: " + seed);
        }
        this.seed = seed;
        System.arraycopy(PREFIX, 0, text, 0, PREFIX.length);
    }

    /** The flow's Community ID. */
    public String of(final FlowRecord f) {
        return of(f.ipVersion(), f.ipProto(), f.origHi(), f.origLo(), f.origPort(),
                f.respHi(), f.respLo(), f.respPort(), true);
    }

    /**
     * The Community ID of a flow given as {@code PacketView} addresses (128 bits in two longs,
     * IPv4 as {@code ::ffff:a.b.c.d}). With {@code ipVersion == 4} and v4-mapped addresses the
     * 4-byte IPv4 addresses are hashed, as the spec requires.
     */
    public String of(final int ipVersion, final int proto, final long srcHi, final long srcLo, final int srcPort,
                     final long dstHi, final long dstLo, final int dstPort, final boolean hasPorts) {
        final boolean v4 = ipVersion == 4 && isV4Mapped(srcHi, srcLo) && isV4Mapped(dstHi, dstLo);
        int c = Long.compareUnsigned(srcHi, dstHi);
        if (c == 0) {
            c = Long.compareUnsigned(srcLo, dstLo);
        }
        final boolean keep = c < 0 || (c == 0 && (!hasPorts || srcPort <= dstPort));
        final long aHi = keep ? srcHi : dstHi;
        final long aLo = keep ? srcLo : dstLo;
        final long bHi = keep ? dstHi : srcHi;
        final long bLo = keep ? dstLo : srcLo;
        final int aPort = keep ? srcPort : dstPort;
        final int bPort = keep ? dstPort : srcPort;

        int i = 0;
        buf[i++] = (byte) (seed >>> 8);
        buf[i++] = (byte) seed;
        i = v4 ? putV4(aLo, i) : putV6(aHi, aLo, i);
        i = v4 ? putV4(bLo, i) : putV6(bHi, bLo, i);
        buf[i++] = (byte) proto;
        buf[i++] = 0;
        if (hasPorts) {
            buf[i++] = (byte) (aPort >>> 8);
            buf[i++] = (byte) aPort;
            buf[i++] = (byte) (bPort >>> 8);
            buf[i++] = (byte) bPort;
        }
        // One String per flow: the digest and its Base64 go through buffers kept here.
        sha1.digest(buf, i, digest); // at most 40 bytes: one block
        base64.encode(digest, encoded);
        System.arraycopy(encoded, 0, text, PREFIX.length, encoded.length);
        return new String(text, StandardCharsets.ISO_8859_1);
    }

    private static boolean isV4Mapped(final long hi, final long lo) {
        return hi == V4_MAPPED_HI && (lo & 0xffff_ffff_0000_0000L) == V4_MAPPED_PREFIX;
    }

    private int putV4(final long lo, final int at) {
        int i = at;
        for (int shift = 24; shift >= 0; shift -= 8) {
            buf[i++] = (byte) (lo >>> shift);
        }
        return i;
    }

    private int putV6(final long hi, final long lo, final int at) {
        int i = at;
        for (int shift = 56; shift >= 0; shift -= 8) {
            buf[i++] = (byte) (hi >>> shift);
        }
        for (int shift = 56; shift >= 0; shift -= 8) {
            buf[i++] = (byte) (lo >>> shift);
        }
        return i;
    }
}
