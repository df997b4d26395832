package io.mraflow.flow;

import static io.mraflow.flow.TestPackets.ACK;
import static io.mraflow.flow.TestPackets.PSH;
import static io.mraflow.flow.TestPackets.SECOND;
import static io.mraflow.flow.TestPackets.SYN;
import static io.mraflow.flow.TestPackets.T0;
import static io.mraflow.flow.TestPackets.udp;
import static io.mraflow.flow.TestPackets.v4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mraflow.decode.PacketView;
import io.mraflow.flow.TestPackets.Sink;
import io.mraflow.flow.TestPackets.Tcp;
import org.junit.jupiter.api.Test;

/** UDP states, fragments, ICMP errors, idle expiry and the packets the table ignores. */
class FlowTableAccountingTest {

    private static final long PHONE = v4(198, 51, 100, 7);
    private static final long EXPE = v4(203, 0, 113, 5);
    private static final long ROUTER = v4(198, 51, 100, 1);

    private final Sink sink = new Sink();
    private final FlowTable table = new FlowTable(FlowTableConfig.defaults(), sink);

    @Test
    void udpBothWaysIsSfWithPayloadSums() {
        table.onPacket(udp(T0, PHONE, 5060, EXPE, 5061, 400));
        table.onPacket(udp(T0 + SECOND, EXPE, 5061, PHONE, 5060, 300));
        table.onPacket(udp(T0 + 2 * SECOND, PHONE, 5060, EXPE, 5061, 100));
        table.flushAll();
        assertEquals(1, sink.flows.size());
        final FlowRecord f = sink.flows.get(0);
        assertEquals("SF", f.connState());
        assertEquals("Dd", f.history());
        assertEquals(PHONE, f.origLo());
        assertEquals(500, f.origBytes());
        assertEquals(300, f.respBytes());
        assertEquals(2, f.origPkts());
        assertEquals(1, f.respPkts());
        assertEquals(2 * 28 + 500, f.origIpBytes());
        assertEquals(T0, f.tsNanos());
        assertEquals(T0 + 2 * SECOND, f.lastTsNanos());
    }

    @Test
    void theEndOfInputEmitsFlowsByFirstPacketTimeEvenWhenTheCaptureGoesBackInTime() {
        // flows created in the order 1, 2, 3, 4, 5 with first packets at 3 s, 1 s, 1 s, 2 s, 5 s
        final long[] starts = {3, 1, 1, 2, 5};
        for (int i = 0; i < starts.length; i++) {
            table.onPacket(udp(T0 + starts[i] * SECOND, PHONE, 40000 + i, EXPE, 3478, 20));
        }
        table.flushAll();
        final int[] expectedPorts = {40001, 40002, 40003, 40000, 40004}; // times, then creation order
        for (int i = 0; i < expectedPorts.length; i++) {
            assertEquals(expectedPorts[i], sink.flows.get(i).origPort(), "flow " + i);
        }
    }

    @Test
    void theEndOfInputEmitsFlowsInCreationOrderWhenTimesTie() {
        for (int i = 0; i < 100; i++) {
            table.onPacket(udp(T0 + (i / 10) * SECOND, PHONE, 40000 + i, EXPE, 3478, 20));
        }
        table.flushAll();
        for (int i = 0; i < 100; i++) {
            assertEquals(40000 + i, sink.flows.get(i).origPort(), "flow " + i);
        }
    }

    @Test
    void udpOneWayIsS0() {
        table.onPacket(udp(T0, PHONE, 40000, EXPE, 3478, 20));
        table.onPacket(udp(T0 + 1, PHONE, 40000, EXPE, 3478, 0));
        table.flushAll();
        assertEquals("S0", sink.flows.get(0).connState());
        assertEquals("D", sink.flows.get(0).history());
        assertEquals(20, sink.flows.get(0).origBytes());
    }

