package io.mraflow.pipeline;

import static io.mraflow.pipeline.PacketMessageDescriptor.MSG_END;
import static io.mraflow.pipeline.PacketMessageDescriptor.MSG_PACKET;

import io.mraflow.decode.DecodeStatus;
import io.mraflow.decode.PacketView;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

/**
 * Hands decoded packets to the workers' rings; for the capture thread only: it is the single
 * producer of every ring, and its counters are plain fields read by others only after the
 * workers were joined. Allocates nothing and takes no lock per packet.
 *
 * <p>Packets the flow table would not use (no IP, bad decode, neither TCP/UDP with ports nor
 * a fragment nor an ICMP error quoting TCP/UDP) are only counted. The others go to worker
 * {@code FlowHash % workers}: both directions of a flow on one worker, later fragments by the
 * ports of their first fragment ({@link FragmentRoutes}), ICMP errors by the 5-tuple they quote.
 *
 * <p>Each message is written in place ({@code tryClaim}, encode, {@code commit}): the commit is
 * the ring's release store, so the worker that sees the record sees all its bytes. A full ring
 * makes file input wait with a back-off (counted in {@link #ringFullWaits}); live input counts
 * the packet in {@link #dropped} and goes on.
 */
final class PacketDispatcher {
    /** One message in 64 carries its enqueue time for the latency histogram. */
    static final int LATENCY_SAMPLE_MASK = 63;

    private final OneToOneRingBuffer[] rings;
    private final int workers;
    private final int maxPayload;
    private final boolean dropWhenFull;
    private final FragmentRoutes fragments = new FragmentRoutes();
    private final IdleStrategy idle = new BackoffIdleStrategy(64, 16, 1_000, 100_000);

    final long[] dispatched;
    long notForFlows;
    long ringFullWaits;
    long dropped;
    private long sequence;

    PacketDispatcher(final OneToOneRingBuffer[] rings, final int maxPayload, final boolean dropWhenFull) {
        this.rings = rings;
        this.workers = rings.length;
        this.maxPayload = maxPayload;
        this.dropWhenFull = dropWhenFull;
        this.dispatched = new long[rings.length];
    }

    /** Whether {@code io.mraflow.flow.FlowTable#onPacket} does more with the packet than count it as ignored. */
    static boolean usedByFlowTable(final PacketView p) {
        if (p.ipVersion == 0 || (p.status != DecodeStatus.OK && p.status != DecodeStatus.TRUNCATED)) {
            return false;
        }
        if (p.icmpError) {
            return true;
        }
        return (p.ipProto == 6 || p.ipProto == 17) && (p.hasPorts || p.fragment);
    }

    void dispatch(final PacketView p) {
        if (!usedByFlowTable(p)) {
            notForFlows++;
            return;
        }
        send(workers == 1 ? 0 : workerOf(p), p);
    }

    /** The worker of a packet the flow table uses; remembers first fragments' ports. */
    int workerOf(final PacketView p) {
        final int hash;
        if (p.icmpError) {
            hash = FlowHash.of(p.quotedProto, p.quotedSrcHi, p.quotedSrcLo, p.quotedSrcPort,
                    p.quotedDstHi, p.quotedDstLo, p.quotedDstPort);
        } else if (p.hasPorts) {
            if (p.fragment) {
                fragments.remember(p.srcHi, p.srcLo, p.dstHi, p.dstLo, p.ipProto, p.fragId, p.srcPort, p.dstPort);
            }
            hash = FlowHash.of(p.ipProto, p.srcHi, p.srcLo, p.srcPort, p.dstHi, p.dstLo, p.dstPort);
        } else {
            final int ports = fragments.find(p.srcHi, p.srcLo, p.dstHi, p.dstLo, p.ipProto, p.fragId);
            hash = ports < 0
                    ? FlowHash.of(p.ipProto, p.srcHi, p.srcLo, 0, p.dstHi, p.dstLo, 0)
                    : FlowHash.of(p.ipProto, p.srcHi, p.srcLo, ports >>> 16, p.dstHi, p.dstLo, ports & 0xffff);
        }
        return FlowHash.worker(hash, workers);
    }

    private void send(final int worker, final PacketView p) {
        final OneToOneRingBuffer ring = rings[worker];
        final int payload = PacketMessageCodec.payloadBytes(p, maxPayload);
        final int length = PacketMessageDescriptor.messageLength(payload);
        int index = ring.tryClaim(MSG_PACKET, length);
        if (index < 0) {
            if (dropWhenFull) {
                dropped++;
                return;
            }
            ringFullWaits++;
            do {
                idle.idle();
                index = ring.tryClaim(MSG_PACKET, length);
            } while (index < 0);
            idle.reset();
        }
        final long enqueue = (++sequence & LATENCY_SAMPLE_MASK) == 0 ? System.nanoTime() : 0L;
        PacketMessageCodec.encode(p, payload, enqueue, ring.buffer(), index);
        ring.commit(index);
        dispatched[worker]++;
    }

    /** Tells every worker the input ended; waits for room, even for live input. */
    void end() {
        for (OneToOneRingBuffer ring : rings) {
            int index;
            while ((index = ring.tryClaim(MSG_END, 8)) < 0) {
                idle.idle();
            }
            idle.reset();
            ring.buffer().putLong(index, 0L);
            ring.commit(index);
        }
    }
}
