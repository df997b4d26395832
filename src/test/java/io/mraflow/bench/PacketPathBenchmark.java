package io.mraflow.bench;

import io.mraflow.capture.CapturedPacket;
import io.mraflow.decode.DecodeStatus;
import io.mraflow.decode.PacketDecoder;
import io.mraflow.decode.PacketView;
import io.mraflow.flow.FlowTable;
import io.mraflow.inspect.PayloadInspector;
import io.mraflow.pipeline.FlowStage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.TimeUnit;

/**
 * Decode and flow table with payload inspection, as a pipeline worker runs them per packet (capture reading
 * excluded: the packets are in heap buffers). Flows exist before measurement and none ends during
 * it (ten-year timeouts, same sequence numbers on replay; checked at tear-down). One operation =
 * one packet.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class PacketPathBenchmark {
    private CapturedPacket[] packets;
    private final PacketDecoder decoder = new PacketDecoder();
    private final PacketView view = new PacketView();
    private FlowTable table;
    private FlowStage stage;
    private final ReplayGuard guard = new ReplayGuard();
    private int next;

    @Setup(Level.Trial)
    public void load() {
        packets = SamplePackets.load();
        table = new FlowTable(SamplePackets.NEVER_EXPIRE, guard, true);
        stage = new FlowStage(table, new PayloadInspector());
        for (int round = 0; round < 3; round++) {
            for (CapturedPacket p : packets) {
                decoder.decode(p, view);
                if (view.status != DecodeStatus.UNSUPPORTED_LINK) {
                    stage.onPacket(view);
                }
            }
        }
        guard.start(table);
    }

    @TearDown(Level.Trial)
    public void check() {
        guard.check(table);
    }

    @Benchmark
    @OperationsPerInvocation(SamplePackets.BATCH)
    public int decodeAndTrack() {
        final CapturedPacket[] ps = packets;
        final PacketDecoder d = decoder;
        final PacketView v = view;
        final FlowStage t = stage;
        int i = next;
        for (int k = 0; k < SamplePackets.BATCH; k++) {
            d.decode(ps[i], v);
            if (v.status != DecodeStatus.UNSUPPORTED_LINK) {
                t.onPacket(v);
            }
            if (++i == ps.length) {
                i = 0;
            }
        }
        next = i;
        return table.size();
    }
}
