package io.mraflow.pipeline;

import io.mraflow.decode.IpProto;
import io.mraflow.decode.DecodeStatus;
import io.mraflow.decode.PacketView;

/**
 * Which worker owns a decoded packet: the symmetric hash of its flow's 5-tuple (so both
 * directions meet on one worker), the quoted 5-tuple for an ICMP error, and for a non-first IP
 * fragment the ports its first fragment carried. One instance, on the capture thread
 * ({@link PacketRouter}): it sees every packet in order, so its fragment memory knows every first
 * fragment before the later ones. Not thread-safe.
 */
final class FlowSharding {
    private final int workers;
    private final FragmentRoutes fragments = new FragmentRoutes();

    FlowSharding(final int workers) {
        this.workers = workers;
    }

    /** Whether {@code io.mraflow.flow.FlowTable#onPacket} does more with the packet than count it as ignored. */
    static boolean usedByFlowTable(final PacketView p) {
        if (p.ipVersion == 0 || (p.status != DecodeStatus.OK && p.status != DecodeStatus.TRUNCATED)) {
            return false;
        }
        if (p.icmpError) {
            return true;
        }
        return (p.ipProto == IpProto.TCP || p.ipProto == IpProto.UDP) && (p.hasPorts || p.fragment);
    }

    /** The worker of a packet the flow table uses; remembers first fragments' ports. */
    int workerOf(final PacketView p) {
        if (workers == 1) {
            return 0;
        }
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
}
