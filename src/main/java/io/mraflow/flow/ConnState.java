package io.mraflow.flow;

import static io.mraflow.decode.IpProto.TCP;
import static io.mraflow.decode.IpProto.UDP;
import static io.mraflow.flow.TcpTracker.CLOSED;
import static io.mraflow.flow.TcpTracker.ESTABLISHED;
import static io.mraflow.flow.TcpTracker.INACTIVE;
import static io.mraflow.flow.TcpTracker.PARTIAL;
import static io.mraflow.flow.TcpTracker.RESET;
import static io.mraflow.flow.TcpTracker.SYN_ACK_SENT;
import static io.mraflow.flow.TcpTracker.SYN_SENT;

/**
 * Zeek's {@code Conn::conn_state}: the two-to-six letter summary of how a connection went, a
 * function of the endpoint states (and, for two of its values, the payload sizes and the history).
 */
final class ConnState {
    /** A UDP endpoint that has sent a packet (Zeek's UDP_ACTIVE). */
    static final byte UDP_ACTIVE = 1;

    private ConnState() {
    }

    /** The conn_state of the flow in row {@code s}. */
    static String of(final FlowRows rows, final int s) {
        final byte os = rows.state(s, 0);
        final byte rs = rows.state(s, 1);
        if (rows.proto(s) == UDP) {
            if (os == UDP_ACTIVE) {
                return rs == UDP_ACTIVE ? "SF" : "S0";
            }
            return rs == UDP_ACTIVE ? "SHR" : "OTH";
        }
        final boolean oInactive = os == INACTIVE || os == PARTIAL;
        final boolean rInactive = rs == INACTIVE || rs == PARTIAL;
        if (rs == RESET) {
            if (os == SYN_SENT || os == SYN_ACK_SENT
                    || (os == RESET && TcpTracker.payloadBytes(rows, s, 0) == 0
                        && TcpTracker.payloadBytes(rows, s, 1) == 0)) {
                return "REJ";
            }
            return oInactive ? "RSTRH" : "RSTR";
        }
        if (os == RESET) {
            if (rInactive) {
                return historyIsSynThenReset(rows, s) ? "RSTOS0" : "OTH";
            }
            return "RSTO";
        }
        if (rs == CLOSED && os == CLOSED) {
            return "SF";
        }
        if (os == CLOSED) {
            return rInactive ? "SH" : "S2";
        }
        if (rs == CLOSED) {
            return oInactive ? "SHR" : "S3";
        }
        if (os == SYN_SENT && rs == INACTIVE) {
            return "S0";
        }
        if (os == ESTABLISHED && rs == ESTABLISHED) {
            return "S1";
        }
        return "OTH";
    }

    /** Zeek's history pattern for RSTOS0: {@code ^?S[^HAFGIQ]*R.*}. */
    private static boolean historyIsSynThenReset(final FlowRows rows, final int s) {
        final int len = rows.historyLength(s);
        int i = 0;
        if (i < len && rows.historyAt(s, i) == '^') {
            i++;
        }
        if (i >= len || rows.historyAt(s, i) != 'S') {
            return false;
        }
        for (i++; i < len; i++) {
            final byte c = rows.historyAt(s, i);
            if (c == 'R') {
                return true;
            }
            if (c == 'H' || c == 'A' || c == 'F' || c == 'G' || c == 'I' || c == 'Q') {
                return false;
            }
        }
        return false;
    }
}
