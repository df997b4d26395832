package io.mraflow.synth;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;

/**
 * Writes a little-endian pcapng file: one Section Header Block, one Interface Description
 * Block (LINKTYPE_ETHERNET, {@code if_tsresol} = 9, nanoseconds) and one Enhanced Packet Block
 * per frame. Single-threaded; frames are copied into a reused buffer, nothing is allocated per
 * frame.
 *
 * <pre>
 * Enhanced Packet Block (all fields little-endian):
 *  0 +---------------------------------------------------------------+
 *    |                    block type = 0x00000006                    |
 *  4 |                   block total length (32 + pad(caplen))      |
 *  8 |                    interface id = 0                           |
 * 12 |                    timestamp high 32 bits (ns)                |
 * 16 |                    timestamp low 32 bits (ns)                 |
 * 20 |                    captured length                            |
 * 24 |                    original length                            |
 * 28 |            frame bytes, zero-padded to 4 ...                  |
 *    |                   block total length (again)                  |
 *    +---------------------------------------------------------------+
 * </pre>
 */
public final class PcapngWriter implements CaptureWriter {

    static final int BLOCK_SHB = 0x0A0D0D0A;
    static final int BLOCK_IDB = 0x00000001;
    static final int BLOCK_EPB = 0x00000006;
    static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    static final int LINKTYPE_ETHERNET = 1;
    static final int SNAPLEN = 262144;
    private static final int EPB_FIXED = 32;
    private static final int OPT_SHB_USERAPPL = 4;
    private static final int OPT_IF_TSRESOL = 9;

    private final CaptureOutput out;
    private long packets;
    private long frameBytes;

    public PcapngWriter(final OutputStream stream) throws IOException {
        this(Channels.newChannel(stream));
    }

    public PcapngWriter(final WritableByteChannel channel) throws IOException {
        this.out = new CaptureOutput(channel);
        writeSectionHeader();
        writeInterfaceDescription();
    }

    private void writeSectionHeader() throws IOException {
        final byte[] app = "mraflow synth".getBytes(StandardCharsets.US_ASCII);
        final int optLen = 4 + pad4(app.length) + 4;
        final int total = 28 + optLen;
        final ByteBuffer b = out.reserve(total);
        b.putInt(BLOCK_SHB).putInt(total).putInt(BYTE_ORDER_MAGIC);
        b.putShort((short) 1).putShort((short) 0).putLong(-1L);
        b.putShort((short) OPT_SHB_USERAPPL).putShort((short) app.length).put(app);
        out.pad4(app.length);
        b.putInt(0); // opt_endofopt
        b.putInt(total);
    }

    private void writeInterfaceDescription() throws IOException {
        final int total = 20 + 8 + 4;
        final ByteBuffer b = out.reserve(total);
        b.putInt(BLOCK_IDB).putInt(total);
        b.putShort((short) LINKTYPE_ETHERNET).putShort((short) 0).putInt(SNAPLEN);
        b.putShort((short) OPT_IF_TSRESOL).putShort((short) 1).put((byte) 9).put((byte) 0).putShort((short) 0);
        b.putInt(0); // opt_endofopt
        b.putInt(total);
    }

    @Override
    public void write(final long epochNanos, final byte[] frame, final int offset, final int length) throws IOException {
        final int total = EPB_FIXED + pad4(length);
        final ByteBuffer b = out.reserve(total);
        b.putInt(BLOCK_EPB).putInt(total).putInt(0);
        b.putInt((int) (epochNanos >>> 32)).putInt((int) epochNanos);
        b.putInt(length).putInt(length);
        b.put(frame, offset, length);
        out.pad4(length);
        b.putInt(total);
        packets++;
        frameBytes += length;
    }

    @Override
    public long packets() {
        return packets;
    }

    @Override
    public long frameBytes() {
        return frameBytes;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    static int pad4(final int n) {
        return (n + 3) & ~3;
    }
}
