package io.mraflow.e2e;

import static io.mraflow.e2e.WatchProcess.iface;
import static io.mraflow.e2e.WatchProcess.number;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code watch} on a real interface with real traffic: two network namespaces joined by a veth
 * pair, the Expressway-E's private side (E, 10.231.0.1) and the Expressway-C (C, 10.231.0.2), named
 * so by a topology file. watch runs inside E on its end of the pair; sockets in both namespaces
 * ({@link LiveAgent}) make three documented flows (T3.2 traversal SIP from C:25010 to E:7001 with
 * a TLS ClientHello, T3.1 from C:30010 to E:2222, T3.3 RTP both ways between C:36100 and E:36002)
 * and three that are not (TCP to E:23 where nothing listens, UDP to E:9999, and E opening TCP
 * towards C:7001). It checks the finding events (UNDOCUMENTED, WRONG_DIRECTION; none for the
 * documented flows), the metrics page fetched over HTTP inside E, and after SIGTERM: exit 0, a
 * last stats event, and exactly the six flows sent as flow events.
 */
@Tag("slow") // network namespaces and child JVMs
@SuppressWarnings("try") // close() waits for a child process; an interrupt there is the test runner's to see
class WatchNamespacesTest {
    static final String IP_E = "10.231.0.1";
    static final String IP_C = "10.231.0.2";

    @TempDir
    Path tmp;

    private static String key(final String proto, final String oh, final Object op, final String rh, final Object rp) {
        return proto + " " + oh + ":" + op + " > " + rh + ":" + rp;
    }

    private static String key(final Map<String, Object> e) {
        return key(String.valueOf(e.get("proto")), String.valueOf(e.get("orig_h")), e.get("orig_p"),
                String.valueOf(e.get("resp_h")), e.get("resp_p"));
    }

