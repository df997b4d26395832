package io.mraflow.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SettingsTest {
    private static final PortReference REFERENCE = PortReference.load();

    private static String ports(Settings s, String rowId, boolean responder) {
        final CompiledReference c = REFERENCE.compile(s);
        final int i = REFERENCE.indexOf(rowId);
        return (responder ? c.responderPorts(i) : c.openerPorts(i)).toString();
    }

    @Test
    void theShippedProfilesAreListed() {
        assertEquals(List.of("default", "x8-legacy", "upgraded-50000", "large"), Settings.profileNames());
        assertEquals(Settings.defaults(), Settings.profile("default"));
    }

    @Test
    void anUnknownProfileNamesTheValidOnes() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Settings.profile("x9"));
        assertEquals("unknown profile 'x9', expected one of default, x8-legacy, upgraded-50000, large", e.getMessage());
    }

    @Test
    void profilesChangeTheCompiledRanges() {
        final Settings d = Settings.defaults();
        assertEquals("36000-59999", ports(d, "T2.3", true));
        assertEquals("2776-2777|36000-36011", ports(d, "T3.3", true));
        assertEquals("3478", ports(d, "T2.6", true));
        assertEquals("3478", ports(d, "T3.5", true));
        assertEquals("7001", ports(d, "T3.2", true));

        final Settings x8 = Settings.profile("x8-legacy");
        assertEquals("36002-59999", ports(x8, "T2.3", true));
        assertEquals("36002-59999", ports(x8, "T2.4", false));
        assertEquals("36000-36001", ports(x8, "T3.3", true));

        final Settings up = Settings.profile("upgraded-50000");
        assertEquals("50000-54999", ports(up, "T2.3", true));
        assertEquals("50000-54999", ports(up, "T4.18", false));
        assertEquals("50000-50001", ports(up, "T3.3", true));

        final Settings large = Settings.profile("large");
        assertEquals(Settings.Size.LARGE, large.size());
        assertEquals("3478-3483", ports(large, "T2.6", true));
        assertEquals("3478-3483", ports(large, "T3.5", true));
        assertEquals("36000-59999", ports(large, "T2.3", true));
    }

    @Test
    void overridesUseTheTopologyFileKeys() {
        final Settings s = Settings.profile("x8-legacy").with("zones", "3").with("onprem-media-range", "2000-2999,16384-32767")
                .with("turn-relay-range", "24000-24999").with("size", "Medium");
        assertEquals("7001-7003", ports(s, "T3.2", true));
        assertEquals("2000-2999|16384-32767", ports(s, "T4.18", true));
        assertEquals("24000-24999", ports(s, "T2.7", true));
        assertEquals("36000-36001", ports(s, "T3.3", true)); // the profile's value survives other overrides
        assertEquals(Settings.defaults(), s.with("profile", "default"));
    }

    @Test
    void badSettingsSayWhatWasExpected() {
        final Settings d = Settings.defaults();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.with("media", "1-2")).getMessage()
                .contains("expected one of size, media-range, turn-relay-range, traversal-media, onprem-media-range, zones, turn-tcp-443, profile"));
        assertEquals("size 'huge': expected small, medium or large",
                assertThrows(IllegalArgumentException.class, () -> d.with("size", "huge")).getMessage());
        assertEquals("media-range '60000-50000': port range 60000-50000 is empty (low > high)",
                assertThrows(IllegalArgumentException.class, () -> d.with("media-range", "60000-50000")).getMessage());
        assertEquals("media-range '70000': port 70000 is outside 0..65535",
                assertThrows(IllegalArgumentException.class, () -> d.with("media-range", "70000")).getMessage());
        assertEquals("zones 0: expected a number of traversal zones, 1..100",
                assertThrows(IllegalArgumentException.class, () -> d.with("zones", "0")).getMessage());
        assertEquals("turn-tcp-443 'yes': expected true or false",
                assertThrows(IllegalArgumentException.class, () -> d.with("turn-tcp-443", "yes")).getMessage());
    }

    @Test
    void severityParseNamesTheAcceptedValues() {
        assertEquals(Severity.HIGH, Severity.parse("High"));
        assertEquals("unknown severity 'urgent', expected one of info, low, medium, high",
                assertThrows(IllegalArgumentException.class, () -> Severity.parse("urgent")).getMessage());
    }
}
