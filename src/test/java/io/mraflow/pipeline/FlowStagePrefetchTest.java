package io.mraflow.pipeline;

import io.mraflow.capture.CaptureFiles;
import io.mraflow.capture.CapturedPacket;
import io.mraflow.capture.PacketSource;
import io.mraflow.decode.PacketView;
import io.mraflow.flow.FlowRecord;
import io.mraflow.flow.FlowRecordCodec;
import io.mraflow.flow.FlowTable;
import io.mraflow.flow.FlowTableConfig;
import io.mraflow.inspect.PayloadInspector;
import io.mraflow.synth.BenchCapture;
import io.mraflow.synth.PcapngWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Prefetching a chunk only reads: flows fed in chunks of {@link FlowStage#CHUNK}, prefetched
 * from the first flow on, end exactly as the same packets fed one by one do, byte for byte in
 * the spill's encoding (the record and all of its payload state), on every capture of pcaps/
 * and on a busy-mix capture where nearly every packet is another flow's.
 */
class FlowStagePrefetchTest {

    @Test
    void prefetchedChunksEndFlowsAsOneByOneFeedingDoes(@TempDir Path dir) throws Exception {
        final List<Path> captures = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("pcaps"))) {
            s.filter(p -> p.toString().endsWith(".pcapng") || p.toString().endsWith(".pcap")).sorted().forEach(captures::add);
        }
        final Path busy = dir.resolve("busy.pcapng");
        try (FileChannel ch = FileChannel.open(busy, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             PcapngWriter w = new PcapngWriter(ch)) {
            BenchCapture.generate(w, 60_000, 7, BenchCapture.Mix.busy(1_000));
        }
        captures.add(busy);
        for (Path capture : captures) {
            final List<String> oneByOne = flows(capture, false);
            final List<String> chunked = flows(capture, true);
            assertTrue(!oneByOne.isEmpty(), capture + " has flows");
            assertEquals(oneByOne, chunked, capture.toString());
        }
    }

    /** Every flow's encoding, in the order flows ended. */
    private static List<String> flows(final Path capture, final boolean chunked) throws Exception {
        final List<String> ended = new ArrayList<>();
        final ByteBuffer buffer = ByteBuffer.allocate(FlowRecordCodec.MAX_BYTES);
        final FlowTable table = new FlowTable(FlowTableConfig.defaults(), (FlowRecord f) -> {
            buffer.clear();
            FlowRecordCodec.write(f, buffer);
            ended.add(HexFormat.of().formatHex(buffer.array(), 0, buffer.position()));
        }, true);
        final FlowStage stage = new FlowStage(table, new PayloadInspector(), 0);
        final CapturedPacket packet = new CapturedPacket();
        try (PacketSource source = CaptureFiles.open(capture)) {
            while (source.next(packet)) {
                final byte[] bytes = new byte[packet.capLen]; // its own: a chunk's views point into it
                packet.bytes.getBytes(0, bytes);
                final PacketView v = stage.decode(new org.agrona.concurrent.UnsafeBuffer(bytes), 0, bytes.length,
                        packet.tsNanos, packet.wireLen, packet.linkType);
                if (FlowSharding.usedByFlowTable(v)) {
                    stage.keep();
                }
                if (!chunked) {
                    stage.run();
                }
            }
        }
        stage.run();
        table.flushAll();
        return ended;
    }
}