    @Test
    @Timeout(240)
    void documentedFlowsPassTheOthersRaiseFindingsAndEveryFlowIsReported() throws Exception {
        final String t32 = key("tcp", IP_C, 25010, IP_E, 7001);
        final String t31 = key("tcp", IP_C, 30010, IP_E, 2222);
        final String t33 = key("udp", IP_C, 36100, IP_E, 36002);
        final String telnet = key("tcp", IP_C, 20023, IP_E, 23);
        final String udp9999 = key("udp", IP_C, 20999, IP_E, 9999);
        final String wrongWay = key("tcp", IP_E, 45001, IP_C, 7001);
        final Map<String, String> expectedFinding = Map.of(telnet, "UNDOCUMENTED", udp9999, "UNDOCUMENTED",
                wrongWay, "WRONG_DIRECTION");
        final Map<String, String> expectedRow = Map.of(t32, "T3.2", t31, "T3.1", t33, "T3.3");

        try (NetNs net = NetNs.create('w', 1500, IP_E, IP_C)) {
            final Path topology = tmp.resolve("lab.topology");
            Files.writeString(topology, "# the namespaces of WatchNamespacesTest\nEXPE_PRIVATE " + IP_E + "\nEXPC " + IP_C + "\n");
            final int exit;
            final Map<String, Double> metrics;
            final List<Map<String, Object>> events;
            try (WatchProcess watch = WatchProcess.start(tmp, NetNs.in(net.e), List.of("-Xmx256m", "-XX:+UseParallelGC"),
                    "watch", "-i", net.e, "--topology", topology.toString(), "--stats-every", "1",
                    "--metrics-port", "0", "--sensor", "test");
                 LiveAgent.Remote e = new LiveAgent.Remote(NetNs.in(net.e));
                 LiveAgent.Remote c = new LiveAgent.Remote(NetNs.in(net.c))) {
                e.call("listen-tcp " + IP_E + " 7001");
                e.call("listen-tcp " + IP_E + " 2222");
                e.call("rtp-echo " + IP_E + " 36002");
                c.call("listen-tcp " + IP_C + " 7001");

                assertEquals("ok connected", c.call("tcp " + IP_C + " 25010 " + IP_E + " 7001 tls"));
                assertEquals("ok connected", c.call("tcp " + IP_C + " 30010 " + IP_E + " 2222 none"));
                assertEquals("ok sent 20 received 20", c.call("rtp " + IP_C + " 36100 " + IP_E + " 36002 20"));
                assertEquals("ok refused", c.call("tcp " + IP_C + " 20023 " + IP_E + " 23 none"));
                assertEquals("ok sent 3", c.call("udp " + IP_C + " 20999 " + IP_E + " 9999 3"));
                assertEquals("ok connected", e.call("tcp " + IP_E + " 45001 " + IP_C + " 7001 none"));

                // The closed TCP flows end 5 s after their last packet, by the wall clock: the
                // metrics then count them by row. Fetched over HTTP from inside E (the default
                // bind is E's 127.0.0.1).
                final String url = "http://127.0.0.1:" + watch.metricsPort() + "/metrics";
                final Path page = tmp.resolve("metrics.txt");
                final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                Map<String, Double> m;
                do {
                    Thread.sleep(500);
                    assertEquals("ok 200", e.call("get " + url + " " + page));
                    m = WatchProcess.metrics(Files.readString(page, StandardCharsets.UTF_8));
                } while (!(m.getOrDefault("mraflow_flows_total{row=\"T3.2\"}", 0.0) >= 1
                        && m.getOrDefault("mraflow_flows_total{row=\"T3.1\"}", 0.0) >= 1
                        && m.getOrDefault("mraflow_findings_total{code=\"WRONG_DIRECTION\",severity=\"high\"}", 0.0) >= 1
                        && m.getOrDefault("mraflow_findings_total{code=\"UNDOCUMENTED\",severity=\"medium\"}", 0.0) >= 2)
                        && System.nanoTime() < deadline);
                metrics = m;
                System.out.println("metrics: " + new TreeMap<>(metrics));

                exit = watch.stop(Duration.ofSeconds(60));
                events = watch.events();
                assertEquals(0, exit, "exit after SIGTERM; stderr: " + watch.stderr());
                System.out.println("agents:\n" + c + "\n" + e);
            }

            // metrics, as scraped before the stop
            final String vethLabel = "{iface=\"" + net.e + "\"}";
            assertTrue(metrics.getOrDefault("mraflow_packets_total" + vethLabel, 0.0) > 0, "packets: " + metrics);
            assertEquals(1.0, metrics.get("mraflow_flows_total{row=\"T3.2\"}"), "T3.2 flows ended: " + metrics);
            assertEquals(1.0, metrics.get("mraflow_flows_total{row=\"T3.1\"}"), "T3.1 flows ended: " + metrics);
            assertEquals(2.0, metrics.get("mraflow_findings_total{code=\"UNDOCUMENTED\",severity=\"medium\"}"), metrics.toString());
            assertEquals(1.0, metrics.get("mraflow_findings_total{code=\"WRONG_DIRECTION\",severity=\"high\"}"), metrics.toString());
            for (String where : List.of("kernel", "interface", "ring")) {
                assertEquals(0.0, metrics.get("mraflow_dropped_packets_total{iface=\"" + net.e + "\",where=\"" + where + "\"}"),
                        "drops " + where + ": " + metrics);
            }
            assertNotNull(metrics.get("mraflow_active_flows" + vethLabel), metrics.toString());
            assertEquals(0.0, metrics.get("mraflow_flows_evicted_total" + vethLabel), metrics.toString());

            // finding events: the three that do not belong, each with its code, and nothing else
            final Map<String, Set<String>> findings = new TreeMap<>();
            final List<String> flowKeys = new ArrayList<>();
            final Map<String, Map<String, Object>> flows = new TreeMap<>();
            for (Map<String, Object> ev : events) {
                assertEquals("test", ev.get("sensor"), ev.toString());
                switch (String.valueOf(ev.get("event_type"))) {
                    case "finding" -> {
                        assertEquals(net.e, ev.get("iface"), ev.toString());
                        @SuppressWarnings("unchecked")
                        final Map<String, Object> f = (Map<String, Object>) ev.get("finding");
                        findings.computeIfAbsent(key(ev), k -> new TreeSet<>()).add(String.valueOf(f.get("code")));
                    }
                    case "flow" -> {
                        assertEquals(net.e, ev.get("iface"), ev.toString());
                        flowKeys.add(key(ev));
                        flows.put(key(ev), ev);
                    }
                    case "stats" -> {
                    }
                    default -> throw new AssertionError("unexpected event " + ev);
                }
            }
            System.out.println("findings: " + findings);
            assertEquals(expectedFinding.keySet(), findings.keySet(), "flows with finding events: " + findings);
            expectedFinding.forEach((k, code) -> assertTrue(findings.get(k).contains(code), k + " raised " + findings.get(k)));
            assertEquals(Set.of("UNDOCUMENTED", "TCP_RESET"), findings.get(telnet), "TCP 23, refused");
            assertEquals(Set.of("UNDOCUMENTED", "ICMP_UNREACHABLE"), findings.get(udp9999), "UDP 9999, port unreachable");

            // flow events: exactly the six flows sent, each once
            assertEquals(6, flowKeys.size(), "flow events: " + flowKeys);
            final Set<String> sent = new TreeSet<>(List.of(t32, t31, t33, telnet, udp9999, wrongWay));
            assertEquals(sent, flows.keySet(), "flows reported against flows sent");
            expectedRow.forEach((k, row) -> {
                assertEquals(row, flows.get(k).get("row"), k + ": " + flows.get(k));
                assertEquals(List.of(), flows.get(k).get("findings"), k + ": " + flows.get(k));
            });
            assertEquals("tls", flows.get(t32).get("app_proto"), flows.get(t32).toString());
            assertEquals("rtp", flows.get(t33).get("app_proto"), flows.get(t33).toString());
            assertEquals("20", flows.get(t33).get("orig_pkts"), flows.get(t33).toString());
            assertEquals("20", flows.get(t33).get("resp_pkts"), flows.get(t33).toString());
            assertEquals("shutdown", flows.get(t33).get("ended"), "UDP is still open at the stop");
            assertEquals("idle", flows.get(t32).get("ended"), "closed TCP ends by the wall clock");
            for (String k : List.of(t32, t31, wrongWay)) {
                assertEquals("SF", flows.get(k).get("conn_state"), k + " closed cleanly: " + flows.get(k));
            }

            // the last event is the last stats event, with libpcap's counters and every flow
            final Map<String, Object> last = events.get(events.size() - 1);
            assertEquals("stats", last.get("event_type"), "last event: " + last);
            assertTrue(events.stream().filter(ev -> "stats".equals(ev.get("event_type"))).count() >= 2,
                    "a stats event every second and one at the end");
            assertEquals(6, number(last, "flows"), last.toString());
            assertEquals(0, number(last, "active_flows"), last.toString());
            final Map<String, Object> veth = iface(last, net.e);
            assertEquals("true", veth.get("up"), veth.toString());
            assertTrue(number(veth, "packets") >= metrics.get("mraflow_packets_total" + vethLabel), veth.toString());
            assertNotNull(veth.get("libpcap_received"), "libpcap's counters in the last stats event: " + veth);
            assertEquals(0, number(veth, "dropped_by_kernel") + number(veth, "dropped_by_interface") + number(veth, "dropped_by_ring"),
                    veth.toString());
            @SuppressWarnings("unchecked")
            final Map<String, Object> byRow = (Map<String, Object>) last.get("flows_by_row");
            assertEquals("1", byRow.get("T3.1"), byRow.toString());
            assertEquals("1", byRow.get("T3.2"), byRow.toString());
            assertEquals("1", byRow.get("T3.3"), byRow.toString());
        }
    }
}
