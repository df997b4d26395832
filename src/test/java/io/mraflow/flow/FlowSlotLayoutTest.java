package io.mraflow.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** The packed parts of a slot: tags and the META byte lanes. */
class FlowSlotLayoutTest {

    @Test
    void tagIsNeverZeroAndGivesBackHashAndRow() {
        for (int hash : new int[] {0, 1, -1, 0x7fff_ffff, 0x8000_0000}) {
            for (int row : new int[] {0, 1, 0x3ff_ffff}) {
                final long tag = FlowSlotLayout.tag(hash, row);
                assertNotEquals(0L, tag);
                assertEquals(row, FlowSlotLayout.tagRow(tag));
                // The low bits (the home slot) are the hash's own.
                assertEquals(hash & 0x7fff_ffff, FlowSlotLayout.tagHash(tag) & 0x7fff_ffff);
            }
        }
    }

    @Test
    void metaLanesAreIndependentBytes() {
        long meta = 0;
        for (int lane = 0; lane < 8; lane++) {
            meta = FlowSlotLayout.withLane(meta, lane, (byte) (0x81 + lane));
        }
        meta = FlowSlotLayout.withLane(meta, 3, (byte) 6);
        for (int lane = 0; lane < 8; lane++) {
            assertEquals(lane == 3 ? 6 : (byte) (0x81 + lane), FlowSlotLayout.lane(meta, lane));
        }
    }
}
