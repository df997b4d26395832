package io.mraflow.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mraflow.testing.AllocationMeter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;

/**
 * Reading packets allocates nothing: a capture read 1000 times over, with the thread's allocated
 * bytes measured around each next() loop only (opening and closing are outside the measurement).
 * A few unmeasured reads first: the first read initialises classes (Agrona's buffers, the source
 * itself), which allocates once per JVM, not per packet. The time per packet printed is the
 * thread's CPU time, which a loaded machine inflates less than wall time.
 * Also prints the time per packet of each source. The stream readers are measured on files read
 * through a channel, front to back, as a pipe is read (the buffer is filled a few times per file).
 */
class ZeroAllocationTest {
    private static final int ROUNDS = 1000;
    private static final int WARM_UP_ROUNDS = 10;

    private final ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    private long checksum;
    private long cpuNanos;

    interface Opener {
        PacketSource open(Path path) throws Exception;
    }

    @Test
    void libpcapSourceAllocatesNothingPerPacket() throws Exception {
        measure("libpcap", TestCaptures.capture("ndpi/synscan.pcap"), 2011, LibpcapFileSource::open);
    }

    @Test
    void libpcapSourceAllocatesNothingPerPacketOnPcapng() throws Exception {
        measure("libpcap pcapng", TestCaptures.capture("ndpi/stun_wa_call.pcapng"), 591, LibpcapFileSource::open);
    }

    @Test
    void javaPcapngSourceAllocatesNothingPerPacket() throws Exception {
        measure("java pcapng", TestCaptures.capture("ndpi/stun_wa_call.pcapng"), 591, PcapngFileSource::new);
    }

    @Test
    void streamPcapReaderAllocatesNothingPerPacket() throws Exception {
        measure("stream pcap", TestCaptures.capture("ndpi/synscan.pcap"), 2011, ZeroAllocationTest::stream);
    }

    @Test
    void streamPcapngReaderAllocatesNothingPerPacket() throws Exception {
        measure("stream pcapng", TestCaptures.capture("ndpi/stun_wa_call.pcapng"), 591, ZeroAllocationTest::stream);
    }

    /** The file read as a stream is: once, front to back, through a channel. */
    private static PacketSource stream(Path path) throws Exception {
        return CaptureStreams.open(FileChannel.open(path, StandardOpenOption.READ), path.toString());
    }

    private void measure(String what, Path file, int packetsPerRead, Opener opener) throws Exception {
        final CapturedPacket packet = new CapturedPacket();
        final AllocationMeter warmUp = AllocationMeter.currentThread();
        for (int round = 0; round < WARM_UP_ROUNDS; round++) {
            read(opener, file, packet, warmUp);
        }
        cpuNanos = 0;
        final AllocationMeter meter = AllocationMeter.currentThread();
        long packets = 0;
        for (int round = 0; round < ROUNDS; round++) {
            packets += read(opener, file, packet, meter);
        }
        assertEquals((long) ROUNDS * packetsPerRead, packets);
        System.out.printf("%s: %d packets, %.1f ns CPU per packet (checksum %d)%n",
                what, packets, (double) cpuNanos / packets, checksum);
        meter.assertBytesPerOpBelow(what, packets, AllocationMeter.NOTHING);
    }

    /** Reads the whole file; the meter and the CPU clock run around the next() loop only. */
    private long read(Opener opener, Path file, CapturedPacket packet, AllocationMeter meter) throws Exception {
        try (PacketSource source = opener.open(file)) {
            long packets = 0;
            final long start = cpu.getCurrentThreadCpuTime();
            meter.start();
            while (source.next(packet)) {
                packets++;
                checksum += packet.capLen + packet.bytes.getByte(0);
            }
            meter.stop();
            cpuNanos += cpu.getCurrentThreadCpuTime() - start;
            return packets;
        }
    }
}
