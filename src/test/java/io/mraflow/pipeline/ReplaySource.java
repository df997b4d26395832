package io.mraflow.pipeline;

import io.mraflow.capture.CaptureDamage;
import io.mraflow.capture.CaptureFiles;
import io.mraflow.capture.CapturedPacket;
import io.mraflow.capture.PacketSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A capture held in memory and handed out {@code rounds} times over; next() allocates nothing. One thread. */
final class ReplaySource implements PacketSource {
    private final byte[][] data;
    private final long[] ts;
    private final int[] wire;
    private final int[] link;
    private long left;
    private int i;

    ReplaySource(final Path file) throws Exception {
        final List<byte[]> d = new ArrayList<>();
        final List<long[]> meta = new ArrayList<>();
        final CapturedPacket p = new CapturedPacket();
        try (PacketSource s = CaptureFiles.open(file)) {
            while (s.next(p)) {
                final byte[] b = new byte[p.capLen];
                p.bytes.getBytes(0, b);
                d.add(b);
                meta.add(new long[] {p.tsNanos, p.wireLen, p.linkType});
            }
        }
        data = d.toArray(new byte[0][]);
        ts = new long[data.length];
        wire = new int[data.length];
        link = new int[data.length];
        for (int k = 0; k < data.length; k++) {
            ts[k] = meta.get(k)[0];
            wire[k] = (int) meta.get(k)[1];
            link[k] = (int) meta.get(k)[2];
        }
    }

    int packets() {
        return data.length;
    }

    /** Hands out the capture {@code rounds} more times. */
    ReplaySource rounds(final long rounds) {
        left = rounds * data.length;
        i = 0;
        return this;
    }

    @Override
    public boolean next(final CapturedPacket out) {
        if (left == 0) {
            return false;
        }
        left--;
        final byte[] b = data[i];
        out.bytes.wrap(b);
        out.capLen = b.length;
        out.wireLen = wire[i];
        out.linkType = link[i];
        out.tsNanos = ts[i];
        i = i + 1 == data.length ? 0 : i + 1;
        return true;
    }

    @Override
    public CaptureDamage damage() {
        return null;
    }

    @Override
    public String name() {
        return "replay";
    }

    @Override
    public void close() {
    }
}
