package io.mraflow.rules;

import io.mraflow.inspect.AppProto;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PortReferenceTest {
    private static final String GOOD = "T9.1\tx\tEXPC\t30000-35999\tTLS\tUCM\t8443\tTLS\t-\tnote";

    private static PortReference parse(String text) throws Exception {
        return PortReference.parse(new StringReader(text), "test.tsv");
    }

    private static String error(String badLine) {
        final RulesFormatException e = assertThrows(RulesFormatException.class, () -> parse("# header\n" + GOOD + "\n\n" + badLine + "\n"));
        assertEquals(4, e.line());
        assertEquals("test.tsv", e.source());
        return e.getMessage();
    }

    @Test
    void theShippedReferenceHasEveryRowOfTheSpecInOrder() {
        final List<String> ids = new ArrayList<>();
        PortReference.load().rows().forEach(r -> ids.add(r.id()));
        final List<String> spec = new ArrayList<>(List.of("T1.1", "T2.1", "T2.2", "T2.3", "T2.4", "T2.5", "T2.6", "T2.7",
                "T3.1", "T3.2", "T3.3", "T3.4", "T3.5"));
        for (int i = 1; i <= 18; i++) {
            spec.add("T4." + i);
        }
        spec.addAll(List.of("T5.1", "T5.2", "X.TURN443"));
        assertEquals(spec, ids);
    }

    @Test
    void rowsKeepWhatTheSpecSays() {
        final PortReference ref = PortReference.load();
        final ReferenceRow t31 = ref.row("T3.1");
        assertEquals(Role.EXPC.bit(), t31.openerRoles());
        assertEquals(Role.EXPE_PRIVATE.bit(), t31.responderRoles());
        assertEquals(AppProto.bit(AppProto.SSH) | AppProto.bit(AppProto.TLS), t31.payload());
        final ReferenceRow t26 = ref.row("T2.6");
        assertTrue(t26.openerAny());
        assertEquals("ANY", t26.openerLabel());
        assertEquals("EXPE", t26.responderLabel());
        assertEquals("${turn-ports}", t26.respPortText());
        assertEquals(ReferenceRow.TCP_BIT | ReferenceRow.UDP_BIT, ref.row("T3.5").transports());
        assertEquals("CLOUD fos-a.wbx2.com", ref.row("T5.1").responderLabel());
        assertTrue(ref.row("T1.1").ice());
        assertTrue(ref.row("T4.3").sipCleartextNotRecommended());
        assertEquals("turn-tcp-443", ref.row("X.TURN443").when());
        assertEquals(-1, ref.indexOf("T9.9"));
    }

    @Test
    void aGoodLineParses() throws Exception {
        final PortReference r = parse(GOOD + "\n" + "T9.2\ty\tANY\t>=1024|eph\tTCP+UDP\tEXPE|UCM\t${media-range}|443\t*\tice;when=turn-tcp-443\n");
        assertEquals(2, r.rows().size());
        assertEquals(Role.EXPE_MASK | Role.UCM.bit(), r.row("T9.2").responderRoles());
        assertEquals("443|36000-59999", r.row("T9.2").responderPorts(Settings.defaults()).toString());
    }

    @Test
    void addingADocumentedFlowIsAddingALine() throws Exception {
        final StringBuilder tsv = new StringBuilder();
        try (var in = PortReference.class.getResourceAsStream(PortReference.RESOURCE)) {
            tsv.append(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
        final FlowFacts f = Flows.tcp(ReferenceFlows.EXPC, 30500, ReferenceFlows.UCM, 8080);
        final ClassifierResult v = new ClassifierResult();
        new Classifier(PortReference.parse(new StringReader(tsv.toString()), "shipped").compile(Settings.defaults()),
                ReferenceFlows.topology()).classify(f, v);
        assertTrue(v.has(FindingCode.UNDOCUMENTED));
        tsv.append("L.1\tlocal UCM admin\tEXPC\t30000-35999\tTCP\tUCM\t8080\tHTTP|TLS\t-\tsite addition\n");
        final PortReference extended = PortReference.parse(new StringReader(tsv.toString()), "extended");
        new Classifier(extended.compile(Settings.defaults()), ReferenceFlows.topology()).classify(f, v);
        assertEquals("L.1", extended.rows().get(v.row).id());
        assertEquals(0L, v.findings);
    }

    @Test
    void eachKindOfBadLineIsReportedWithItsLineNumber() {
        assertTrue(error("T9.2\tx\tEXPC").contains("test.tsv:4: expected 10 tab-separated columns"));
        assertTrue(error(GOOD.replace("T9.1", "T9.2").replace("EXPC", "EXPX")).contains("test.tsv:4: opener_role 'EXPX': expected ANY, EXPE,"
                + " CLOUD or one of OFFPREM, EXPE_PUBLIC"));
        assertTrue(error(GOOD.replace("T9.1", "T9.2").replace("8443", "84430")).contains("responder_ports '84430': port 84430 is outside"));
        assertTrue(error(GOOD.replace("T9.1", "T9.2").replace("8443", "${media}")).contains("unknown port setting '${media}'"));
        assertTrue(error(GOOD.replace("T9.1", "T9.2").replace("30000-35999", "high")).contains("opener_ports 'high'"));
        assertTrue(error(GOOD.replace("T9.1", "T9.2").replace("\tTLS\tUCM", "\tSCTP\tUCM")).contains("proto 'SCTP': expected TLS, TCP, UDP or TCP+UDP"));
        assertTrue(error(GOOD.replace("T9.1", "T9.2").replace("\tTLS\t-", "\tQUIC\t-")).contains("unknown payload protocol 'QUIC'"));
        assertTrue(error(GOOD.replace("T9.1", "T9.2").replace("\t-\t", "\tfast\t")).contains("flag 'fast': expected ice, sni=HOST"));
        assertTrue(error(GOOD).contains("test.tsv:4: row id T9.1 appears twice"));
        assertTrue(error(GOOD.replace("T9.1", "T9.2").replace("\tUCM\t", "\tCLOUD\t")).contains("responder CLOUD needs the flag sni=HOST"));
        assertTrue(error(GOOD.replace("T9.1", "T9.2").replace("\tEXPC\t", "\tCLOUD\t")).contains("CLOUD can only be a responder"));
        assertTrue(error(GOOD.replace("T9.1", "T9 2")).contains("id 'T9 2'"));
    }
}
