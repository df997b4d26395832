package io.mraflow.bench;

import io.mraflow.decode.PacketView;
import io.mraflow.flow.FlowTable;
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
 * {@link FlowTable#onPacket} over the decoded packets of the sample capture, replayed over a table
 * that already holds their flows: lookup, counters, TCP state and history, the idle sweep. The
 * timeouts are ten years and the replay repeats the same sequence numbers, so no flow expires,
 * ends or is created during measurement (checked at tear-down). One operation = one packet.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class FlowTableBenchmark {
    private PacketView[] views;
    private FlowTable table;
    private final ReplayGuard guard = new ReplayGuard();
    private int next;

    @Setup(Level.Trial)
    public void load() {
        views = SamplePackets.decodeAll(SamplePackets.load());
        table = new FlowTable(SamplePackets.NEVER_EXPIRE, guard);
        for (int round = 0; round < 3; round++) {
            for (PacketView v : views) {
                table.onPacket(v);
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
    public int onPacket() {
        final PacketView[] vs = views;
        final FlowTable t = table;
        int i = next;
        for (int k = 0; k < SamplePackets.BATCH; k++) {
            t.onPacket(vs[i]);
            if (++i == vs.length) {
                i = 0;
            }
        }
        next = i;
        return t.size();
    }
}