    @Test
    void laterFragmentsCountToTheFlowOfTheirFirstFragment() {
        final PacketView first = udp(T0, PHONE, 5060, EXPE, 5060, 3000);
        first.fragment = true;
        first.moreFragments = true;
        first.fragId = 0x1234;
        first.ipLen = 1500;
        table.onPacket(first);
        for (int i = 1; i <= 2; i++) {
            final PacketView frag = udp(T0 + i, PHONE, 0, EXPE, 0, 0);
            frag.hasPorts = false;
            frag.fragment = true;
            frag.fragOffset = 1480 * i;
            frag.moreFragments = i < 2;
            frag.fragId = 0x1234;
            frag.ipLen = i < 2 ? 1500 : 68;
            frag.wireLen = frag.ipLen + 14;
            table.onPacket(frag);
        }
        final PacketView stray = udp(T0 + 5, PHONE, 0, EXPE, 0, 0);
        stray.hasPorts = false;
        stray.fragment = true;
        stray.fragOffset = 1480;
        stray.fragId = 0x9999;
        table.onPacket(stray);
        table.flushAll();

        assertEquals(1, sink.flows.size());
        final FlowRecord f = sink.flows.get(0);
        assertEquals(3, f.origPkts());
        assertEquals(1500 + 1500 + 68, f.origIpBytes());
        assertEquals(3000, f.origBytes());
        assertEquals(T0 + 2, f.lastTsNanos());
        assertEquals(2, table.fragmentsAttributed());
        assertEquals(1, table.fragmentsUnattributed());
    }

    @Test
    void icmpErrorIsCountedToTheQuotedFlowNotAsItsPacket() {
        table.onPacket(udp(T0, PHONE, 5060, EXPE, 5061, 400));
        final PacketView icmp = new PacketView();
        icmp.reset();
        icmp.tsNanos = T0 + SECOND;
        icmp.ipVersion = 4;
        icmp.srcLo = ROUTER;
        icmp.dstLo = PHONE;
        icmp.ipProto = 1;
        icmp.ipLen = 56;
        icmp.icmpType = 3;
        icmp.icmpCode = 3;
        icmp.icmpError = true;
        icmp.quotedProto = 17;
        icmp.quotedSrcLo = PHONE;
        icmp.quotedSrcPort = 5060;
        icmp.quotedDstLo = EXPE;
        icmp.quotedDstPort = 5061;
        table.onPacket(icmp);
        icmp.quotedDstPort = 9; // no such flow
        table.onPacket(icmp);
        table.flushAll();

        final FlowRecord f = sink.flows.get(0);
        assertEquals(1, f.icmpErrors());
        assertEquals(3, f.lastIcmpType());
        assertEquals(3, f.lastIcmpCode());
        assertEquals(ROUTER, f.icmpFromLo());
        assertEquals(1, f.origPkts());
        assertEquals(0, f.respPkts());
        assertEquals(T0, f.lastTsNanos());
        assertEquals(1, table.icmpErrorsMatched());
        assertEquals(1, table.icmpErrorsUnmatched());
    }

    @Test
    void nonTcpUdpAndPortlessPacketsAreIgnored() {
        final PacketView p = udp(T0, PHONE, 1, EXPE, 2, 0);
        p.ipProto = 47; // GRE not unwrapped
        table.onPacket(p);
        final PacketView q = udp(T0, PHONE, 1, EXPE, 2, 0);
        q.hasPorts = false; // truncated before the UDP header
        table.onPacket(q);
        final PacketView r = new PacketView();
        r.reset(); // not IP
        table.onPacket(r);
        table.flushAll();
        assertEquals(0, sink.flows.size());
        assertEquals(3, table.packetsIgnored());
    }

    @Test
    void udpIdleBeyondTimeoutStartsASecondFlow() {
        table.onPacket(udp(T0, PHONE, 5060, EXPE, 5061, 10));
        table.onPacket(udp(T0 + 59 * SECOND, EXPE, 5061, PHONE, 5060, 10));
        table.onPacket(udp(T0 + 59 * SECOND + 61 * SECOND, EXPE, 5061, PHONE, 5060, 10));
        assertEquals(1, sink.flows.size(), "the first flow is emitted when it expires");
        table.flushAll();
        assertEquals(2, sink.flows.size());
        assertEquals("SF", sink.flows.get(0).connState());
        assertEquals(EXPE, sink.flows.get(1).origLo(), "the later packet's sender opens flow 2");
        assertEquals("S0", sink.flows.get(1).connState());
        assertEquals(1, table.flowsExpired());
        assertEquals(2, table.flowsCreated());
    }

    @Test
    void tcpEstablishedIdleBeyondFiveMinutesStartsASecondFlow() {
        final Tcp t = new Tcp(table);
        t.c(SYN, 0).s(SYN | ACK, 0).c(ACK, 0).c(PSH | ACK, 10);
        t.idle(299 * SECOND).s(PSH | ACK, 10);
        assertEquals(0, sink.flows.size());
        t.idle(301 * SECOND).s(PSH | ACK, 10);
        assertEquals(1, sink.flows.size());
        table.flushAll();
        assertEquals("S1", sink.flows.get(0).connState());
        assertEquals("ShADd", sink.flows.get(0).history());
        assertEquals("OTH", sink.flows.get(1).connState());
        assertEquals("D", sink.flows.get(1).history());
    }

