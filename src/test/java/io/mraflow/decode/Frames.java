package io.mraflow.decode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import io.mraflow.capture.CapturedPacket;

/**
 * Builds packet bytes for hand-made decoder tests, header by header, with lengths and nothing
 * else filled in (checksums are zero: the decoder does not check them), and decodes them.
 */
final class Frames {
    static final String MACS = "00 10 db 88 d2 ef c8 bc c8 96 d2 a0";

    private Frames() {
    }

    static byte[] hex(final String hex) {
        final String h = hex.replaceAll("[^0-9a-fA-F]", "");
        final byte[] b = new byte[h.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    static byte[] cat(final byte[]... parts) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] u16(final int v) {
        return new byte[] {(byte) (v >>> 8), (byte) v};
    }

    static byte[] u32(final long v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    /** Ethernet header with the given EtherType (or tag TPID) right after the MACs. */
    static byte[] eth(final int etherType) {
        return cat(hex(MACS), u16(etherType));
    }

    /** A VLAN tag's TCI and the EtherType that follows it. */
    static byte[] tag(final int vid, final int nextType) {
        return cat(u16(vid), u16(nextType));
    }

    static byte[] ip4(final String addr) {
        final String[] p = addr.split("\\.");
        return new byte[] {(byte) Integer.parseInt(p[0]), (byte) Integer.parseInt(p[1]),
            (byte) Integer.parseInt(p[2]), (byte) Integer.parseInt(p[3])};
    }

    /** IPv4 header with options (a multiple of 4 bytes) and the total length for the payload. */
    static byte[] ipv4(final int proto, final String src, final String dst, final byte[] options, final int payloadLen,
                       final int id, final int flagsFragment) {
        final int ihl = 5 + options.length / 4;
        return cat(new byte[] {(byte) (0x40 | ihl), 0}, u16(ihl * 4 + payloadLen), u16(id), u16(flagsFragment),
            new byte[] {64, (byte) proto, 0, 0}, ip4(src), ip4(dst), options);
    }

    static byte[] ipv4(final int proto, final String src, final String dst, final byte[] payload) {
        return cat(ipv4(proto, src, dst, new byte[0], payload.length, 1, 0), payload);
    }

    static byte[] ipv6(final int next, final String src, final String dst, final byte[] payload) {
        return cat(hex("60 00 00 00"), u16(payload.length), new byte[] {(byte) next, 64}, hex(src), hex(dst), payload);
    }

    static byte[] tcp(final int sport, final int dport, final long seq, final long ack, final int flags, final byte[] payload) {
        return cat(u16(sport), u16(dport), u32(seq), u32(ack), new byte[] {0x50, (byte) flags}, u16(65535),
            hex("00 00 00 00"), payload);
    }

    static byte[] udp(final int sport, final int dport, final byte[] payload) {
        return cat(u16(sport), u16(dport), u16(8 + payload.length), hex("00 00"), payload);
    }

    static byte[] bytes(final int n) {
        final byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('a' + i % 26);
        }
        return b;
    }

    /** Decodes {@code bytes} as one packet of {@code linkType}, captured whole. */
    static PacketView decode(final int linkType, final byte[] bytes) {
        return decode(linkType, bytes, bytes.length);
    }

    /** Decodes the first {@code capLen} bytes; the buffer ends there, so a read past it throws. */
    static PacketView decode(final int linkType, final byte[] bytes, final int capLen) {
        final CapturedPacket pkt = new CapturedPacket();
        pkt.bytes.wrap(bytes, 0, capLen);
        pkt.capLen = capLen;
        pkt.wireLen = bytes.length;
        pkt.linkType = linkType;
        final PacketView v = new PacketView();
        new PacketDecoder().decode(pkt, v);
        return v;
    }

    /** Record {@code index} (0-based) of a capture under src/test/resources/captures, decoded. */
    static PacketView decodeCapture(final String capture, final int index) {
        final TestCaptureFile file = capture(capture);
        final CapturedPacket pkt = new CapturedPacket();
        file.load(index, pkt);
        final PacketView v = new PacketView();
        new PacketDecoder().decode(pkt, v);
        return v;
    }

    static TestCaptureFile capture(final String capture) {
        try {
            return TestCaptureFile.read(Path.of("src/test/resources/captures").resolve(capture));
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String src(final PacketView v) {
        return AddressText.format(v.ipVersion, v.srcHi, v.srcLo);
    }

    static String dst(final PacketView v) {
        return AddressText.format(v.ipVersion, v.dstHi, v.dstLo);
    }
}
