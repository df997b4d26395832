package io.mraflow.rules;

import io.mraflow.inspect.AppProto;
import static io.mraflow.rules.Flows.tcp;
import static io.mraflow.rules.Flows.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AllowListTest {
    private static final PortReference REF = PortReference.load();

    private static AllowList parse(String text) throws Exception {
        return AllowList.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "allow.txt", REF);
    }

    @Test
    void rulesMatchOnEveryConditionTheyName(@TempDir Path dir) throws Exception {
        final Path file = dir.resolve("allow.txt");
        Files.writeString(file, String.join("\n",
                "# site exceptions",
                "allow code=UNDOCUMENTED resp_port=5070 proto=udp   # lab SIP proxy",
                "allow code=SOURCE_PORT_OUTSIDE_RANGE row=T2.2",
                "allow code=NOT_RECOMMENDED orig=10.0.1.0/24",
                "allow addr=2001:db8::/32 port=9000-9100",
                ""));
        final AllowList a = AllowList.parse(file, REF);
        assertEquals(4, a.size());
        assertTrue(a.allows(udp("198.51.100.7", 40000, "203.0.113.5", 5070), FindingCode.UNDOCUMENTED));
        assertFalse(a.allows(tcp("198.51.100.7", 40000, "203.0.113.5", 5070), FindingCode.UNDOCUMENTED));
        assertFalse(a.allows(udp("198.51.100.7", 40000, "203.0.113.5", 5070), FindingCode.WRONG_DIRECTION));
        final int t22 = REF.indexOf("T2.2");
        assertTrue(a.allows(tcp("198.51.100.7", 500, "203.0.113.5", 5061), FindingCode.SOURCE_PORT_OUTSIDE_RANGE, t22));
        assertFalse(a.allows(tcp("198.51.100.7", 500, "203.0.113.5", 5061), FindingCode.SOURCE_PORT_OUTSIDE_RANGE));
        assertTrue(a.allows(tcp("10.0.1.20", 45000, "10.0.1.10", 5060), FindingCode.NOT_RECOMMENDED));
        assertFalse(a.allows(tcp("10.0.2.20", 45000, "10.0.1.10", 5060), FindingCode.NOT_RECOMMENDED));
        assertTrue(a.allows(udp("2001:db8::7", 9050, "2001:db9::1", 40000), FindingCode.ONE_WAY_MEDIA));
        assertTrue(a.allows(udp("2001:db9::7", 40000, "2001:db8::1", 9100), FindingCode.UNDOCUMENTED));
        assertFalse(a.allows(udp("2001:db9::7", 40000, "2001:db8::1", 9101), FindingCode.UNDOCUMENTED));
    }

    @Test
    void applyToWithdrawsAllowedFindingsFromAVerdict() throws Exception {
        final AllowList a = parse("allow code=NOT_RECOMMENDED row=T4.1\n");
        final FlowFacts f = tcp(ReferenceFlows.IMP, 45000, ReferenceFlows.UCM, 5060);
        f.appProto = AppProto.SIP;
        final ClassifierResult v = new ClassifierResult();
        new Classifier(REF.compile(Settings.defaults()), ReferenceFlows.topology()).classify(f, v);
        assertTrue(v.has(FindingCode.NOT_RECOMMENDED));
        assertEquals(1, a.applyTo(f, v));
        assertFalse(v.has(FindingCode.NOT_RECOMMENDED));
        assertTrue(v.has(FindingCode.UNDOCUMENTED));
    }

    @Test
    void badLinesAreReportedWithTheirLineNumbers() {
        final String[][] cases = {
            {"permit code=UNDOCUMENTED", "allow.txt:2: expected a line 'allow key=value ...', found 'permit'"},
            {"allow", "allow.txt:2: 'allow' needs at least one condition"},
            {"allow code=*", "allow.txt:2: this rule would allow every finding on every flow: add a condition"},
            {"allow code=UNDOCUMENTD", "allow.txt:2: unknown finding code 'UNDOCUMENTD', expected one of UNDOCUMENTED,"},
            {"allow row=T9.9", "allow.txt:2: row 'T9.9' is not in the port reference"},
            {"allow resp=10.0.0.0/99", "allow.txt:2: '10.0.0.0/99': prefix length must be 0..32"},
            {"allow resp_port=5060-", "allow.txt:2: '5060-' is not a port or port range"},
            {"allow proto=sctp", "allow.txt:2: proto 'sctp': expected tcp or udp"},
            {"allow colour=red", "allow.txt:2: unknown key 'colour'"},
            {"allow 5070", "allow.txt:2: '5070': expected key=value"},
        };
        for (String[] c : cases) {
            final RulesFormatException e = assertThrows(RulesFormatException.class, () -> parse("# x\n" + c[0] + "\n"));
            assertEquals(2, e.line());
            assertTrue(e.getMessage().startsWith(c[1]), e.getMessage());
        }
    }
}
