package io.mraflow.synth;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Test-only reader of the little-endian pcapng (SHB, IDB, EPB) and classic pcap files this
 * package writes: just enough to get the frames and their timestamps back.
 */
final class CaptureFileReader {

    record Frame(long epochNanos, byte[] bytes) {
    }

    private CaptureFileReader() {
    }

    static List<Frame> read(final byte[] file) throws IOException {
        final ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        final int magic = b.getInt(0);
        if (magic == PcapngWriter.BLOCK_SHB) {
            return pcapng(b);
        }
        if (magic == PcapWriter.MAGIC_NANOS || magic == PcapWriter.MAGIC_MICROS) {
            return pcap(b, magic == PcapWriter.MAGIC_NANOS);
        }
        throw new IOException("not a capture this reader knows: magic " + Integer.toHexString(magic));
    }

    private static List<Frame> pcapng(final ByteBuffer b) throws IOException {
        final List<Frame> frames = new ArrayList<>();
        int at = 0;
        boolean nanos = false;
        while (at < b.limit()) {
            final int type = b.getInt(at);
            final int total = b.getInt(at + 4);
            if (total < 12 || (total & 3) != 0 || at + total > b.limit() || b.getInt(at + total - 4) != total) {
                throw new IOException("bad block at " + at);
            }
            if (type == PcapngWriter.BLOCK_SHB && b.getInt(at + 8) != PcapngWriter.BYTE_ORDER_MAGIC) {
                throw new IOException("not little-endian");
            }
            if (type == PcapngWriter.BLOCK_IDB) {
                if ((b.getShort(at + 8) & 0xFFFF) != PcapngWriter.LINKTYPE_ETHERNET) {
                    throw new IOException("not Ethernet");
                }
                for (int o = at + 16; o < at + total - 4; ) {
                    final int code = b.getShort(o) & 0xFFFF;
                    final int len = b.getShort(o + 2) & 0xFFFF;
                    if (code == 9 && len == 1 && b.get(o + 4) == 9) {
                        nanos = true;
                    }
                    if (code == 0) {
                        break;
                    }
                    o += 4 + ((len + 3) & ~3);
                }
            }
            if (type == PcapngWriter.BLOCK_EPB) {
                if (!nanos) {
                    throw new IOException("expected if_tsresol = 9");
                }
                final long ts = (b.getInt(at + 12) & 0xFFFFFFFFL) << 32 | (b.getInt(at + 16) & 0xFFFFFFFFL);
                final int cap = b.getInt(at + 20);
                if (b.getInt(at + 24) != cap) {
                    throw new IOException("truncated frame at " + at);
                }
                frames.add(new Frame(ts, Arrays.copyOfRange(b.array(), at + 28, at + 28 + cap)));
            }
            at += total;
        }
        return frames;
    }

    private static List<Frame> pcap(final ByteBuffer b, final boolean nanos) {
        final List<Frame> frames = new ArrayList<>();
        int at = 24;
        while (at + 16 <= b.limit()) {
            final long sec = b.getInt(at) & 0xFFFFFFFFL;
            final long frac = b.getInt(at + 4) & 0xFFFFFFFFL;
            final int len = b.getInt(at + 8);
            frames.add(new Frame(sec * 1_000_000_000L + (nanos ? frac : frac * 1000),
                Arrays.copyOfRange(b.array(), at + 16, at + 16 + len)));
            at += 16 + len;
        }
        return frames;
    }
}
