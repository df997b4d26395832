package io.mraflow.flow;

import static io.mraflow.flow.TestPackets.T0;
import static io.mraflow.flow.TestPackets.udp;
import static io.mraflow.flow.TestPackets.v4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mraflow.decode.PacketView;
import org.junit.jupiter.api.Test;

class FlowAffinityTest {

    private static final long A = v4(10, 0, 0, 1);
    private static final long B = v4(192, 0, 2, 9);

    @Test
    void bothDirectionsFragmentsAndIcmpErrorsGoToOneWorker() {
        final int forward = FlowAffinity.of(udp(T0, A, 5060, B, 5061, 1));
        assertTrue(forward >= 0);
        assertEquals(forward, FlowAffinity.of(udp(T0, B, 5061, A, 5060, 1)));

        final PacketView frag = udp(T0, A, 0, B, 0, 0);
        frag.hasPorts = false;
        frag.fragment = true;
        assertEquals(forward, FlowAffinity.of(frag));

        final PacketView icmp = udp(T0, v4(10, 0, 0, 254), 0, A, 0, 0);
        icmp.ipProto = 1;
        icmp.icmpError = true;
        icmp.quotedProto = 17;
        icmp.quotedSrcLo = A;
        icmp.quotedDstLo = B;
        assertEquals(forward, FlowAffinity.of(icmp));
    }
}
