package io.mraflow.bench;

import io.mraflow.capture.CapturedPacket;
import io.mraflow.capture.LinkType;
import io.mraflow.decode.PacketDecoder;
import io.mraflow.decode.PacketView;
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
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Decode, flow table and payload inspection over many concurrent RTP flows, the shape of a busy
 * MRA capture: unlike the sample replays (50 flows, all in cache), the table and the per-flow
 * state here outgrow the CPU caches, so the figure shows what the memory layout costs per packet.
 *
 * <p>Each packet is one synthetic Ethernet/IPv4/UDP/RTP packet (G.711, 160 bytes of payload)
 * written into one reused buffer: flows are visited in a fixed shuffled order, both directions
 * in turn, with consecutive RTP sequence numbers per direction. Flows exist (and their sources
 * passed RTP probation) before measurement; none starts or ends during it (checked at
 * tear-down). One operation = one packet. With {@code idleFlows} the table also holds older
 * flows that get no packets, as a long capture's table holds finished calls until their timeout.
 * Transparent huge pages as the launcher asks for them (scripts/startup-cache).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "-XX:+UseTransparentHugePages"})
public class ManyFlowsBenchmark {
    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;
    private static final int ETH = 14;
    private static final int IP = ETH;
    private static final int UDP = IP + 20;
    private static final int RTP = UDP + 8;
    private static final int PAYLOAD = 160;
    private static final int LENGTH = RTP + 12 + PAYLOAD;

    /** Flows the measured packets go to. */
    @Param({"1000", "50000"})
    public int flows;

    /**
     * Flows made before the active ones that get no packet while measured: the finished calls of
     * a long capture, kept until their UDP timeout. They spread a table's active flows apart.
     */
    @Param({"0", "47000"})
    public int idleFlows;

    private final CapturedPacket packet = new CapturedPacket();
    private final PacketDecoder decoder = new PacketDecoder();
    private final PacketView view = new PacketView();
    private final ReplayGuard guard = new ReplayGuard();
    private FlowTable table;
    private FlowStage stage;
    private int[] order;
    /** Packets sent to the active flows so far: gives the flow, the direction and the sequence number of the next. */
    private long sent;
    /** Packets sent to any flow: the capture clock. */
    private long clock;

    @Setup(Level.Trial)
    public void load() {
        packet.bytes.wrap(new byte[LENGTH]);
        packet.capLen = LENGTH;
        packet.wireLen = LENGTH;
        packet.linkType = LinkType.EN10MB;
        writeTemplate();
        order = new int[flows];
        for (int f = 0; f < flows; f++) {
            order[f] = f;
        }
        final Random random = new Random(1);
        for (int i = flows - 1; i > 0; i--) {
            final int j = random.nextInt(i + 1);
            final int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        table = new FlowTable(SamplePackets.NEVER_EXPIRE, guard, true);
        stage = new FlowStage(table, new PayloadInspector());
        // Four packets per direction: creates every flow and takes its sources past probation.
        // The idle flows first: they are the older ones.
        for (int f = flows; f < flows + idleFlows; f++) {
            for (long round = 0; round < 8; round++) {
                send(f, round);
            }
        }
        for (long n = 8L * flows; n > 0; n--) {
            sendNext();
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
        for (int k = 0; k < SamplePackets.BATCH; k++) {
            sendNext();
        }
        return table.size();
    }

    private void sendNext() {
        final long n = sent++;
        final long round = n / flows;
        send(order[(int) (n - round * flows)], round);
    }

    /** Packet {@code round} of flow {@code flow}: even rounds from the client, odd ones from the server. */
    private void send(final int flow, final long round) {
        final int dir = (int) (round & 1);
        final int host = 0x0a01_0000 + (flow >>> 8);              // 10.1.x.y, one per 256 flows
        final int port = 20000 + 2 * (flow & 0xff);
        final int server = 0xc0a8_0001;                           // 192.168.0.1:5004
        final UnsafeBuffer b = packet.bytes;
        b.putInt(IP + 12, dir == 0 ? host : server, BE);
        b.putInt(IP + 16, dir == 0 ? server : host, BE);
        b.putShort(UDP, (short) (dir == 0 ? port : 5004), BE);
        b.putShort(UDP + 2, (short) (dir == 0 ? 5004 : port), BE);
        b.putShort(RTP + 2, (short) (round >>> 1), BE);
        b.putInt(RTP + 4, (int) (round >>> 1) * 160, BE);
        b.putInt(RTP + 8, 2 * flow + dir, BE);
        packet.tsNanos = 1_700_000_000_000_000_000L + clock++ * 1_000L;
        decoder.decode(packet, view);
        stage.onPacket(view);
    }

    private void writeTemplate() {
        final UnsafeBuffer b = packet.bytes;
                b.putShort(12, (short) 0x0800, BE);                      // Ethernet: IPv4
        b.putByte(IP, (byte) 0x45);
        b.putShort(IP + 2, (short) (LENGTH - IP), BE);
        b.putByte(IP + 8, (byte) 64);                             // TTL
        b.putByte(IP + 9, (byte) 17);                             // UDP
        b.putShort(UDP + 4, (short) (LENGTH - UDP), BE);
        b.putByte(RTP, (byte) 0x80);                              // RTP version 2
        b.putByte(RTP + 1, (byte) 8);                             // PCMA
    }
}
