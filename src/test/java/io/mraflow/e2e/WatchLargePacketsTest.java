package io.mraflow.e2e;

import static io.mraflow.e2e.WatchProcess.iface;
import static io.mraflow.e2e.WatchProcess.number;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Loopback carries frames of up to 65,549 bytes (MTU 65536), more than a 64 KiB batch: a UDP
 * datagram of 65,507 bytes (the IPv4 maximum) and a 4 MiB TCP transfer (64 KiB segments) on the
 * loopback of a namespace of our own (no one else's traffic) must not stop {@code watch -i lo}: the
 * datagram is a flow of 65,535 IP bytes, the interface stays up, exit 0 after SIGTERM. (Before the
 * fix the first such frame ended the capture: "lo stopped: batch buffer of 65520 bytes cannot hold
 * the next record".) With one worker the frames go through its ring, with two through the
 * capture thread's slabs ({@code PacketRouter}).
 */
@Tag("slow") // network namespaces and child JVMs
@SuppressWarnings("try") // close() waits for a child process; an interrupt there is the test runner's to see
class WatchLargePacketsTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    @Timeout(180)
    void framesLargerThanABatchDoNotStopTheCapture(final int workers) throws Exception {
        try (NetNs net = NetNs.create('l', 1500, null, null)) {
            final List<Map<String, Object>> events;
            try (WatchProcess watch = WatchProcess.start(tmp, NetNs.in(net.e), List.of("-Xmx256m"),
                    "watch", "-i", "lo", "--stats-every", "1", "--sensor", "large", "--workers", String.valueOf(workers));
                 LiveAgent.Remote e = new LiveAgent.Remote(NetNs.in(net.e))) {
                e.call("listen-tcp 127.0.0.1 5000");
                assertEquals("ok sent 1", e.call("udp 127.0.0.1 20001 127.0.0.1 9999 1 65507"));
                assertEquals("ok connected", e.call("tcp 127.0.0.1 20002 127.0.0.1 5000 bulk"));
                // then small datagrams once the burst has had a second to drain from the kernel's
                // capture buffer (the bulk transfer may overflow it: dropped_by_kernel, not a failure)
                Thread.sleep(1_000);
                assertEquals("ok sent 3", e.call("udp 127.0.0.1 20003 127.0.0.1 9999 3"));
                Thread.sleep(2_000);
                final int exit = watch.stop(Duration.ofSeconds(60));
                events = watch.events();
                assertFalse(watch.stderr().contains("stopped"), watch.stderr());
                assertEquals(0, exit, watch.stderr());
            }
            Map<String, Object> big = null;
            boolean bulk = false;
            boolean after = false;
            for (Map<String, Object> ev : events) {
                assertTrue(!"interface".equals(ev.get("event_type")), "the interface failed: " + ev);
                if ("flow".equals(ev.get("event_type"))) {
                    switch (String.valueOf(ev.get("orig_p"))) {
                        case "20001" -> big = ev;
                        case "20002" -> bulk = true;
                        case "20003" -> after = true;
                        default -> {
                        }
                    }
                }
            }
            assertTrue(big != null && "65535".equals(big.get("orig_ip_bytes")), "the 65,507-byte datagram: " + big);
            assertTrue(bulk, "the TCP transfer is a flow");
            final Map<String, Object> lo = iface(events.get(events.size() - 1), "lo");
            assertTrue(after, "the capture went on after them: " + lo);
            assertEquals("true", lo.get("up"), lo.toString());
            assertTrue(number(lo, "packets") > 0, lo.toString());
        }
    }
}
