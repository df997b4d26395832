package io.mraflow.bench;

import io.mraflow.capture.LinkType;
import io.mraflow.flow.FlowTable;
import io.mraflow.inspect.PayloadInspector;
import io.mraflow.pipeline.FlowStage;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The worker's per-packet work (decode, flow table, payload inspection) on a busy Expressway's
 * traffic: every packet belongs to a flow drawn at random from {@code flows} concurrent RTP
 * streams, so consecutive packets almost never share a flow and the table's state is far out of
 * the caches. One operation is one packet. Packets go through {@link FlowStage} as a worker
 * feeds them: with {@code chunk} 32, a chunk's flows are prefetched together before it is fed
 * (the worker's way); with 1, each packet is fed alone, its cache misses one after another.
 *
 * <p>Each packet is Ethernet/IPv4/UDP/RTP (PCMA, 160 bytes), the direction alternating per flow,
 * sequence numbers and timestamps consecutive per direction. Every flow exists and its sources
 * have passed RTP probation before measurement; none starts or ends during it (checked at tear-down).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "-XX:+UseTransparentHugePages"})
public class InterleavedFlowsBenchmark {
    static final int CHUNK = 32;
    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;
    private static final int IP = 14;
    private static final int UDP = IP + 20;
    private static final int RTP = UDP + 8;
    private static final int LENGTH = RTP + 12 + 160;
    /** Length of the random flow sequence replayed (a power of two). */
    private static final int SEQUENCE = 1 << 22;

    /** Concurrent flows, each packet going to one of them at random. */
    @Param({"10000", "100000"})
    public int flows;

    /** With the payload inspector (the worker's whole work) or the flow table alone. */
    @Param({"true", "false"})
    public boolean inspect;

    /** Packets fed as one chunk: 1 (no overlap) or {@link FlowStage#CHUNK}. */
    @Param({"1", "32"})
    public int chunk;

    private final UnsafeBuffer[] packets = new UnsafeBuffer[CHUNK];
    private final ReplayGuard guard = new ReplayGuard();
    private FlowTable table;
    private FlowStage stage;
    private int[] sequence;
    private int[] sent;
    private int next;
    private long clock;

    @Setup(Level.Trial)
    public void load() {
        for (int k = 0; k < CHUNK; k++) {
            packets[k] = new UnsafeBuffer(new byte[LENGTH]);
            writeTemplate(packets[k]);
        }
        sent = new int[flows];
        sequence = new int[SEQUENCE];
        final SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < SEQUENCE; i++) {
            sequence[i] = random.nextInt(flows);
        }
        table = new FlowTable(SamplePackets.NEVER_EXPIRE, guard, inspect);
        // chunk 32 prefetches at any table size, to measure prefetching itself (the worker does
        // from FlowStage.PREFETCH_FROM_FLOWS on, where this benchmark found it pays)
        stage = new FlowStage(table, inspect ? new PayloadInspector() : null, chunk == 1 ? Integer.MAX_VALUE : 0);
        // Eight packets a flow, four each way: every flow made and its sources past probation.
        for (int round = 0; round < 8; round++) {
            for (int f = 0; f < flows; f++) {
                feed(0, f);
                stage.run();
            }
        }
        guard.start(table);
    }

    @TearDown(Level.Trial)
    public void check() {
        guard.check(table);
    }

    @Benchmark
    @OperationsPerInvocation(CHUNK)
    public int decodeTrackInspect() {
        for (int k = 0; k < CHUNK; k++) {
            feed(k, sequence[next++ & (SEQUENCE - 1)]);
            if (chunk == 1) {
                stage.run();
            }
        }
        stage.run();
        return table.size();
    }

    /** Writes the next packet of {@code flow} into buffer {@code k}, decodes and keeps it. */
    private void feed(final int k, final int flow) {
        final long ts = write(packets[k], flow);
        stage.decode(packets[k], 0, LENGTH, ts, LENGTH, LinkType.EN10MB);
        stage.keep();
    }

    /** The next packet of {@code flow}: even ones from the client, odd ones from the server; returns its time. */
    private long write(final UnsafeBuffer b, final int flow) {
        final int n = sent[flow]++;
        final int dir = n & 1;
        final int host = 0x0a00_0000 + (flow >>> 8);              // 10.x.y.0/24 per 256 flows
        final int port = 20000 + 2 * (flow & 0xff);
        final int server = 0xc0a8_0001;                           // 192.168.0.1:5004
        b.putInt(IP + 12, dir == 0 ? host : server, BE);
        b.putInt(IP + 16, dir == 0 ? server : host, BE);
        b.putShort(UDP, (short) (dir == 0 ? port : 5004), BE);
        b.putShort(UDP + 2, (short) (dir == 0 ? 5004 : port), BE);
        b.putShort(RTP + 2, (short) (n >>> 1), BE);
        b.putInt(RTP + 4, (n >>> 1) * 160, BE);
        b.putInt(RTP + 8, 2 * flow + dir, BE);
        return 1_700_000_000_000_000_000L + clock++ * 1_000L;
    }

    private static void writeTemplate(final UnsafeBuffer b) {
        b.putShort(12, (short) 0x0800, BE);                       // Ethernet: IPv4
        b.putByte(IP, (byte) 0x45);
        b.putShort(IP + 2, (short) (LENGTH - IP), BE);
        b.putByte(IP + 8, (byte) 64);                             // TTL
        b.putByte(IP + 9, (byte) 17);                             // UDP
        b.putShort(UDP + 4, (short) (LENGTH - UDP), BE);
        b.putByte(RTP, (byte) 0x80);                              // RTP version 2
        b.putByte(RTP + 1, (byte) 8);                             // PCMA
    }
}
