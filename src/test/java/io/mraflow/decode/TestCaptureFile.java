package io.mraflow.decode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.mraflow.capture.CapturedPacket;

/**
 * A minimal pcap / pcapng record reader for tests only, so the decoder can be tested on real
 * captures independently of the production capture package. Reads the whole file; stops quietly
 * at the first damaged record (the tests only look at what was readable). Classic pcap in both
 * byte orders with microsecond or nanosecond magic; pcapng SHB, IDB (with if_tsresol), EPB, SPB
 * and the obsolete PB, with per-interface link types.
 */
final class TestCaptureFile {
    /** One record: where its bytes are in the file, and its header values. */
    @SuppressWarnings("JavaLangClash") // a capture file's record; java.lang.Record is never named here
    record Record(int offset, int capLen, int wireLen, long tsNanos, int linkType) {
    }

    final byte[] bytes;
    final List<Record> records = new ArrayList<>();

    private TestCaptureFile(final byte[] bytes) {
        this.bytes = bytes;
    }

    static TestCaptureFile read(final Path path) throws IOException {
        final TestCaptureFile file = new TestCaptureFile(Files.readAllBytes(path));
        file.parse();
        return file;
    }

    /** Points {@code pkt} at record {@code i} without copying. */
    void load(final int i, final CapturedPacket pkt) {
        final Record r = records.get(i);
        pkt.bytes.wrap(bytes, r.offset(), r.capLen());
        pkt.capLen = r.capLen();
        pkt.wireLen = r.wireLen();
        pkt.tsNanos = r.tsNanos();
        pkt.linkType = r.linkType();
    }

    private void parse() {
        if (bytes.length < 4) {
            return;
        }
        final ByteBuffer bb = ByteBuffer.wrap(bytes);
        final int magicBe = bb.order(ByteOrder.BIG_ENDIAN).getInt(0);
        if (magicBe == 0x0A0D0D0A) {
            parsePcapng(bb);
        } else {
            parsePcap(bb);
        }
    }

    private void parsePcap(final ByteBuffer bb) {
        if (bytes.length < 24) {
            return;
        }
        final int magic = bb.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        final ByteOrder order;
        final boolean nanos;
        switch (magic) {
            case 0xa1b2c3d4 -> { order = ByteOrder.LITTLE_ENDIAN; nanos = false; }
            case 0xa1b23c4d -> { order = ByteOrder.LITTLE_ENDIAN; nanos = true; }
            case 0xd4c3b2a1 -> { order = ByteOrder.BIG_ENDIAN; nanos = false; }
            case 0x4d3cb2a1 -> { order = ByteOrder.BIG_ENDIAN; nanos = true; }
            default -> { return; }
        }
        bb.order(order);
        // The link type's low 16 bits; the upper bits hold FCS flags in some writers.
        final int linkType = bb.getInt(20) & 0xffff;
        int at = 24;
        while (at + 16 <= bytes.length) {
            final long sec = bb.getInt(at) & 0xffffffffL;
            final long frac = bb.getInt(at + 4) & 0xffffffffL;
            final int capLen = bb.getInt(at + 8);
            final int wireLen = bb.getInt(at + 12);
            if (capLen < 0 || capLen > 262144 || at + 16 + capLen > bytes.length) {
                return;
            }
            records.add(new Record(at + 16, capLen, wireLen, sec * 1_000_000_000L + (nanos ? frac : frac * 1000), linkType));
            at += 16 + capLen;
        }
    }

    private void parsePcapng(final ByteBuffer bb) {
        final List<int[]> interfaces = new ArrayList<>(); // {linkType}
        final List<long[]> resolution = new ArrayList<>();
        int at = 0;
        while (at + 12 <= bytes.length) {
            // The section header's type reads the same in both byte orders; its byte-order magic
            // sets the order for the section.
            if (bb.getInt(at) == 0x0A0D0D0A) {
                bb.order(ByteOrder.BIG_ENDIAN);
                final int bom = bb.getInt(at + 8);
                bb.order(bom == 0x1A2B3C4D ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
                interfaces.clear();
                resolution.clear();
            }
            final int type = bb.getInt(at);
            final int length = bb.getInt(at + 4);
            if (length < 12 || at + length > bytes.length) {
                return;
            }
            final int body = at + 8;
            switch (type) {
                case 1 -> { // IDB
                    interfaces.add(new int[] {bb.getShort(body) & 0xffff});
                    resolution.add(new long[] {tsUnitsPerSecond(bb, body + 8, at + length - 4)});
                }
                case 6 -> { // EPB
                    final int ifc = bb.getInt(body);
                    final long ts = ((bb.getInt(body + 4) & 0xffffffffL) << 32) | (bb.getInt(body + 8) & 0xffffffffL);
                    final int capLen = bb.getInt(body + 12);
                    final int wireLen = bb.getInt(body + 16);
                    addBlockPacket(ifc, interfaces, resolution, body + 20, capLen, wireLen, ts, at + length);
                }
                case 3 -> { // SPB: captured length is what the block holds, up to the original length
                    final int wireLen = bb.getInt(body);
                    final int capLen = Math.min(wireLen, length - 16);
                    addBlockPacket(0, interfaces, resolution, body + 4, capLen, wireLen, 0, at + length);
                }
                case 2 -> { // obsolete Packet Block
                    final int ifc = bb.getShort(body) & 0xffff;
                    final long ts = ((bb.getInt(body + 4) & 0xffffffffL) << 32) | (bb.getInt(body + 8) & 0xffffffffL);
                    addBlockPacket(ifc, interfaces, resolution, body + 20, bb.getInt(body + 12), bb.getInt(body + 16), ts, at + length);
                }
                default -> { }
            }
            at += length;
        }
    }

    private void addBlockPacket(final int ifc, final List<int[]> interfaces, final List<long[]> resolution,
                                final int data, final int capLen, final int wireLen, final long ts, final int blockEnd) {
        if (ifc < 0 || ifc >= interfaces.size() || capLen < 0 || data + capLen > blockEnd) {
            return;
        }
        final long units = resolution.get(ifc)[0];
        final long nanos = units == 1_000_000_000L ? ts : units == 1_000_000L ? ts * 1000 : (long) (ts * (1e9 / units));
        records.add(new Record(data, capLen, wireLen, nanos, interfaces.get(ifc)[0]));
    }

    /** if_tsresol (option 9): a power of 10, or of 2 when the top bit is set; microseconds by default. */
    private static long tsUnitsPerSecond(final ByteBuffer bb, final int options, final int end) {
        int at = options;
        while (at + 4 <= end) {
            final int code = bb.getShort(at) & 0xffff;
            final int len = bb.getShort(at + 2) & 0xffff;
            if (code == 0) {
                break;
            }
            if (code == 9 && len >= 1) {
                final int v = bb.get(at + 4) & 0xff;
                return (v & 0x80) != 0 ? 1L << (v & 0x7f) : (long) Math.pow(10, v);
            }
            at += 4 + ((len + 3) & ~3);
        }
        return 1_000_000L;
    }
}
