package io.mraflow.report;

import io.mraflow.decode.IpProto;
import io.mraflow.flow.FlowRecord;
import io.mraflow.rules.FindingCode;
import io.mraflow.rules.Severity;
import io.mraflow.rules.Verdict;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
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
    /** The first flows that raised each code, named for the report (at most {@link #NAMED_PER_CODE}). */
    private final Map<FindingCode, List<String>> named = new EnumMap<>(FindingCode.class);
    /** Flows named under each finding code in the summary. */
    public static final int NAMED_PER_CODE = 5;
    private Severity worst;
    private long lastNanos = Long.MIN_VALUE;

    /** Counts one flow's verdict. */
    public void add(final Verdict v) {
        final FlowRecord f = v.flow();
        flows++;
        lastNanos = Math.max(lastNanos, f.lastTsNanos());
        if (f.ipProto() == IpProto.TCP) {
            tcp++;
        } else if (f.ipProto() == IpProto.UDP) {
            udp++;
        }
        final long[] c = v.row() == null ? noRow : byRow.computeIfAbsent(v.row(), k -> new long[3]);
        c[0]++;
        c[1] += f.origPkts() + f.respPkts();
        c[2] += f.origIpBytes() + f.respIpBytes();
        for (Verdict.Finding x : v.findings()) {
            byCode.computeIfAbsent(x.code(), k -> new long[2])[0]++;
            final List<String> names = named.computeIfAbsent(x.code(), k -> new ArrayList<>());
            if (names.size() < NAMED_PER_CODE) {
                names.add(name(f));
            }
        }
        for (Verdict.Finding x : v.allowed()) {
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

    /** The first flows that raised {@code code}, as "tcp 10.0.0.1:30312 -> 10.0.0.2:6972". */
    public List<String> named(final FindingCode code) {
        return named.getOrDefault(code, List.of());
    }

    private static String name(final FlowRecord f) {
        return (f.ipProto() == IpProto.TCP ? "tcp " : "udp ") + AddressFormat.format(f.origHi(), f.origLo()) + ":" + f.origPort()
                + " -> " + AddressFormat.format(f.respHi(), f.respLo()) + ":" + f.respPort();
    }

    /** The last packet time of all flows counted (0 when none): the summary's time. */
    public long lastNanos() {
        return flows == 0 ? 0 : lastNanos;
    }

    /** Flows per row id ("none": no row), in row order. */
    public Map<String, Long> flowsByRow() {
        final Map<String, Long> m = new java.util.TreeMap<>();
        byRow.forEach((k, c) -> m.put(k, c[0]));
        if (noRow[0] > 0) {
            m.put("none", noRow[0]);
        }
        return m;
    }

    /** Flows raising each code, worst first. */
    public Map<String, Long> findingsByCode() {
        final Map<String, Long> m = new java.util.LinkedHashMap<>();
        byCode.entrySet().stream()
                .sorted((a, b) -> a.getKey().severity() != b.getKey().severity()
                        ? b.getKey().severity().compareTo(a.getKey().severity()) : a.getKey().compareTo(b.getKey()))
                .forEach(e -> m.put(e.getKey().name(), e.getValue()[0]));
        return m;
    }

    /** The worst severity raised (not allowed), or null when none was. */
    public Severity worst() {
        return worst;
    }
}
