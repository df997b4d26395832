package io.mraflow.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class DnsMessagesTest {

    @Test
    void queryIsHeaderThenNameAsLabelsThenTypeAndClass() {
        assertEquals("12340100000100000000000003657870076578616d706c6503636f6d0000010001",
            HexFormat.of().formatHex(DnsMessages.query(0x1234, "exp.example.com", DnsMessages.TYPE_A)));
    }

    @Test
    void srvResponseCountsItsAnswerAndAdditionalRecordsAndCarriesPriorityWeightPortTarget() {
        final byte[] r = DnsMessages.response(7, "_s._tls.a.b", DnsMessages.TYPE_SRV,
            new DnsMessages.Record[] {DnsMessages.srv("_s._tls.a.b", 60, 10, 20, 8443, "e.a.b")},
            new DnsMessages.Record[] {DnsMessages.a("e.a.b", 60, "203.0.113.10")});
        assertEquals("000781800001000100000001", HexFormat.of().formatHex(r, 0, 12));
        final int question = 12 + DnsMessages.encodeName("_s._tls.a.b").length + 4;
        // the answer's owner is the question's name: a pointer to it (0xC00C), as resolvers write it
        assertEquals("c00c", HexFormat.of().formatHex(r, question, question + 2));
        final int rdata = question + 2 + 10;
        assertEquals("000a0014" + "20fb", HexFormat.of().formatHex(r, rdata, rdata + 6));
        assertArrayEquals(new byte[] {(byte) 203, 0, 113, 10}, Arrays.copyOfRange(r, r.length - 4, r.length));
    }

    @Test
    void nxdomainHasTheErrorCodeAndNoRecords() {
        assertEquals("000781830001000000000000",
            HexFormat.of().formatHex(DnsMessages.nxdomain(7, "a.b", DnsMessages.TYPE_SRV), 0, 12));
    }
}
