package io.mraflow.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TopologyTest {
    private static int roles(Topology t, String addr) {
        final long[] a = new long[2];
        AddressBlock.parseAddress(addr, a);
        return t.roles(a[0], a[1]);
    }

    @Test
    void longestPrefixWinsAndRolesOfOneBlockAddUp() {
        final Topology t = Topology.builder()
                .add(Role.ONPREM_MEDIA, "10.0.0.0/8").add(Role.EXPC, "10.0.0.5").add(Role.UCM, "10.0.1.0/24")
                .add(Role.EXPE_PUBLIC, "203.0.113.5").add(Role.EXPE_PRIVATE, "203.0.113.5")
                .add(Role.EXPE_PUBLIC, "2001:db8:1::/48").add(Role.CUC, "2001:db8:1:2::/64").build();
        assertEquals(Role.EXPC.bit(), roles(t, "10.0.0.5"));
        assertEquals(Role.ONPREM_MEDIA.bit(), roles(t, "10.0.0.6"));
        assertEquals(Role.UCM.bit(), roles(t, "10.0.1.77"));
        assertEquals(Role.EXPE_MASK, roles(t, "203.0.113.5"));
        assertEquals(Role.OFFPREM.bit(), roles(t, "203.0.113.6"));
        assertEquals(Role.OFFPREM.bit(), roles(t, "11.0.0.1"));
        assertEquals(Role.EXPE_PUBLIC.bit(), roles(t, "2001:db8:1:3::1"));
        assertEquals(Role.CUC.bit(), roles(t, "2001:db8:1:2::99"));
        assertEquals(Role.OFFPREM.bit(), roles(t, "2001:db8:2::1"));
        assertEquals(Role.OFFPREM.bit(), roles(t, "::ffff:11.0.0.1"));
        assertEquals(Role.EXPC.bit(), roles(t, "::ffff:10.0.0.5")); // the mapped form is the same address
    }

    @Test
    void anEmptyTopologyIsAllOffPremises() {
        assertEquals(Role.OFFPREM.bit(), roles(Topology.empty(), "10.0.0.5"));
    }

    @Test
    void defaultRouteAndManyEntries() {
        final Topology.Builder b = Topology.builder().add(Role.ONPREM_MEDIA, "0.0.0.0/0");
        for (int i = 0; i < 1000; i++) {
            b.add(Role.UCM, "10.1." + (i / 250) + "." + (i % 250));
        }
        final Topology t = b.build();
        assertEquals(Role.UCM.bit(), roles(t, "10.1.3.249"));
        assertEquals(Role.ONPREM_MEDIA.bit(), roles(t, "10.1.4.0"));
        assertEquals(Role.OFFPREM.bit(), roles(t, "2001:db8::1")); // ::/0 would be needed for IPv6
    }

    @Test
    void addressesParseAndPrint() {
        assertEquals("10.0.0.0/8", AddressBlock.parse("10.1.2.3/8").toString());
        assertEquals("2001:db8::/32", AddressBlock.parse("2001:DB8:0:0::1/32").toString());
        assertEquals("2001:db8::1", AddressBlock.parse("2001:db8::1").toString());
        assertEquals("198.51.100.7", AddressBlock.parse("::ffff:198.51.100.7").toString());
        assertThrows(IllegalArgumentException.class, () -> AddressBlock.parse("10.0.0.256"));
        assertThrows(IllegalArgumentException.class, () -> AddressBlock.parse("10.0.0.1/33"));
        assertThrows(IllegalArgumentException.class, () -> AddressBlock.parse("expe.example.com"));
        assertThrows(IllegalArgumentException.class, () -> AddressBlock.parse("fe80::1%eth0"));
    }
}
