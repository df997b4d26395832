package io.mraflow.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopologyFileTest {
    private static final String GOOD = String.join("\n",
            "# lab deployment",
            "profile x8-legacy",
            "size large",
            "zones 2          # two traversal zones",
            "",
            "EXPE_PUBLIC  203.0.113.5",
            "EXPE_PRIVATE 203.0.113.5",
            "expc 10.0.0.5",
            "UCM 10.0.1.10 10.0.1.11",
            "ONPREM_MEDIA 10.20.0.0/16",
            "IMP 2001:db8::20",
            "");

    private static TopologyFile parse(String text) throws Exception {
        return TopologyFile.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "lab.topology");
    }

    private static int roles(Topology t, String addr) {
        final long[] a = new long[2];
        AddressBlock.parseAddress(addr, a);
        return t.roles(a[0], a[1]);
    }

    @Test
    void aGoodFileGivesRolesAndSettings(@TempDir Path dir) throws Exception {
        final Path file = dir.resolve("lab.topology");
        Files.writeString(file, GOOD);
        final TopologyFile tf = TopologyFile.parse(file);
        final Topology t = tf.topology();
        assertEquals(Role.EXPE_MASK, roles(t, "203.0.113.5"));
        assertEquals(Role.EXPC.bit(), roles(t, "10.0.0.5"));
        assertEquals(Role.UCM.bit(), roles(t, "10.0.1.11"));
        assertEquals(Role.ONPREM_MEDIA.bit(), roles(t, "10.20.9.9"));
        assertEquals(Role.IMP.bit(), roles(t, "2001:db8::20"));
        assertEquals(false, t.inferred());
        assertEquals(Settings.profile("x8-legacy").with("size", "large").with("zones", "2"), tf.settings());
    }

    @Test
    void writeRendersWhatParseReads() throws Exception {
        final TopologyFile tf = parse(GOOD);
        final String text = TopologyFile.write(tf.topology(), tf.settings());
        final TopologyFile again = parse(text);
        assertEquals(tf.settings(), again.settings());
        assertEquals(tf.topology().entries(), again.topology().entries());
        assertTrue(text.contains("\nmedia-range 36002-59999\n"), text);
        assertTrue(text.contains("\nEXPE_PRIVATE 203.0.113.5\n"), text);
        assertTrue(text.contains("\nONPREM_MEDIA 10.20.0.0/16\n"), text);
    }

    private static RulesFormatException error(String line) {
        return assertThrows(RulesFormatException.class, () -> parse("# ok\nEXPC 10.0.0.5\n" + line + "\n"));
    }

    @Test
    void eachKindOfBadLineNamesFileLineAndWhatWasExpected() {
        RulesFormatException e = error("EXPRESSWAY 10.0.0.1");
        assertEquals(3, e.line());
        assertEquals("lab.topology:3: 'EXPRESSWAY' is neither a role (OFFPREM, EXPE_PUBLIC, EXPE_PRIVATE, EXPC, UCM, IMP, CUC,"
                + " ONPREM_MEDIA) nor a setting (size, media-range, turn-relay-range, traversal-media, onprem-media-range, zones,"
                + " turn-tcp-443, profile)", e.getMessage());
        e = error("UCM");
        assertEquals("lab.topology:3: role UCM needs an address or CIDR block: UCM ADDRESS_OR_CIDR", e.getMessage());
        e = error("UCM 10.0.1.300");
        assertTrue(e.getMessage().startsWith("lab.topology:3: '10.0.1.300' is not an IPv4 or IPv6 address"), e.getMessage());
        e = error("UCM 10.0.1.0/40");
        assertEquals("lab.topology:3: '10.0.1.0/40': prefix length must be 0..32", e.getMessage());
        e = error("size enormous");
        assertEquals("lab.topology:3: size 'enormous': expected small, medium or large", e.getMessage());
        e = error("media-range 36000 59999");
        assertEquals("lab.topology:3: setting 'media-range' takes one value: media-range VALUE", e.getMessage());
        e = error("profile x7");
        assertTrue(e.getMessage().startsWith("lab.topology:3: unknown profile 'x7', expected one of default,"), e.getMessage());
        e = error("zones many");
        assertEquals("lab.topology:3: zones 'many': expected a number of traversal zones, 1..100", e.getMessage());
    }

    @Test
    void inferredTopologiesAreWrittenWithTheirEvidence() throws Exception {
        final Topology t = Topology.builder().inferred(true)
                .add(Role.EXPC, AddressBlock.parse("10.0.0.5"), List.of("opened TCP to traversal SIP port 7001 (T3.2)")).build();
        final String text = TopologyFile.write(t, Settings.defaults());
        assertTrue(text.startsWith("# mraflow topology, roles inferred from the traffic: confirm or correct\n"), text);
        assertTrue(text.contains("\n# opened TCP to traversal SIP port 7001 (T3.2)\nEXPC 10.0.0.5\n"), text);
        assertEquals(Role.EXPC.bit(), roles(parse(text).topology(), "10.0.0.5"));
    }
}
