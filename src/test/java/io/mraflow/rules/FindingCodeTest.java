package io.mraflow.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FindingCodeTest {
    @Test
    void everyCodeHasAUniqueStableNumberAndFitsTheBitmask() {
        final Set<Integer> numbers = new HashSet<>();
        for (FindingCode c : FindingCode.values()) {
            assertTrue(numbers.add(c.number()), c.name());
            assertTrue(c.template().length() > 20, c.name());
        }
        assertTrue(FindingCode.COUNT <= 64);
        assertEquals(Set.of("UNDOCUMENTED", "WRONG_DIRECTION", "SOURCE_PORT_OUTSIDE_RANGE", "PROTOCOL_MISMATCH", "NOT_RECOMMENDED",
                "TCP_UNANSWERED", "TCP_RESET", "ICMP_UNREACHABLE", "TLS_ALERT", "ONE_WAY_MEDIA", "RTP_LOSS", "RTP_JITTER",
                "CISCO_UDS_OUTSIDE"),
                new HashSet<>(java.util.Arrays.stream(FindingCode.values()).map(Enum::name).toList()));
    }

    @Test
    void theReadmeTableListsEveryCode() {
        final String table = FindingCode.markdownTable();
        for (FindingCode c : FindingCode.values()) {
            assertTrue(table.contains("| `" + c.name() + "` | " + c.number() + " | " + c.severity().label() + " | "), c.name());
        }
    }

    @Test
    void renderFillsNamedValues() {
        assertEquals("EXPE 172.16.0.5:31000 opened TCP towards EXPC 10.0.0.5:7001: no row of the MRA port reference fits this flow",
                FindingCode.UNDOCUMENTED.render(n -> switch (n) {
                    case "opener" -> "EXPE 172.16.0.5";
                    case "openerPort" -> "31000";
                    case "proto" -> "TCP";
                    case "responder" -> "EXPC 10.0.0.5";
                    case "respPort" -> "7001";
                    default -> null;
                }));
        assertEquals("unknown finding code 'NOPE', expected one of UNDOCUMENTED, WRONG_DIRECTION, SOURCE_PORT_OUTSIDE_RANGE,"
                + " PROTOCOL_MISMATCH, NOT_RECOMMENDED, TCP_UNANSWERED, TCP_RESET, ICMP_UNREACHABLE, TLS_ALERT, ONE_WAY_MEDIA,"
                + " RTP_LOSS, RTP_JITTER, CISCO_UDS_OUTSIDE", assertThrows(IllegalArgumentException.class, () -> FindingCode.parse("NOPE")).getMessage());
    }
}
