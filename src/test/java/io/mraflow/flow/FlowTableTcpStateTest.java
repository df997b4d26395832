package io.mraflow.flow;

import static io.mraflow.flow.TestPackets.ACK;
import static io.mraflow.flow.TestPackets.FIN;
import static io.mraflow.flow.TestPackets.PSH;
import static io.mraflow.flow.TestPackets.RST;
import static io.mraflow.flow.TestPackets.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mraflow.flow.TestPackets.Sink;
import io.mraflow.flow.TestPackets.Tcp;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Every Zeek conn_state, each with the exact history Zeek writes for the same packets. The
 * expected strings follow Zeek's TCP analyzer (update_history, UpdateStateMachine) and
 * {@code Conn::conn_state} in scripts/base/protocols/conn/main.zeek.
 */
class FlowTableTcpStateTest {

    private static Sink run(Consumer<Tcp> conversation) {
        final Sink sink = new Sink();
        final FlowTable table = new FlowTable(FlowTableConfig.defaults(), sink);
        conversation.accept(new Tcp(table));
        table.flushAll();
        return sink;
    }

    private static FlowRecord only(Consumer<Tcp> conversation) {
        final Sink sink = run(conversation);
        assertEquals(1, sink.flows.size(), "flows: " + sink.flows);
        return sink.flows.get(0);
    }

    private static void assertFlow(String state, String history, FlowRecord f) {
        assertEquals(state + " " + history, f.connState() + " " + f.history(), f.toString());
    }

    private static void handshake(Tcp t) {
        t.c(SYN, 0).s(SYN | ACK, 0).c(ACK, 0);
    }

    @Test
    void synWithoutReplyIsS0() {
        final FlowRecord f = only(t -> t.c(SYN, 0));
        assertFlow("S0", "S", f);
        assertEquals(1, f.origPkts());
        assertEquals(0, f.respPkts());
        assertEquals(0, f.origBytes());
    }

    @Test
    void establishedNotClosedIsS1() {
        assertFlow("S1", "ShA", only(FlowTableTcpStateTest::handshake));
    }

    @Test
    void normalOpenAndCloseIsSfWithBytesFromSequenceNumbers() {
        final FlowRecord f = only(t -> {
            handshake(t);
            t.c(PSH | ACK, 100).s(ACK, 0).s(PSH | ACK, 200).c(ACK, 0);
            t.c(FIN | ACK, 0).s(FIN | ACK, 0).c(ACK, 0);
        });
        assertFlow("SF", "ShADadFf", f);
        assertEquals(100, f.origBytes());
        assertEquals(200, f.respBytes());
        assertEquals(6, f.origPkts());
        assertEquals(4, f.respPkts());
        assertEquals(6 * 40 + 100, f.origIpBytes());
        assertEquals(4 * 40 + 200, f.respIpBytes());
        assertEquals(6 * 54 + 100, f.origWireBytes());
        assertEquals(6, f.ipProto());
        assertEquals(TestPackets.v4(10, 0, 0, 1), f.origLo());
        assertEquals(40000, f.origPort());
        assertEquals(443, f.respPort());
    }

    @Test
    void resetAnswerToSynIsRej() {
        assertFlow("REJ", "Sr", only(t -> t.c(SYN, 0).s(RST | ACK, 0)));
    }

    @Test
    void originatorCloseWithoutReplyIsS2() {
        assertFlow("S2", "ShAF", only(t -> {
            handshake(t);
            t.c(FIN | ACK, 0);
        }));
    }

    @Test
    void responderCloseWithoutReplyIsS3() {
        assertFlow("S3", "ShAf", only(t -> {
            handshake(t);
            t.s(FIN | ACK, 0);
        }));
    }

    @Test
    void originatorResetAfterEstablishmentIsRsto() {
        assertFlow("RSTO", "ShADR", only(t -> {
            handshake(t);
            t.c(PSH | ACK, 10).c(RST | ACK, 0);
        }));
    }

