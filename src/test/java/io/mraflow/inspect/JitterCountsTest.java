package io.mraflow.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.HdrHistogram.IntCountsHistogram;
import org.junit.jupiter.api.Test;

/** The packet path's counts give the HdrHistogram that recording into it directly would have given. */
class JitterCountsTest {
    @Test
    void countsMakeTheSameHistogramAsRecordingIntoIt() {
        final SplittableRandom rng = new SplittableRandom(42);
        final JitterCounts counts = new JitterCounts();
        final IntCountsHistogram direct = JitterCounts.newHistogram();
        for (int i = 0; i < 100_000; i++) {
            // mostly small jitter, a long tail past the highest value told apart
            final long v = rng.nextInt(10) == 0 ? rng.nextLong(40_000) : rng.nextLong(3_000);
            counts.record(v);
            direct.recordValue(Math.min(JitterCounts.HIGHEST, v));
        }
        final IntCountsHistogram made = counts.toHistogram();
        assertEquals(direct.getTotalCount(), made.getTotalCount());
        for (double p : new double[] {1, 10, 50, 90, 95, 99, 99.9, 100}) {
            assertEquals(direct.getValueAtPercentile(p), made.getValueAtPercentile(p), "p" + p);
        }
        assertEquals(direct.getMaxValue(), made.getMaxValue());
        final byte[] sparse = counts.encode();
        assertEquals(direct.getTotalCount(), JitterCounts.totalCount(sparse));
        for (double p : new double[] {0, 0.5, 1, 10, 33.3, 50, 90, 95, 99, 99.9, 100}) {
            assertEquals(direct.getValueAtPercentile(p), JitterCounts.valueAtPercentile(sparse, p), "sparse p" + p);
        }
    }

    @Test
    void aSteadyStreamKeepsAFewBytes() {
        final JitterCounts counts = new JitterCounts();
        for (int i = 0; i < 10_000; i++) {
            counts.record(40 + i % 3); // 0.4 ms give or take
        }
        assertEquals(2 + 3 * 2, counts.encode().length, "two buckets used");
    }

    @Test
    void everyIndexMapsBackToItsBucket() {
        for (int i = 0; i < JitterCounts.LENGTH; i++) {
            assertEquals(i, JitterCounts.index(JitterCounts.valueOf(i)), "index " + i);
        }
    }
}
