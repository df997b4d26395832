package io.mraflow.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
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
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

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

    private static void measure(String what, Path file, int packetsPerRead, Opener opener) throws Exception {
        final CapturedPacket packet = new CapturedPacket();
        final long threadId = Thread.currentThread().getId();
        THREADS.getThreadAllocatedBytes(threadId); // first call may initialise lazily
        long checksum = 0;
        for (int round = 0; round < WARM_UP_ROUNDS; round++) {
            try (PacketSource source = opener.open(file)) {
                while (source.next(packet)) {
                    checksum += packet.capLen;
                }
            }
        }
        long allocated = 0;
        long packets = 0;
        long nanos = 0;
        for (int round = 0; round < ROUNDS; round++) {
            try (PacketSource source = opener.open(file)) {
                final long start = THREADS.getCurrentThreadCpuTime();
                final long before = THREADS.getThreadAllocatedBytes(threadId);
                while (source.next(packet)) {
                    packets++;
                    checksum += packet.capLen + packet.bytes.getByte(0);
                }
                final long after = THREADS.getThreadAllocatedBytes(threadId);
                nanos += THREADS.getCurrentThreadCpuTime() - start;
                allocated += after - before;
            }
        }
        assertEquals((long) ROUNDS * packetsPerRead, packets);
        final double perPacket = (double) allocated / packets;
        System.out.printf("%s: %d packets, %d bytes allocated (%.5f per packet), %.1f ns CPU per packet (checksum %d)%n",
                what, packets, allocated, perPacket, (double) nanos / packets, checksum);
        assertTrue(perPacket < 0.01, what + ": " + allocated + " bytes allocated over " + packets + " packets");
    }
}