    @Test
    void responderResetAfterEstablishmentIsRstr() {
        assertFlow("RSTR", "ShADr", only(t -> {
            handshake(t);
            t.c(PSH | ACK, 10).s(RST | ACK, 0);
        }));
    }

    @Test
    void synThenOriginatorResetIsRstos0() {
        assertFlow("RSTOS0", "SR", only(t -> t.c(SYN, 0).c(RST, 0)));
    }

    @Test
    void synAckThenResponderResetIsRstrhWithFlip() {
        final FlowRecord f = only(t -> t.s(SYN | ACK, 0).s(RST, 0));
        assertFlow("RSTRH", "^hr", f);
        assertEquals(TestPackets.v4(10, 0, 0, 1), f.origLo(), "SYN-ACK receiver is the originator");
    }

    @Test
    void synThenOriginatorFinIsSh() {
        assertFlow("SH", "SF", only(t -> t.c(SYN, 0).c(FIN, 0)));
    }

    @Test
    void synAckThenResponderFinIsShr() {
        assertFlow("SHR", "^hf", only(t -> t.s(SYN | ACK, 0).s(FIN | ACK, 0)));
    }

    @Test
    void midstreamTrafficIsOth() {
        final FlowRecord f = only(t -> t.c(PSH | ACK, 100).s(ACK, 0).s(PSH | ACK, 50));
        assertFlow("OTH", "Dad", f);
        assertEquals(100, f.origBytes());
        assertEquals(50, f.respBytes());
    }

    @Test
    void loneResetIsOth() {
        final FlowRecord f = only(t -> t.c(RST, 0));
        assertFlow("OTH", "R", f);
        assertEquals(1, f.origPkts());
    }

    @Test
    void repeatedSynStaysOneFlowWithOneS() {
        final FlowRecord f = only(t -> {
            t.c(SYN, 0);
            t.cAt(SYN, 0, 1000).cAt(SYN, 0, 1000);
            t.s(SYN | ACK, 0).c(ACK, 0).c(PSH | ACK, 100).s(PSH | ACK, 20);
            t.c(FIN | ACK, 0).s(FIN | ACK, 0).c(ACK, 0);
        });
        assertFlow("SF", "ShADdFf", f);
        assertEquals(7, f.origPkts());
        assertEquals(100, f.origBytes());
    }

    @Test
    void retransmittedFinIsNotCountedTwiceNorSplits() {
        final Sink sink = run(t -> {
            handshake(t);
            t.c(FIN | ACK, 0);
            final long finSeq = t.clientSeq - 1;
            t.cAt(FIN | ACK, 0, finSeq).cAt(FIN | ACK, 0, finSeq);
            t.s(FIN | ACK, 0).c(ACK, 0);
        });
        assertEquals(1, sink.flows.size());
        final FlowRecord f = sink.flows.get(0);
        assertFlow("SF", "ShAFf", f);
        assertEquals(0, f.origBytes());
    }

    @Test
    void synAckSeenFirstFlipsRoles() {
        final FlowRecord f = only(t -> t.s(SYN | ACK, 0).c(ACK, 0).c(PSH | ACK, 10).s(PSH | ACK, 5));
        assertFlow("S1", "^hADd", f);
        assertEquals(TestPackets.v4(10, 0, 0, 1), f.origLo());
        assertEquals(40000, f.origPort());
        assertEquals(443, f.respPort());
        assertEquals(2, f.origPkts());
        assertEquals(2, f.respPkts());
        assertEquals(10, f.origBytes());
        assertEquals(5, f.respBytes());
    }

    @Test
    void retransmissionsAreLoggedAtOneAndTenOccurrences() {
        final FlowRecord f = only(t -> {
            handshake(t);
            t.c(PSH | ACK, 100);
            final long seq = t.clientSeq - 100;
            for (int i = 0; i < 10; i++) {
                t.cAt(PSH | ACK, 100, seq);
            }
            t.s(ACK, 0);
        });
        assertFlow("S1", "ShADTTa", f);
        assertEquals(100, f.origBytes());
    }

