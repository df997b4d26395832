package io.mraflow.flow;

import io.mraflow.inspect.FlowInspection;

/**
 * A finished (or, at end of input, still open) bidirectional flow, as the flow table hands it to
 * a {@link FlowSink}. One object per flow, created when the flow ends: never per packet.
 * Field meanings follow Zeek's conn.log where Zeek has the field.
 *
 * @param tsNanos        first packet, nanoseconds since the epoch
 * @param lastTsNanos    last packet
 * @param ipProto        6 (TCP) or 17 (UDP)
 * @param ipVersion      4 or 6
 * @param origHi         originator address, high 64 bits ({@code PacketView}'s address form)
 * @param origLo         originator address, low 64 bits
 * @param origPort       originator port
 * @param respHi         responder address, high 64 bits
 * @param respLo         responder address, low 64 bits
 * @param respPort       responder port
 * @param origPkts       packets sent by the originator (IP fragments each count)
 * @param respPkts       packets sent by the responder
 * @param origIpBytes    IP-level bytes sent by the originator, as on the wire
 * @param respIpBytes    IP-level bytes sent by the responder
 * @param origBytes      payload bytes sent by the originator (TCP: from sequence numbers, as Zeek)
 * @param respBytes      payload bytes sent by the responder
 * @param origWireBytes  whole-frame bytes sent by the originator (what Wireshark counts)
 * @param respWireBytes  whole-frame bytes sent by the responder
 * @param connState      Zeek's conn_state (S0, S1, SF, REJ, S2, S3, RSTO, RSTR, RSTOS0, RSTRH,
 *                       SH, SHR, OTH)
 * @param history        Zeek's history letters (originator upper case, responder lower case)
 * @param icmpErrors     ICMP/ICMPv6 errors that quoted a packet of this flow
 * @param lastIcmpType   type of the last such error (-1 when none)
 * @param lastIcmpCode   code of the last such error (-1 when none)
 * @param icmpFromHi     sender of the last such error, high 64 bits (the router or host that
 *                       reported it)
 * @param icmpFromLo     sender of the last such error, low 64 bits
 * @param inspection     what payload inspection learnt of the flow (protocol, SNI, STUN, RTP,
 *                       TLS alerts), or null when the table did not inspect payloads
 * @param ended          why the flow left the table
 */
public record FlowRecord(
        long tsNanos,
        long lastTsNanos,
        int ipProto,
        int ipVersion,
        long origHi,
        long origLo,
        int origPort,
        long respHi,
        long respLo,
        int respPort,
        long origPkts,
        long respPkts,
        long origIpBytes,
        long respIpBytes,
        long origBytes,
        long respBytes,
        long origWireBytes,
        long respWireBytes,
        String connState,
        String history,
        int icmpErrors,
        int lastIcmpType,
        int lastIcmpCode,
        long icmpFromHi,
        long icmpFromLo,
        FlowInspection inspection,
        FlowEnd ended) {

    /** This record with another payload state (a snapshot's copy). */
    public FlowRecord withInspection(final FlowInspection other) {
        return new FlowRecord(tsNanos, lastTsNanos, ipProto, ipVersion, origHi, origLo, origPort, respHi, respLo, respPort,
                origPkts, respPkts, origIpBytes, respIpBytes, origBytes, respBytes, origWireBytes, respWireBytes,
                connState, history, icmpErrors, lastIcmpType, lastIcmpCode, icmpFromHi, icmpFromLo, other, ended);
    }

    /**
     * The same flow seen from the other side: originator and responder swapped, with their
     * counts, history letters (case swapped) and one-sided states (S0 and SHR). For a UDP flow
     * whose payload shows the responder opened it (a STUN request's sender), not for TCP,
     * where the SYN decides.
     */
    @SuppressWarnings("ArgumentSelectionDefectChecker") // the swap is the point: responder fields go in as originator's
    public FlowRecord flipped() {
        StringBuilder h = new StringBuilder(history.length());
        for (int i = 0; i < history.length(); i++) {
            char c = history.charAt(i);
            h.append(Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
        }
        String state = switch (connState) {
            case "S0" -> "SHR";
            case "SHR" -> "S0";
            default -> connState;
        };
        return new FlowRecord(tsNanos, lastTsNanos, ipProto, ipVersion, respHi, respLo, respPort,
                origHi, origLo, origPort, respPkts, origPkts, respIpBytes, origIpBytes, respBytes, origBytes,
                respWireBytes, origWireBytes, state, h.toString(), icmpErrors, lastIcmpType, lastIcmpCode,
                icmpFromHi, icmpFromLo, inspection, ended);
    }
}
