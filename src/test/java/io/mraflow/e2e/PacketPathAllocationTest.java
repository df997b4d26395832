package io.mraflow.e2e;

import io.mraflow.capture.CaptureFiles;
import io.mraflow.capture.CapturedPacket;
import io.mraflow.capture.PacketSource;
import io.mraflow.decode.PacketDecoder;
import io.mraflow.decode.PacketView;
import io.mraflow.flow.FlowRecord;
import io.mraflow.flow.FlowTable;
import io.mraflow.flow.FlowTableConfig;
import io.mraflow.inspect.PayloadInspector;
import io.mraflow.pipeline.FlowStage;
import io.mraflow.testing.AllocationMeter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole per-packet path (libpcap read, decode, flow table with payload inspection, DNS
 * answers and STUN-then-media flows among them, as
 * analyze runs it) allocates nothing once the flows exist; classification runs once per flow, at
 * its end, so it is not on this path: a capture is replayed many times over the same table (same ISNs, so no connection is
 * reused and no flow ends), and the thread's allocation counter is read around the packet loops.
 */
class PacketPathAllocationTest {
    @ParameterizedTest
    @ValueSource(strings = {
            "pcaps/mra-sample.pcapng",
            "src/test/resources/captures/ndpi/stun_wa_call.pcapng",
            "src/test/resources/captures/ndpi/dns_fragmented.pcap",
            "src/test/resources/captures/ndpi/teams.pcap", // DNS answers, STUN then RTP
            "src/test/resources/captures/heplify/erspan_sip_ipv4_udp.pcapng"})
    void replayAllocatesNothingPerPacket(String capture) throws Exception {
        assertReplayAllocatesNothing(Path.of(capture));
    }

    /**
     * A call with late and reordered RTP, an SSRC change and RTCP reports ({@link RtpJitterTest});
     * replayed, its sources also restart (the same sequence numbers again, far back).
     */
    @Test
    void replayOfJitteryRtpWithSsrcChangesAndRtcpAllocatesNothingPerPacket(@TempDir Path tmp) throws Exception {
        final Path call = tmp.resolve("jitter.pcap");
        RtpJitterTest.writeCall(call);
        assertReplayAllocatesNothing(call);
    }

    private static void assertReplayAllocatesNothing(Path file) throws Exception {
        final String capture = file.toString();
        long never = TimeUnit.DAYS.toNanos(3650); // some captures span weeks
        FlowTableConfig config = FlowTableConfig.defaults()
                .withTcpTimeouts(never, never, never)
                .withUdpTimeout(never);
        List<FlowRecord> ended = new ArrayList<>();
        FlowTable table = new FlowTable(config, ended::add, true);
        FlowStage stage = new FlowStage(table, new PayloadInspector());
        PacketDecoder decoder = new PacketDecoder();
        CapturedPacket packet = new CapturedPacket();
        PacketView view = new PacketView();

        AllocationMeter warmUp = AllocationMeter.currentThread();
        long perRound = 0;
        for (int round = 0; round < 30; round++) {
            perRound = replay(file, decoder, stage, packet, view, warmUp);
        }
        long rounds = Math.max(200, 200_000 / Math.max(1, perRound));
        int flowsBefore = table.size();
        AllocationMeter meter = AllocationMeter.currentThread();
        long packets = 0;
        for (long round = 0; round < rounds; round++) {
            packets += replay(file, decoder, stage, packet, view, meter);
        }
        assertEquals(flowsBefore, table.size(), "replays found the same flows");
        assertTrue(ended.isEmpty(), "no flow ended during replay");
        assertTrue(packets > 100_000, "enough packets measured: " + packets);
        meter.assertBytesPerOpBelow("packet path, " + capture, packets, AllocationMeter.NOTHING);
    }

    /** One pass over the file, the meter running around the packet loop only; returns the packets. */
    private static long replay(Path file, PacketDecoder decoder, FlowStage stage, CapturedPacket packet,
                               PacketView view, AllocationMeter meter) throws Exception {
        try (PacketSource source = CaptureFiles.open(file)) {
            long packets = 0;
            meter.start();
            while (source.next(packet)) {
                decoder.decode(packet, view);
                stage.onPacket(view);
                packets++;
            }
            meter.stop();
            return packets;
        }
    }
}
