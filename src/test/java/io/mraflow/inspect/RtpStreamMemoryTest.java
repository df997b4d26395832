package io.mraflow.inspect;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mraflow.testing.AllocationMeter;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * What one RTP stream costs once it passed probation (its state, jitter histogram and timeline,
 * and its direction's {@link RtpSources}): 10,000 concurrent streams, one per flow direction, as
 * {@code ThreadMXBean#getThreadAllocatedBytes} counts them. The README states the figure.
 */
class RtpStreamMemoryTest {

    static final int STREAMS = 10_000;
    /** The README's "1.25 KB with --html" a stream (timelines kept, as here), with room for another JVM's object layout. */
    static final int MAX_BYTES_PER_STREAM = 1_400;

    @Test
    void tenThousandStreamsTakeAboutAKilobyteAndAQuarterEach() {
        final List<byte[]> rtp = CaptureFlows.payloads("sipp/g711a.pcap");
        final UnsafeBuffer first = new UnsafeBuffer(rtp.get(0));
        final UnsafeBuffer second = new UnsafeBuffer(rtp.get(1));
        final RtpSources[] kept = new RtpSources[STREAMS];
        Rtp.update(new RtpSources(), first, 0, first.capacity(), 0, 0); // class loading outside the count
        final AllocationMeter meter = AllocationMeter.currentThread();
        meter.start();
        for (int i = 0; i < STREAMS; i++) {
            final RtpSources s = new RtpSources();
            Rtp.update(s, first, 0, first.capacity(), 0, 0);
            Rtp.update(s, second, 0, second.capacity(), 30_000_000L, 0);
            kept[i] = s;
        }
        meter.stop();
        for (final RtpSources s : kept) {
            assertTrue(s.main().valid && s.main().timeline() != null);
        }
        meter.assertBytesPerOpBelow("RTP stream past probation, with its histogram, timeline and sources", STREAMS,
            MAX_BYTES_PER_STREAM);
    }
}
