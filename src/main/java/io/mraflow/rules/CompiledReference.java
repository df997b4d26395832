package io.mraflow.rules;

import io.mraflow.inspect.AppProto;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The port reference compiled for one {@link Settings}: lookup arrays indexed by port, so that
 * matching a flow is a handful of array reads and bit operations; immutable after construction
 * and safe to share between worker threads (all fields are final and fully built in the
 * constructor, so publication through a final field or a thread start is safe).
 *
 * <p>Row sets are {@code long} bitmasks: bit {@code i} is row {@code i} of
 * {@link PortReference#rows()}.
 * <pre>
 * responderRows[t][port]   rows of transport t (0 TCP, 1 UDP) whose responder ports hold port
 * openerRows[port]         rows whose opener ports hold port
 * rowsOpenedBy[roles]      rows whose opener role set meets the role mask (256 entries)
 * rowsAnsweredBy[roles]    rows whose responder role set meets the role mask
 * </pre>
 * About 1.5 MB in all. A row whose {@code when=} setting is false is left out of every array.
 */
public final class CompiledReference {
    private final PortReference reference;
    private final Settings settings;
    private final int rowCount;

    final long[][] responderRows = new long[2][65536];
    final long[] openerRows = new long[65536];
    final long[] rowsOpenedBy = new long[1 << Role.count()];
    final long[] rowsAnsweredBy = new long[1 << Role.count()];
    /** Rows compiled in. */
    final long activeRows;
    /** Rows claimed only on ICE evidence. */
    final long iceRows;
    /** Rows whose responder is a CLOUD host. */
    final long sniRows;
    /** Rows with the SIP trunk footnote. */
    final long trunkRows;
    /**
     * Rows whose responder side is the service side: no more responder ports than opener ports
     * (T3.2's 7001 against 25000-29999, not T2.4's 1024-65535 against the media range). Only
     * these can be "opened with roles reversed on the service port".
     */
    final long serviceSideRows;
    final int[] payload;
    /**
     * Media rows: every protocol they document is media (RTP, RTCP, STUN, DTLS). Ports cannot
     * tell media from any other UDP (the media ranges hold every Linux ephemeral port), so a flow
     * fits one of these only when media was seen on it.
     */
    final long mediaRows;
    final boolean[] sipCleartextNotRecommended;
    final int[] trunkPeers;
    final String[] sniHost;
    /** Specificity rank with roles: lower wins. */
    final int[] rankWithRoles;
    /** Specificity rank by ports alone: lower wins. */
    final int[] rankPortsOnly;
    private final PortSet[] openerPorts;
    private final PortSet[] responderPorts;

    CompiledReference(final PortReference reference, final Settings settings) {
        this.reference = reference;
        this.settings = settings;
        final List<ReferenceRow> rows = reference.rows();
        rowCount = rows.size();
        payload = new int[rowCount];
        sipCleartextNotRecommended = new boolean[rowCount];
        trunkPeers = new int[rowCount];
        sniHost = new String[rowCount];
        openerPorts = new PortSet[rowCount];
        responderPorts = new PortSet[rowCount];
        long active = 0;
        long ice = 0;
        long sni = 0;
        long trunk = 0;
        long serviceSide = 0;
        long media = 0;
        final int mediaProtocols = AppProto.bit(AppProto.RTP) | AppProto.bit(AppProto.RTCP)
                | AppProto.bit(AppProto.STUN) | AppProto.bit(AppProto.DTLS);
        for (ReferenceRow row : rows) {
            final int i = row.index();
            openerPorts[i] = row.openerPorts(settings);
            responderPorts[i] = row.responderPorts(settings);
            payload[i] = row.payload();
            sipCleartextNotRecommended[i] = row.sipCleartextNotRecommended();
            trunkPeers[i] = row.trunkPeers();
            sniHost[i] = row.sniHost();
            if (row.when() != null && !settings.flag(row.when())) {
                continue;
            }
            final long bit = 1L << i;
            active |= bit;
            if (row.ice()) {
                ice |= bit;
            }
            if (row.sniHost() != null) {
                sni |= bit;
            }
            if (row.trunkPeers() != 0) {
                trunk |= bit;
            }
            if (responderPorts[i].size() <= openerPorts[i].size()) {
                serviceSide |= bit;
            }
            if (row.payload() != 0 && (row.payload() & ~mediaProtocols) == 0) {
                media |= bit;
            }
            setPorts(openerRows, openerPorts[i], bit);
            if ((row.transports() & ReferenceRow.TCP_BIT) != 0) {
                setPorts(responderRows[0], responderPorts[i], bit);
            }
            if ((row.transports() & ReferenceRow.UDP_BIT) != 0) {
                setPorts(responderRows[1], responderPorts[i], bit);
            }
            for (int roles = 0; roles < rowsOpenedBy.length; roles++) {
                if ((roles & row.openerRoles()) != 0) {
                    rowsOpenedBy[roles] |= bit;
                }
                if ((roles & row.responderRoles()) != 0) {
                    rowsAnsweredBy[roles] |= bit;
                }
            }
        }
        activeRows = active;
        iceRows = ice;
        sniRows = sni;
        trunkRows = trunk;
        serviceSideRows = serviceSide;
        mediaRows = media;
        rankWithRoles = rank(rows, true);
        rankPortsOnly = rank(rows, false);
    }

    private static void setPorts(final long[] table, final PortSet ports, final long bit) {
        for (int r = 0; r < ports.rangeCount(); r++) {
            final int high = ports.high(r); // read once: ranges reach 64,512 ports, run cold once per process
            for (int p = ports.low(r); p <= high; p++) {
                table[p] |= bit;
            }
        }
    }

    /**
     * Specificity, most specific first: fewer opener ports (a single or narrow source port beats
     * an ephemeral one), then, when roles are known, a row bound to roles beats one written
     * {@code ANY}, then fewer responder ports, then file order. By ports alone the role criterion
     * is skipped: roles are ignored, so an {@code ANY} row is not less specific there.
     */
    private int[] rank(final List<ReferenceRow> rows, final boolean withRoles) {
        final List<ReferenceRow> sorted = new ArrayList<>(rows);
        Comparator<ReferenceRow> c = Comparator.comparingInt(r -> openerPorts[r.index()].size());
        if (withRoles) {
            c = c.thenComparingInt(r -> (r.openerAny() ? 1 : 0) + (r.responderAny() ? 1 : 0));
        }
        c = c.thenComparingInt(r -> responderPorts[r.index()].size()).thenComparingInt(ReferenceRow::index);
        sorted.sort(c);
        final int[] rank = new int[rows.size()];
        for (int i = 0; i < sorted.size(); i++) {
            rank[sorted.get(i).index()] = i;
        }
        return rank;
    }

    /** The most specific row of a non-empty row set. */
    int mostSpecific(final long rowSet, final boolean withRoles) {
        final int[] rank = withRoles ? rankWithRoles : rankPortsOnly;
        int best = -1;
        int bestRank = Integer.MAX_VALUE;
        long m = rowSet;
        while (m != 0) {
            final int row = Long.numberOfTrailingZeros(m);
            m &= m - 1;
            if (rank[row] < bestRank) {
                bestRank = rank[row];
                best = row;
            }
        }
        return best;
    }

    /**
     * Rows whose CLOUD host the TLS server name names: equal to the host, or ending in
     * {@code .host}, ignoring case. Allocation-free.
     */
    long rowsForServerName(final String sni) {
        if (sni == null || sniRows == 0) {
            return 0;
        }
        long out = 0;
        long m = sniRows;
        while (m != 0) {
            final int row = Long.numberOfTrailingZeros(m);
            m &= m - 1;
            final String host = sniHost[row];
            final int off = sni.length() - host.length();
            if (off >= 0 && sni.regionMatches(true, off, host, 0, host.length())
                    && (off == 0 || sni.charAt(off - 1) == '.')) {
                out |= 1L << row;
            }
        }
        return out;
    }

    public PortReference reference() {
        return reference;
    }

    public Settings settings() {
        return settings;
    }

    /** Number of rows (compiled in or not). */
    public int rowCount() {
        return rowCount;
    }

    public ReferenceRow row(final int index) {
        return reference.rows().get(index);
    }

    /** True when the row was compiled in (its {@code when=} setting, if any, is true). */
    public boolean active(final int row) {
        return (activeRows & (1L << row)) != 0;
    }

    /** Opener ports of the row under these settings. */
    public PortSet openerPorts(final int row) {
        return openerPorts[row];
    }

    /** Responder ports of the row under these settings. */
    public PortSet responderPorts(final int row) {
        return responderPorts[row];
    }

    /** Specificity rank of the row (0 = most specific), as used with roles or by ports alone. */
    public int rank(final int row, final boolean withRoles) {
        return (withRoles ? rankWithRoles : rankPortsOnly)[row];
    }
}
