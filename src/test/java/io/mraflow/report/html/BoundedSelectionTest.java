package io.mraflow.report.html;

import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BoundedSelectionTest {
    @Test
    void keepsTheFirstInOrderOfAnyNumberOfferedAndCountsTheRest() {
        final BoundedSelection<Integer> s = new BoundedSelection<>(5, Comparator.<Integer>naturalOrder());
        final SplittableRandom rng = new SplittableRandom(3);
        final int[] offered = IntStream.range(0, 100_000).map(i -> rng.nextInt(1_000_000)).toArray();
        for (int v : offered) {
            s.offer(v);
        }
        assertEquals(IntStream.of(offered).sorted().limit(5).boxed().toList(), s.inOrder());
        assertEquals(99_995, s.leftOut());
        assertEquals(100_000, s.offered());
    }

    @Test
    void keepsEverythingBelowItsCapacity() {
        final BoundedSelection<String> s = new BoundedSelection<>(10, Comparator.<String>reverseOrder());
        List.of("b", "a", "c").forEach(s::offer);
        assertEquals(List.of("c", "b", "a"), s.inOrder());
        assertEquals(0, s.leftOut());
    }
}
