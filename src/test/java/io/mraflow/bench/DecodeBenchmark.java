package io.mraflow.bench;

import io.mraflow.capture.CapturedPacket;
import io.mraflow.decode.PacketDecoder;
import io.mraflow.decode.PacketView;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * {@link PacketDecoder#decode}: link layer, IP, TCP/UDP, ICMP errors, over the packets of the
 * sample capture held in heap buffers. One operation = one packet decoded.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class DecodeBenchmark {
    private CapturedPacket[] packets;
    private final PacketDecoder decoder = new PacketDecoder();
    private final PacketView view = new PacketView();
    private int next;

    @Setup
    public void load() {
        packets = SamplePackets.load();
    }

    /** Returns a sum of decoded fields so that the decoding cannot be optimised away. */
    @Benchmark
    @OperationsPerInvocation(SamplePackets.BATCH)
    public long decode() {
        final CapturedPacket[] ps = packets;
        final PacketDecoder d = decoder;
        final PacketView v = view;
        int i = next;
        long sum = 0;
        for (int k = 0; k < SamplePackets.BATCH; k++) {
            d.decode(ps[i], v);
            sum += v.status + v.srcPort + v.dstPort + v.payloadLen + v.srcLo;
            if (++i == ps.length) {
                i = 0;
            }
        }
        next = i;
        return sum;
    }
}
