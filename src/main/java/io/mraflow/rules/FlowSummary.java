package io.mraflow.rules;

import io.mraflow.flow.FlowRecord;
import io.mraflow.inspect.AppProto;

/**
 * What {@link RoleInference} needs to know of one flow; immutable.
 *
 * @param ipProto  6 or 17
 * @param origHi   opener address, high 64 bits ({@code PacketView}'s form)
 * @param origLo   opener address, low 64 bits
 * @param origPort opener port
 * @param respHi   responder address, high 64 bits
 * @param respLo   responder address, low 64 bits
 * @param respPort responder port
 * @param origPkts packets from the opener
 * @param respPkts packets from the responder
 * @param answered the responder answered: sent any packet back, other than a TCP reset refusing the SYN
 * @param appProto the payload protocol seen, an {@code AppProto} constant (TURN channel data as STUN)
 */
public record FlowSummary(int ipProto, long origHi, long origLo, int origPort, long respHi, long respLo, int respPort,
        long origPkts, long respPkts, boolean answered, int appProto) {

    /** The summary of a finished flow record. */
    public static FlowSummary of(FlowRecord r) {
        final boolean answered = r.respPkts() > 0 && !"REJ".equals(r.connState());
        final int app = r.inspection() == null ? AppProto.UNKNOWN : r.inspection().appProto();
        return new FlowSummary(r.ipProto(), r.origHi(), r.origLo(), r.origPort(), r.respHi(), r.respLo(), r.respPort(),
                r.origPkts(), r.respPkts(), answered, app == AppProto.TURN_CHANNEL ? AppProto.STUN : app);
    }
}
