package io.mraflow.flow;

import static io.mraflow.flow.TestPackets.ACK;
import static io.mraflow.flow.TestPackets.PSH;
import static io.mraflow.flow.TestPackets.SYN;
import static io.mraflow.flow.TestPackets.T0;
import static io.mraflow.flow.TestPackets.v4;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mraflow.decode.PacketView;
import io.mraflow.flow.TestPackets.Sink;
import io.mraflow.testing.AllocationMeter;
import org.junit.jupiter.api.Test;

/** The steady-state per-packet path allocates nothing. */
class FlowTableAllocationTest {

    private static final int FLOWS = 1000;
    private static final long SERVER = v4(192, 0, 2, 1);

    private final PacketView p = new PacketView();
    private final long[] clientSeq = new long[FLOWS];
    private final long[] serverSeq = new long[FLOWS];
    private long ts = T0;

    @Test
    void millionPacketsOverExistingFlowsAllocateNothing() throws Exception {
        final Sink sink = new Sink();
        final FlowTable table = new FlowTable(FlowTableConfig.defaults(), sink);

        // Half TCP (handshake done), half UDP.
        for (int i = 0; i < FLOWS; i += 2) {
            clientSeq[i] = 1000L * i;
            serverSeq[i] = 7_000_000L + i;
            tcp(table, p, ts++, i, true, SYN, 0, clientSeq[i]++, 0);
            tcp(table, p, ts++, i, false, SYN | ACK, 0, serverSeq[i]++, clientSeq[i]);
            tcp(table, p, ts++, i, true, ACK, 0, clientSeq[i], serverSeq[i]);
        }
        AllocationMeter.assertAllocatesNothing("flow table, " + FLOWS + " flows", 1_000_000, n -> run(table, n));

        assertEquals(FLOWS, table.size());
        assertEquals(0, sink.flows.size());
    }

    private void run(FlowTable table, int packets) {
        for (int n = 0; n < packets; n++) {
            final int i = n % FLOWS;
            final boolean fromClient = (n / FLOWS) % 2 == 0;
            if ((i & 1) == 0) {
                if (fromClient) {
                    tcp(table, p, ts, i, true, PSH | ACK, 100, clientSeq[i], serverSeq[i]);
                    clientSeq[i] += 100;
                } else {
                    tcp(table, p, ts, i, false, PSH | ACK, 60, serverSeq[i], clientSeq[i]);
                    serverSeq[i] += 60;
                }
            } else {
                TestPackets.fill(p, ts, 17, fromClient ? client(i) : SERVER,
                        fromClient ? 20000 + i : 5004, fromClient ? SERVER : client(i),
                        fromClient ? 5004 : 20000 + i);
                p.payloadLen = 172;
                p.ipLen = 200;
                p.wireLen = 214;
                table.onPacket(p);
            }
            ts += 1000; // 1 µs apart: nothing idles out
        }
    }

    private static long client(int i) {
        return v4(10, 1, (i >>> 8) & 0xff, i & 0xff);
    }

    private static void tcp(FlowTable table, PacketView p, long ts, int i, boolean fromClient,
                            int flags, int len, long seq, long ack) {
        TestPackets.fill(p, ts, 6, fromClient ? client(i) : SERVER,
                fromClient ? 30000 + i : 443, fromClient ? SERVER : client(i),
                fromClient ? 443 : 30000 + i);
        p.tcpFlags = flags;
        p.tcpSeq = seq & 0xffff_ffffL;
        p.tcpAck = ack & 0xffff_ffffL;
        p.tcpWindow = 1000;
        p.payloadLen = len;
        p.ipLen = 40 + len;
        p.wireLen = 54 + len;
        table.onPacket(p);
    }
}
