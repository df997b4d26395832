package io.mraflow.inspect;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test-only reader of pcap and pcapng files into whole frames with their link type: just enough to
 * feed real payloads to the inspector while the real capture reader is written elsewhere. Stops
 * quietly at the first damaged or cut-off record.
 */
final class TestPcap {

    record Frame(int linkType, byte[] data) {
    }

    private TestPcap() {
    }

    static List<Frame> read(final Path file) throws IOException {
        final ByteBuffer bb = ByteBuffer.wrap(Files.readAllBytes(file));
        final List<Frame> out = new ArrayList<>();
        if (bb.remaining() < 24) {
            return out;
        }
        final int magic = bb.getInt(0);
        if (magic == 0x0A0D0D0A) {
            readPcapng(bb, out);
        } else {
            readPcap(bb, out);
        }
        return out;
    }

    private static void readPcap(final ByteBuffer bb, final List<Frame> out) {
        final int m = bb.order(ByteOrder.BIG_ENDIAN).getInt(0);
        if (m == 0xA1B2C3D4 || m == 0xA1B23C4D) {
            bb.order(ByteOrder.BIG_ENDIAN);
        } else if (m == 0xD4C3B2A1 || m == 0x4D3CB2A1) {
            bb.order(ByteOrder.LITTLE_ENDIAN);
        } else {
            return;
        }
        final int linkType = bb.getInt(20) & 0x0fffffff;
        int p = 24;
        while (p + 16 <= bb.limit()) {
            final int capLen = bb.getInt(p + 8);
            if (capLen < 0 || capLen > 262144 || p + 16 + capLen > bb.limit()) {
                return;
            }
            final byte[] data = new byte[capLen];
            bb.get(p + 16, data);
            out.add(new Frame(linkType, data));
            p += 16 + capLen;
        }
    }

    private static void readPcapng(final ByteBuffer bb, final List<Frame> out) {
        final List<Integer> ifLinkTypes = new ArrayList<>();
        ByteOrder order = ByteOrder.LITTLE_ENDIAN;
        int p = 0;
        while (p + 12 <= bb.limit()) {
            // The section header's type reads the same in either byte order; its byte-order magic decides.
            if (bb.order(order).getInt(p) == 0x0A0D0D0A) {
                order = bb.order(ByteOrder.BIG_ENDIAN).getInt(p + 8) == 0x1A2B3C4D
                    ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
                bb.order(order);
                ifLinkTypes.clear();
            }
            final int blockType = bb.getInt(p);
            final int blockLen = bb.getInt(p + 4);
            if (blockLen < 12 || p + blockLen > bb.limit()) {
                return;
            }
            if (blockType == 1 && blockLen >= 20) {
                ifLinkTypes.add(bb.getShort(p + 8) & 0xffff);
            } else if (blockType == 6 && blockLen >= 32) {
                final int ifId = bb.getInt(p + 8);
                final int capLen = bb.getInt(p + 20);
                if (capLen >= 0 && 28 + capLen <= blockLen && ifId >= 0 && ifId < ifLinkTypes.size()) {
                    final byte[] data = new byte[capLen];
                    bb.get(p + 28, data);
                    out.add(new Frame(ifLinkTypes.get(ifId), data));
                }
            } else if (blockType == 3 && blockLen >= 16 && !ifLinkTypes.isEmpty()) {
                final int capLen = Math.min(bb.getInt(p + 8), blockLen - 16);
                if (capLen >= 0) {
                    final byte[] data = new byte[capLen];
                    bb.get(p + 12, data);
                    out.add(new Frame(ifLinkTypes.get(0), data));
                }
            }
            p += blockLen;
        }
    }
}