    @Test
    void unansweredSynExpiresAfterTheHandshakeTimeout() {
        final Tcp t = new Tcp(table);
        t.c(SYN, 0);
        t.idle(61 * SECOND).cAt(SYN, 0, 1000);
        table.flushAll();
        assertEquals(2, sink.flows.size());
        assertEquals("S0", sink.flows.get(0).connState());
    }

    @Test
    void sweepEmitsIdleFlowsWithoutPacketsOnTheirTuple() {
        final FlowTable small = new FlowTable(
                FlowTableConfig.defaults().withCapacity(16, 16), sink);
        small.onPacket(udp(T0, PHONE, 1000, EXPE, 2000, 1));
        small.onPacket(udp(T0, PHONE, 1001, EXPE, 2000, 1));
        // One row examined per packet: 16 packets are one pass over the 16 rows.
        for (int i = 0; i < 16; i++) {
            small.onPacket(udp(T0 + 120 * SECOND + i, PHONE, 3000, EXPE, 2000, 1));
        }
        assertEquals(2, sink.flows.size());
        assertEquals(1, small.size());
        assertEquals(2, small.flowsExpired());
    }

    @Test
    void flushAllEmitsInFirstPacketOrder() {
        table.onPacket(udp(T0 + 3, PHONE, 3, EXPE, 9, 1));
        table.onPacket(udp(T0 + 1, PHONE, 1, EXPE, 9, 1));
        table.onPacket(udp(T0 + 2, PHONE, 2, EXPE, 9, 1));
        table.flushAll();
        assertEquals(1, sink.flows.get(0).origPort());
        assertEquals(2, sink.flows.get(1).origPort());
        assertEquals(3, sink.flows.get(2).origPort());
        assertEquals(0, table.size());
    }

    @Test
    void ipv6FlowKeepsItsAddresses() {
        final long[] a = TestPackets.addr("2001:db8::1");
        final long[] b = TestPackets.addr("2001:db8::2");
        final PacketView p = udp(T0, 0, 5000, 0, 6000, 12);
        p.ipVersion = 6;
        p.srcHi = b[0];
        p.srcLo = b[1];
        p.dstHi = a[0];
        p.dstLo = a[1];
        table.onPacket(p);
        table.flushAll();
        final FlowRecord f = sink.flows.get(0);
        assertEquals(6, f.ipVersion());
        assertEquals(b[0], f.origHi());
        assertEquals(b[1], f.origLo());
        assertEquals(a[1], f.respLo());
        assertTrue(f.respPort() == 6000 && f.origPort() == 5000);
    }

    @Test
    void icmpErrorQuotingTheRespondersPacketFindsTheSameFlow() {
        table.onPacket(udp(T0, PHONE, 5060, EXPE, 5061, 400));
        table.onPacket(udp(T0 + 1, EXPE, 5061, PHONE, 5060, 400));
        final PacketView icmp = udp(T0 + 2, ROUTER, 0, EXPE, 0, 0);
        icmp.ipProto = 1;
        icmp.hasPorts = false;
        icmp.icmpError = true;
        icmp.icmpType = 11;
        icmp.icmpCode = 0;
        icmp.quotedProto = 17;
        icmp.quotedSrcLo = EXPE;
        icmp.quotedSrcPort = 5061;
        icmp.quotedDstLo = PHONE;
        icmp.quotedDstPort = 5060;
        table.onPacket(icmp);
        table.flushAll();
        assertEquals(1, sink.flows.size());
        assertEquals(1, sink.flows.get(0).icmpErrors());
        assertEquals(11, sink.flows.get(0).lastIcmpType());
    }

    @Test
    void fragmentArrivingBeforeItsFirstFragmentIsUnattributed() {
        final PacketView later = udp(T0, PHONE, 0, EXPE, 0, 0);
        later.hasPorts = false;
        later.fragment = true;
        later.fragOffset = 1480;
        later.fragId = 42;
        table.onPacket(later);
        final PacketView first = udp(T0 + 1, PHONE, 5060, EXPE, 5060, 2000);
        first.fragment = true;
        first.moreFragments = true;
        first.fragId = 42;
        table.onPacket(first);
        table.flushAll();
        assertEquals(1, table.fragmentsUnattributed());
        assertEquals(1, sink.flows.get(0).origPkts());
    }
}
