package io.mraflow.report;

import io.mraflow.flow.FlowRecord;
import io.mraflow.rules.FindingCode;
import io.mraflow.rules.FlowVerdict;
import io.mraflow.rules.Severity;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * What a report's summary counts, gathered one verdict at a time so that no verdict needs to be
 * kept: flows per protocol, per row (flows, packets, bytes), per finding code (raised, allowed),
 * and the worst severity raised. One thread.
 */
public final class VerdictTotals {
    private long flows;
    private long tcp;
    private long udp;
    private final Map<String, long[]> byRow = new HashMap<>();
    private final long[] noRow = new long[3];
    private final Map<FindingCode, long[]> byCode = new EnumMap<>(FindingCode.class);
    private Severity worst;

    /** Counts one flow's verdict. */
    public void add(final FlowVerdict v) {
        final FlowRecord f = v.flow();
        flows++;
        if (f.ipProto() == 6) {
            tcp++;
        } else if (f.ipProto() == 17) {
            udp++;
        }
        final long[] c = v.row() == null ? noRow : byRow.computeIfAbsent(v.row(), k -> new long[3]);
        c[0]++;
        c[1] += f.origPkts() + f.respPkts();
        c[2] += f.origIpBytes() + f.respIpBytes();
        for (FlowVerdict.Finding x : v.findings()) {
            byCode.computeIfAbsent(x.code(), k -> new long[2])[0]++;
        }
        for (FlowVerdict.Finding x : v.allowed()) {
            byCode.computeIfAbsent(x.code(), k -> new long[2])[1]++;
        }
        final Severity s = v.worst();
        if (s != null && (worst == null || s.compareTo(worst) > 0)) {
            worst = s;
        }
    }

    public long flows() {
        return flows;
    }

    public long tcp() {
        return tcp;
    }

    public long udp() {
        return udp;
    }

    /** Flows, packets and IP bytes of a row (zeros when none was seen). */
    public long[] row(final String id) {
        return byRow.getOrDefault(id, new long[3]);
    }

    /** Flows, packets and IP bytes of the flows no row fits. */
    public long[] noRow() {
        return noRow.clone();
    }

    /** Flows raising each code, and flows where the allow list withdrew it. */
    public Map<FindingCode, long[]> byCode() {
        return byCode;
    }

    /** The worst severity raised (not allowed), or null when none was. */
    public Severity worst() {
        return worst;
    }
}