    @Test
    void zeroWindowIsW() {
        final FlowRecord f = only(t -> {
            handshake(t);
            t.c(PSH | ACK, 100);
            t.window = 0;
            t.s(ACK, 0);
        });
        assertFlow("S1", "ShADaw", f); // Zeek updates history before the window check
    }

    @Test
    void synFinIsQAndFinRstIsI() {
        assertEquals("ShAQ", only(t -> {
            handshake(t);
            t.c(SYN | FIN, 0);
        }).history());
        assertEquals("ShAI", only(t -> {
            handshake(t);
            t.c(FIN | RST | ACK, 0);
        }).history());
    }

    @Test
    void newSynWithNewIsnAfterCloseStartsSecondFlow() {
        final Sink sink = run(t -> {
            handshake(t);
            t.c(PSH | ACK, 100).s(ACK, 0).s(PSH | ACK, 200).c(ACK, 0);
            t.c(FIN | ACK, 0).s(FIN | ACK, 0).c(ACK, 0);
            t.clientSeq = 900_000;
            t.serverSeq = 77_000;
            t.c(SYN, 0).s(SYN | ACK, 0).c(ACK, 0);
        });
        assertEquals(2, sink.flows.size());
        assertFlow("SF", "ShADadFf", sink.flows.get(0));
        assertFlow("S1", "ShA", sink.flows.get(1));
        assertEquals(2, sink.flows.get(1).origPkts());
    }

    @Test
    void newSynWithNewIsnAfterRejectStartsSecondFlow() {
        final Sink sink = run(t -> {
            t.c(SYN, 0).s(RST | ACK, 0);
            t.cAt(SYN, 0, 1000);       // same ISN: a retransmission, same flow
            t.cAt(SYN, 0, 123_456);    // new ISN: a new attempt
        });
        assertEquals(2, sink.flows.size());
        assertFlow("REJ", "Sr", sink.flows.get(0));
        assertEquals(2, sink.flows.get(0).origPkts());
        assertFlow("S0", "S", sink.flows.get(1));
    }

    @Test
    void sequenceWrapIsHandled() {
        final Sink sink = new Sink();
        final FlowTable table = new FlowTable(FlowTableConfig.defaults(), sink);
        final Tcp t = new Tcp(table, TestPackets.v4(10, 0, 0, 1), 40000,
                TestPackets.v4(192, 0, 2, 10), 443, 0xffff_ff00L, 0xffff_fff0L);
        handshake(t);
        for (int i = 0; i < 10; i++) {
            t.c(PSH | ACK, 1000).s(ACK, 0);
        }
        t.s(PSH | ACK, 300).c(ACK, 0);
        t.c(FIN | ACK, 0).s(FIN | ACK, 0).c(ACK, 0);
        table.flushAll();
        final FlowRecord f = sink.flows.get(0);
        assertFlow("SF", "ShADadFf", f);
        assertEquals(10_000, f.origBytes());
        assertEquals(300, f.respBytes());
    }

    @Test
    void ackBeforeSynAckDoesNotEstablishSoSynAckResetIsStillRstos0() {
        // Zeek's "eccentric TCP" rule: a responder's bare ACK of a SYN leaves it INACTIVE, and
        // lower-case letters do not break the ^?S[^HAFGIQ]*R pattern.
        assertFlow("RSTOS0", "SaR", only(t -> t.c(SYN, 0).s(ACK, 0).c(RST, 0)));
    }

    @Test
    void synAckSeenFirstThenAckEstablishesBothSides() {
        // The originator's ACK after a SYN-ACK it answers establishes (Zeek: "missed that
        // initial SYN"): both ESTABLISHED is S1.
        assertFlow("S1", "^hAD", only(t -> t.s(SYN | ACK, 0).c(ACK, 0).c(PSH | ACK, 5)));
    }
}
