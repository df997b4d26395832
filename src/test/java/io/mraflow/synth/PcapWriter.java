package io.mraflow.synth;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;

/**
 * Writes a classic little-endian pcap file (LINKTYPE_ETHERNET), with nanosecond timestamps
 * (magic {@code 0xA1B23C4D}) or microsecond ones (magic {@code 0xA1B2C3D4}). Single-threaded;
 * nothing is allocated per frame.
 *
 * <pre>
 * record header: ts_sec(4) ts_frac(4) incl_len(4) orig_len(4), then the frame
 * </pre>
 */
public final class PcapWriter implements CaptureWriter {

    static final int MAGIC_MICROS = 0xA1B2C3D4;
    static final int MAGIC_NANOS = 0xA1B23C4D;

    private final CaptureOutput out;
    private final boolean nanos;
    private long packets;
    private long frameBytes;

    public PcapWriter(final OutputStream stream, final boolean nanos) throws IOException {
        this(Channels.newChannel(stream), nanos);
    }

    public PcapWriter(final WritableByteChannel channel, final boolean nanos) throws IOException {
        this.out = new CaptureOutput(channel);
        this.nanos = nanos;
        final ByteBuffer b = out.reserve(24);
        b.putInt(nanos ? MAGIC_NANOS : MAGIC_MICROS);
        b.putShort((short) 2).putShort((short) 4).putInt(0).putInt(0);
        b.putInt(PcapngWriter.SNAPLEN).putInt(PcapngWriter.LINKTYPE_ETHERNET);
    }

    @Override
    public void write(final long epochNanos, final byte[] frame, final int offset, final int length) throws IOException {
        final ByteBuffer b = out.reserve(16 + length);
        final long seconds = Math.floorDiv(epochNanos, 1_000_000_000L);
        final long fraction = Math.floorMod(epochNanos, 1_000_000_000L);
        b.putInt((int) seconds).putInt((int) (nanos ? fraction : fraction / 1000));
        b.putInt(length).putInt(length);
        b.put(frame, offset, length);
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
}
