package io.mraflow.pipeline;

import io.mraflow.flow.FlowRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link FileAnalysis#FLOW_ORDER}, the order of every report: first-packet time, then protocol,
 * originator address and port, responder address and port. Checked on flows that tie on every
 * prefix of that key (two values for each of the eight parts: 256 flows), against the key read
 * as a list of numbers and compared element by element.
 */
class FlowOrderTest {

    @Test
    void flowsSortByTimeThenFiveTupleWhateverTheyTieOn() {
        final long[][] values = {
            {1_700_000_000_000_000_000L, 1_700_000_000_000_000_001L}, // tsNanos
            {6, 17},                                                  // ipProto
            {-1L, 0x20010db8_00000000L},                              // origHi (signed order)
            {0x0000ffff_0a000001L, 0x0000ffff_0a000002L},             // origLo
            {5061, 49152},                                            // origPort
            {0L, 1L},                                                 // respHi
            {0x0000ffff_c0a80001L, 0x0000ffff_c0a80002L},             // respLo
            {443, 7001},                                              // respPort
        };
        final List<long[]> keys = new ArrayList<>();
        for (int bits = 0; bits < 1 << values.length; bits++) {
            final long[] key = new long[values.length];
            for (int k = 0; k < values.length; k++) {
                key[k] = values[k][(bits >> (values.length - 1 - k)) & 1];
            }
            keys.add(key);
        }
        final List<FlowRecord> flows = new ArrayList<>();
        for (long[] key : keys) {
            flows.add(flow(key));
        }
        Collections.shuffle(flows, new Random(7));

        flows.sort(FileAnalysis.FLOW_ORDER);

        keys.sort(Arrays::compare);
        final List<String> expected = new ArrayList<>();
        for (long[] key : keys) {
            expected.add(Arrays.toString(key));
        }
        final List<String> actual = new ArrayList<>();
        for (FlowRecord f : flows) {
            actual.add(Arrays.toString(keyOf(f)));
        }
        assertEquals(expected, actual);
        assertEquals(0, FileAnalysis.FLOW_ORDER.compare(flow(keys.get(3)), flow(keys.get(3))));
    }

    private static FlowRecord flow(final long[] k) {
        return new FlowRecord(k[0], k[0], (int) k[1], 4, k[2], k[3], (int) k[4], k[5], k[6], (int) k[7],
                1, 0, 60, 0, 0, 0, 74, 0, "S0", "S", 0, -1, -1, 0, 0, null, io.mraflow.flow.FlowEnd.IDLE);
    }

    private static long[] keyOf(final FlowRecord f) {
        return new long[] {f.tsNanos(), f.ipProto(), f.origHi(), f.origLo(), f.origPort(), f.respHi(), f.respLo(),
            f.respPort()};
    }

    @Test
    void theOrderIsAComparatorOfFlowRecords() {
        final Comparator<FlowRecord> order = FileAnalysis.FLOW_ORDER;
        final FlowRecord early = flow(new long[] {1, 6, 0, 1, 1, 0, 2, 2});
        final FlowRecord late = flow(new long[] {2, 6, 0, 1, 1, 0, 2, 2});
        assertEquals(-1, Integer.signum(order.compare(early, late)));
        assertEquals(1, Integer.signum(order.compare(late, early)));
    }
}
