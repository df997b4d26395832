package io.mraflow.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mraflow.flow.TestPackets.Sink;
import io.mraflow.report.CommunityId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Community ID v1 against the spec's published baselines: corelight/community-id-spec,
 * baseline/baseline_deflt.json (seed 0) and baseline/baseline_seed1.json (seed 1). Each vector
 * is tested in both directions, which must give the same ID.
 */
class CommunityIdTest {

    @ParameterizedTest(name = "seed {0} proto {1} {2}:{3} -> {4}:{5}")
    @CsvSource({
        // baseline_deflt.json
        "0, 6, 128.232.110.120, 34855, 66.35.250.204, 80, 1:LQU9qZlK+B5F3KDmev6m5PMibrg=",
        "0, 17, 192.168.1.52, 54585, 8.8.8.8, 53, 1:d/FP5EW3wiY1vCndhwleRRKHowQ=",
        "0, 6, 2001:470:e5bf:dead:4957:2174:e82c:4887, 63943, 2607:f8b0:400c:c03::1a, 25, 1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=",
        "0, 132, 192.168.170.8, 7, 192.168.170.56, 7, 1:MP2EtRCAUIZvTw6MxJHLV7N7JDs=",
        // baseline_seed1.json
        "1, 6, 128.232.110.120, 34855, 66.35.250.204, 80, 1:3V71V58M3Ksw/yuFALMcW0LAHvc=",
        "1, 17, 192.168.1.52, 54585, 8.8.8.8, 53, 1:Q9We8WO3piVF8yEQBNJF4uiSVrI=",
        "1, 6, 2001:470:e5bf:dead:4957:2174:e82c:4887, 63943, 2607:f8b0:400c:c03::1a, 25, 1:eJYTW6AOzFLlSUoESovMjnu7rMw=",
    })
    void matchesTheSpecBaselineBothWays(int seed, int proto, String src, int srcPort, String dst,
                                        int dstPort, String expected) {
        final CommunityId id = new CommunityId(seed);
        final long[] s = TestPackets.addr(src);
        final long[] d = TestPackets.addr(dst);
        final int version = src.contains(":") ? 6 : 4;
        assertEquals(expected, id.of(version, proto, s[0], s[1], srcPort, d[0], d[1], dstPort, true));
        assertEquals(expected, id.of(version, proto, d[0], d[1], dstPort, s[0], s[1], srcPort, true));
    }

    @Test
    void protocolWithoutPortsHashesAddressesOnly() {
        // baseline_deflt.json, proto 46 (RSVP), "sport": null
        final long[] a = TestPackets.addr("10.1.12.1");
        final long[] b = TestPackets.addr("10.1.12.2");
        assertEquals("1:KHlLkgoJW7ifUTyTSgyVfkFHzKw=",
                new CommunityId().of(4, 46, b[0], b[1], 0, a[0], a[1], 0, false));
    }

    @Test
    void computedFromAFlowRecord() {
        final Sink sink = new Sink();
        final FlowTable table = new FlowTable(FlowTableConfig.defaults(), sink);
        final long[] server = TestPackets.addr("66.35.250.204");
        final long[] client = TestPackets.addr("128.232.110.120");
        final var t = new TestPackets.Tcp(table, client[1], 34855, server[1], 80, 1, 2);
        t.c(TestPackets.SYN, 0);
        table.flushAll();
        assertEquals("1:LQU9qZlK+B5F3KDmev6m5PMibrg=", new CommunityId().of(sink.flows.get(0)));
    }
}
