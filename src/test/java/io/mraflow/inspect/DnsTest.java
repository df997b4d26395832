package io.mraflow.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mraflow.synth.DnsMessages;
import java.util.Arrays;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * DNS on crafted bytes: compression pointers are followed backwards only and a bounded number of
 * times, names are bounded, TCP messages carry their length prefix, and a message cut short keeps
 * the answers read before the cut.
 */
class DnsTest {

    private static final byte[] HEADER_QUERY = {0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0};

    private static FlowInspection inspect(final boolean tcp, final byte[]... payloads) {
        final FlowInspection s = new FlowInspection(tcp ? 6 : 17, true);
        final PayloadInspector inspector = new PayloadInspector();
        boolean orig = true;
        for (final byte[] p : payloads) {
            inspector.inspect(s, orig, new UnsafeBuffer(p), 0, p.length, 0L);
            orig = !orig;
        }
        return s;
    }

    private static byte[] concat(final byte[] a, final int... tail) {
        final byte[] out = Arrays.copyOf(a, a.length + tail.length);
        for (int i = 0; i < tail.length; i++) {
            out[a.length + i] = (byte) tail[i];
        }
        return out;
    }

    @Test
    void aQueryAndItsAnswersAreRead() {
        final FlowInspection s = inspect(false, DnsMessages.query(1, "_collab-edge._tls.example.com", 33),
            DnsMessages.response(1, "_collab-edge._tls.example.com", 33, DnsMessages.srv("_collab-edge._tls.example.com", 300, 10, 10, 8443, "expe.example.com")));
        assertEquals("dns", s.appProtoName());
        assertEquals("_collab-edge._tls.example.com SRV", s.dns().query());
        assertEquals(List.of("10 10 8443 expe.example.com"), s.dns().answers());
    }

    @Test
    void overTcpTheLengthPrefixComesFirst() {
        final byte[] m = DnsMessages.response(2, "cloud.example.com", 1, DnsMessages.a("cloud.example.com", 300, "192.0.2.9"));
        final byte[] framed = new byte[m.length + 2];
        framed[0] = (byte) (m.length >> 8);
        framed[1] = (byte) m.length;
        System.arraycopy(m, 0, framed, 2, m.length);
        final FlowInspection s = inspect(true, framed);
        assertEquals("dns", s.appProtoName());
        assertEquals(List.of("192.0.2.9"), s.dns().answers());
        assertEquals("unknown", inspect(true, m).appProtoName(), "without its prefix it is not DNS over TCP");
    }

    @Test
    void aPointerToItselfOrForwardIsRefused() {
        // the question name is a pointer to offset 12, i.e. to itself
        assertEquals(Confidence.NONE, identify(concat(HEADER_QUERY, 0xc0, 12, 0, 1, 0, 1)));
        // a pointer forward, to a label after it
        assertEquals(Confidence.NONE, identify(concat(HEADER_QUERY, 0xc0, 14, 1, 'a', 0, 0, 1, 0, 1)));
        // the same label reached by a backward pointer from the answer is fine
        assertEquals(Confidence.STRONG, identify(concat(HEADER_QUERY, 1, 'a', 0, 0, 1, 0, 1)));
    }

    @Test
    void aNameLongerThan255BytesIsRefused() {
        int[] labels = new int[5 * 64 + 5];
        for (int l = 0; l < 5; l++) {
            labels[l * 64] = 63;
            Arrays.fill(labels, l * 64 + 1, l * 64 + 64, 'x');
        }
        labels[320] = 0;
        labels[321] = 0;
        labels[322] = 1;
        labels[323] = 0;
        labels[324] = 1;
        assertEquals(Confidence.NONE, identify(concat(HEADER_QUERY, labels)));
    }

    @Test
    void aResponseCutShortKeepsTheAnswersBeforeTheCut() {
        final byte[] m = DnsMessages.response(3, "a.example.com", 1, DnsMessages.a("a.example.com", 300, "192.0.2.1"), DnsMessages.a("a.example.com", 300, "192.0.2.2"));
        final FlowInspection s = inspect(false, Arrays.copyOf(m, m.length - 2));
        assertEquals(List.of("192.0.2.1"), s.dns().answers());
    }

    @Test
    void anEndedFlowKeepsItsQuestionAndAnswersInBuffersOfTheirSize() {
        final FlowInspection s = inspect(false, DnsMessages.query(5, "www.example.com", 1),
            DnsMessages.response(5, "www.example.com", 1, DnsMessages.cname("www.example.com", 300, "edge.example.net"), DnsMessages.a("edge.example.net", 300, "192.0.2.7")));
        final List<String> before = s.dns().answers();
        s.compact();
        assertEquals("www.example.com A", s.dns().query());
        assertEquals(before, s.dns().answers());
        assertEquals(List.of("edge.example.net", "192.0.2.7"), before);
        assertEquals("www.example.com", s.dns().askedName(1), "the address is the name asked for, through the CNAME");
        s.reset(17, true);
        assertNull(s.dns(), "reset forgets the exchange");
        final byte[] again = DnsMessages.response(6, "b.example.com", 1, DnsMessages.a("b.example.com", 300, "192.0.2.8"));
        new PayloadInspector().inspect(s, false, new UnsafeBuffer(again), 0, again.length, 0L);
        assertEquals(List.of("192.0.2.8"), s.dns().answers(), "a reset exchange has its room back");
    }

    @Test
    void offPort53NothingIsReadAsDns() {
        final FlowInspection s = new FlowInspection(17, false);
        final byte[] q = DnsMessages.query(4, "example.com", 1);
        new PayloadInspector().inspect(s, true, new UnsafeBuffer(q), 0, q.length, 0L);
        assertEquals("unknown", s.appProtoName());
        assertNull(s.dns());
    }

    private static int identify(final byte[] m) {
        return Dns.identify(new UnsafeBuffer(m), 0, m.length, false);
    }
}
