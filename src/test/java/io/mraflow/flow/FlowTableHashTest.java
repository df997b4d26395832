package io.mraflow.flow;

import static io.mraflow.flow.TestPackets.T0;
import static io.mraflow.flow.TestPackets.udp;
import static io.mraflow.flow.TestPackets.v4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mraflow.decode.PacketView;
import io.mraflow.flow.TestPackets.Sink;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The open-addressing table itself: growth, and backward-shift deletion against a model. */
class FlowTableHashTest {

    private static final long SERVER = v4(192, 0, 2, 1);

    private static long client(int i) {
        return v4(10, (i >>> 16) & 0xff, (i >>> 8) & 0xff, i & 0xff);
    }

    @Test
    void growsFromSixteenSlotsToHoldOneHundredThousandFlows() {
        final Sink sink = new Sink();
        final FlowTable table = new FlowTable(
                FlowTableConfig.defaults().withCapacity(16, 1 << 18), sink);
        final int n = 100_000;
        for (int i = 0; i < n; i++) {
            table.onPacket(udp(T0 + i, client(i), 1024 + (i % 50_000), SERVER, 5060, 10));
        }
        assertEquals(n, table.size());
        assertEquals(1 << 18, table.capacity());
        // Every flow found again after all the doublings, answered from the server side.
        for (int i = 0; i < n; i++) {
            table.onPacket(udp(T0 + n + i, SERVER, 5060, client(i), 1024 + (i % 50_000), 20));
        }
        assertEquals(n, table.flowsCreated());
        assertEquals(0, table.flowsEvicted());
        table.flushAll();
        assertEquals(n, sink.flows.size());
        for (int i = 0; i < n; i++) {
            final FlowRecord f = sink.flows.get(i);
            assertEquals(client(i), f.origLo(), "flush order is first-packet order");
            assertEquals("SF", f.connState());
            assertEquals(1, f.origPkts());
            assertEquals(1, f.respPkts());
            assertEquals(10, f.origBytes());
            assertEquals(20, f.respBytes());
        }
    }

    @Test
    void evictsTheLeastRecentlySeenWhenFullAtMaximumCapacity() {
        final Sink sink = new Sink();
        final FlowTable table = new FlowTable(
                FlowTableConfig.defaults().withCapacity(16, 32), sink);
        // 40 flows, one a millisecond: the table holds 22 (70% of 32); each new flow beyond that
        // ends the oldest of the sample, which in a table where every flow was seen once is the
        // oldest of all, so flows 0..17 leave in order.
        for (int i = 0; i < 40; i++) {
            table.onPacket(udp(T0 + i * 1_000_000L, client(i), 1000, SERVER, 53, 1));
        }
        assertEquals(22, table.size(), "70% of 32 slots");
        assertEquals(18, table.flowsEvicted());
        assertEquals(18, sink.flows.size());
        for (int i = 0; i < 18; i++) {
            assertEquals(FlowEnd.EVICTED, sink.flows.get(i).ended());
            assertEquals(T0 + i * 1_000_000L, sink.flows.get(i).tsNanos(), "flow " + i + " evicted in age order");
        }
        table.flushAll();
        assertEquals(40, sink.flows.size(), "every flow emitted exactly once");
        assertEquals(FlowEnd.END_OF_INPUT, sink.flows.get(39).ended());
    }

    /**
     * Random packets (inserts) and removals over a small, crowded table, checked after every
     * step against a HashMap: backward-shift deletion must keep every remaining flow reachable.
     */
    @Test
    void backwardShiftDeletionMatchesAHashMapModel() {
        final Random random = new Random(20261126L);
        final Sink sink = new Sink();
        final FlowTable table = new FlowTable(
                FlowTableConfig.defaults().withCapacity(128, 128), sink);
        final Map<Integer, Long> model = new HashMap<>();
        final int keys = 100; // at most 100 of 112 allowed: long probe runs, much wrap-around
        final PacketView p = new PacketView();
        for (int step = 0; step < 200_000; step++) {
            final int k = random.nextInt(keys);
            if (random.nextInt(10) < 6) {
                TestPackets.fill(p, T0 + step, 17, client(k), 2000 + k, SERVER, 3478);
                p.ipLen = 28;
                table.onPacket(p);
                model.merge(k, 1L, Long::sum);
            } else {
                final int real = table.find(17, 0, client(k), 2000 + k, 0, SERVER, 3478);
                assertEquals(model.containsKey(k), real >= 0, "step " + step + " key " + k);
                if (real >= 0) {
                    table.remove(real);
                    model.remove(k);
                }
            }
            assertEquals(model.size(), table.size());
            if (step % 1000 == 0) {
                for (int j = 0; j < keys; j++) {
                    final int s = table.find(17, 0, client(j), 2000 + j, 0, SERVER, 3478);
                    assertEquals(model.containsKey(j), s >= 0, "step " + step + " key " + j);
                }
            }
        }
        table.flushAll();
        assertEquals(model.size(), sink.flows.size());
        for (FlowRecord f : sink.flows) {
            final int k = f.origPort() - 2000;
            assertTrue(model.containsKey(k));
            assertEquals((long) model.get(k), f.origPkts(), "packets of key " + k);
        }
    }
}
