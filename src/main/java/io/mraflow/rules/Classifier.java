package io.mraflow.rules;

import io.mraflow.decode.IpProto;
import io.mraflow.inspect.AppProto;
import java.util.function.Function;

/**
 * Matches flows against the compiled port reference; immutable and safe to share between
 * worker threads: {@link #classify} reads only final arrays and writes only the caller's
 * {@link ClassifierResult}, without locks or allocation.
 *
 * <p>How a flow is read (docs/MRA-PORTS.md, "How to read the tables" and "Interpretation"), in
 * this order, the first that applies giving the verdict:
 * <ol>
 * <li><b>Fits</b>: a row whose transport, responder port, opener port, opener role and responder
 * role all fit gives {@link ClassifierResult#row}; by ports alone (no topology) roles are ignored. Several
 * rows fitting: the most specific wins ({@link CompiledReference}'s rank: narrower opener ports,
 * then role-bound over {@code ANY} when roles are known, then narrower responder ports, then
 * file order). The payload is then checked against the row:
 * {@link FindingCode#PROTOCOL_MISMATCH} when a known protocol outside the row's set was seen
 * (unknown is never a mismatch), except cleartext SIP on a row flagged
 * {@code sip-cleartext=not-recommended} (T4.3), which is {@link FindingCode#NOT_RECOMMENDED}.</li>
 * <li><b>Whole flow reversed</b>: the flow with opener and responder swapped (addresses and
 * ports) fits a row: {@link FindingCode#WRONG_DIRECTION} (EXPE:7001 opening towards
 * EXPC:25124).</li>
 * <li><b>Source port outside the range</b>: transport, responder port and both roles fit a row
 * but the opener's port does not: {@link FindingCode#SOURCE_PORT_OUTSIDE_RANGE}. By ports alone
 * only rows whose responder side is the service side count (see 4): otherwise every UDP flow to
 * a port above 1023 would "fit T2.4 from the wrong source port".</li>
 * <li><b>Roles reversed on the service port</b> (topology only): the responder port fits a row
 * whose opener role the responder holds and whose responder role the opener holds, and that row's
 * responder side is its service side (no more responder ports than opener ports, so T2.4's
 * "any port of the endpoint" is not a service port): {@link FindingCode#WRONG_DIRECTION}
 * (EXPE opening towards EXPC:7001).</li>
 * <li>Otherwise {@link FindingCode#UNDOCUMENTED}; and, with a topology, SIP towards a row flagged
 * {@code trunk-peers=...} (T4.1 5060, T4.3 5061 on a UCM) from one of those roles also raises
 * {@link FindingCode#NOT_RECOMMENDED} citing that row: footnote *, 5060/5061 used as a SIP trunk
 * port on a Unified CM MRA reaches on its line side.</li>
 * </ol>
 * Rows flagged {@code ice} (T1.1) are considered only when {@link FlowFacts#iceEvidence}; CLOUD
 * rows (Table 5) only when {@link FlowFacts#sni} names their host (the TLS SNI, or the name a DNS
 * answer earlier in the capture gave the responder's address). Whether a TCP flow was
 * answered does not change the verdict: the SYN's sender is the opener either way.
 */
public final class Classifier {
    private final CompiledReference ref;
    private final Topology topology;
    /** No roles known and ports alone not asked for: no flow gets a row by coincidence of ports. */
    private final boolean noRoles;

    /**
     * @param reference the compiled reference
     * @param topology  roles of addresses, or null to classify by ports alone
     */
    public Classifier(final CompiledReference reference, final Topology topology) {
        this(reference, topology, false);
    }

    private Classifier(final CompiledReference reference, final Topology topology, final boolean noRoles) {
        this.ref = reference;
        this.topology = topology;
        this.noRoles = noRoles;
    }

    /**
     * A classifier for a capture where no Expressway is known (no topology given, none inferred):
     * every flow is {@link FindingCode#UNDOCUMENTED} ({@link Basis#NO_ROLES}), because ports
     * alone would give rows by coincidence: Linux ephemeral ports lie inside the media ranges.
     * A known protocol on a service port of a row that documents another is still
     * {@link FindingCode#PROTOCOL_MISMATCH} (SSH on a TLS port).
     */
    public static Classifier withoutRoles(final CompiledReference reference) {
        return new Classifier(reference, null, true);
    }

    public CompiledReference reference() {
        return ref;
    }

    /** The topology, or null when classifying by ports alone. */
    public Topology topology() {
        return topology;
    }

    /** Classifies {@code f} into {@code out} (reset first). Allocation-free. */
    public void classify(final FlowFacts f, final ClassifierResult out) {
        out.reset();
        final Topology topo = topology;
        final boolean withRoles = topo != null;
        final int oRoles;
        final int rRoles;
        if (withRoles) {
            oRoles = topo.roles(f.origHi, f.origLo);
            rRoles = topo.roles(f.respHi, f.respLo);
            out.origRoles = oRoles;
            out.respRoles = rRoles;
            out.basis = topo.inferred() ? Basis.INFERRED_ROLES_PORTS : Basis.ROLES_PORTS;
        } else {
            oRoles = Role.ALL_MASK;
            rRoles = Role.ALL_MASK;
            out.basis = Basis.PORTS;
        }
        final int t = f.ipProto == IpProto.TCP ? 0 : f.ipProto == IpProto.UDP ? 1 : -1;
        if (noRoles) {
            out.basis = Basis.NO_ROLES;
        }
        if (t < 0) {
            out.add(FindingCode.UNDOCUMENTED, -1);
            return;
        }
        final CompiledReference r = ref;
        long eligible = r.activeRows;
        if (!f.iceEvidence) {
            eligible &= ~r.iceRows;
        }
        if (withRoles && !isMedia(f.appProto) || noRoles) {
            eligible &= ~r.mediaRows; // --ports-only asked for ports alone: there they decide
        }
        if (noRoles) {
            out.add(FindingCode.UNDOCUMENTED, -1);
            final long service = r.responderRows[t][f.respPort & 0xffff] & eligible & r.serviceSideRows;
            if (service != 0) {
                mismatch(r.mostSpecific(service, false), f.appProto, out);
            }
            return;
        }
        eligible &= ~(r.sniRows & ~r.rowsForServerName(f.sni));
        final int oPort = f.origPort & 0xffff;
        final int rPort = f.respPort & 0xffff;
        final long fwdRoles = r.rowsOpenedBy[oRoles] & r.rowsAnsweredBy[rRoles];
        final long revRoles = r.rowsOpenedBy[rRoles] & r.rowsAnsweredBy[oRoles];
        final long fwdService = r.responderRows[t][rPort] & eligible;

        final long fits = fwdService & r.openerRows[oPort] & fwdRoles;
        if (fits != 0) {
            final int row = r.mostSpecific(fits, withRoles);
            out.row = row;
            checkPayload(row, f.appProto, out);
            return;
        }
        // The wrong way only when the payload fits the reversed row (or none was seen): HTTP from a
        // client whose port happens to be 5060 is not SIP opened backwards.
        final long reversed = carrying(r.responderRows[t][oPort] & eligible & r.openerRows[rPort] & revRoles, f.appProto);
        if (reversed != 0) {
            out.add(FindingCode.WRONG_DIRECTION, r.mostSpecific(reversed, withRoles));
            return;
        }
        final long sourceOff = fwdService & fwdRoles & (withRoles ? -1L : r.serviceSideRows);
        if (sourceOff != 0) {
            final int row = r.mostSpecific(sourceOff, withRoles);
            out.add(FindingCode.SOURCE_PORT_OUTSIDE_RANGE, row);
            mismatch(row, f.appProto, out); // SSH on a TLS port is wrong whatever the source port
            return;
        }
        if (withRoles) {
            final long rolesSwapped = carrying(fwdService & revRoles & r.serviceSideRows, f.appProto);
            if (rolesSwapped != 0) {
                out.add(FindingCode.WRONG_DIRECTION, r.mostSpecific(rolesSwapped, true));
                return;
            }
        }
        out.add(FindingCode.UNDOCUMENTED, -1);
        if (withRoles) {
            final int app = f.appProto;
            if (app == AppProto.SIP || app == AppProto.TLS || app == AppProto.UNKNOWN) {
                long trunk = fwdService & r.trunkRows & r.rowsAnsweredBy[rRoles];
                while (trunk != 0) {
                    final int row = Long.numberOfTrailingZeros(trunk);
                    trunk &= trunk - 1;
                    if ((r.trunkPeers[row] & oRoles) != 0) {
                        out.add(FindingCode.NOT_RECOMMENDED, row);
                        break;
                    }
                }
            }
        }
    }

    private static boolean isMedia(final int app) {
        return app == AppProto.RTP || app == AppProto.RTCP || app == AppProto.STUN || app == AppProto.DTLS;
    }

    /** Of {@code rows}, those whose documented protocols include {@code app} (all when it is unknown). */
    private long carrying(final long rows, final int app) {
        if (app <= AppProto.UNKNOWN || app >= AppProto.COUNT) {
            return rows;
        }
        long keep = 0;
        for (long m = rows; m != 0; m &= m - 1) {
            final int row = Long.numberOfTrailingZeros(m);
            if (ref.payload[row] == 0 || (ref.payload[row] & AppProto.bit(app)) != 0) {
                keep |= 1L << row;
            }
        }
        return keep;
    }

    /** {@link FindingCode#PROTOCOL_MISMATCH} citing {@code row} when a known protocol it does not document was seen. */
    private void mismatch(final int row, final int app, final ClassifierResult out) {
        if (app > AppProto.UNKNOWN && app < AppProto.COUNT && ref.payload[row] != 0
                && (ref.payload[row] & AppProto.bit(app)) == 0) {
            out.add(FindingCode.PROTOCOL_MISMATCH, row);
        }
    }

    private void checkPayload(final int row, final int app, final ClassifierResult out) {
        if (app <= AppProto.UNKNOWN || app >= AppProto.COUNT || (ref.payload[row] & AppProto.bit(app)) != 0) {
            return;
        }
        if (app == AppProto.SIP && ref.sipCleartextNotRecommended[row]) {
            out.add(FindingCode.NOT_RECOMMENDED, row);
        } else {
            out.add(FindingCode.PROTOCOL_MISMATCH, row);
        }
    }

    /**
     * The one-line explanation of a finding raised on {@code f}, citing its row; allocates (report
     * stage, not the per-packet path).
     */
    public String explain(final FindingCode code, final FlowFacts f, final ClassifierResult v) {
        final int row = v.rowOf(code) >= 0 ? v.rowOf(code) : v.row;
        final ReferenceRow rr = row >= 0 ? ref.row(row) : null;
        final Function<String, String> values = name -> {
            switch (name) {
                case "opener":
                    return end(v.origRoles, f.origHi, f.origLo);
                case "responder":
                    return end(v.respRoles, f.respHi, f.respLo);
                case "openerPort":
                    return Integer.toString(f.origPort);
                case "respPort":
                    return Integer.toString(f.respPort);
                case "proto":
                    return f.ipProto == IpProto.TCP ? "TCP" : f.ipProto == IpProto.UDP ? "UDP" : "IP protocol " + f.ipProto;
                case "seen":
                    return AppProto.name(f.appProto);
                case "resetBy":
                    return f.resetBy;
                case "resetAfter":
                    return f.resetAfter;
                case "resetBytes":
                    return f.resetBytes;
                case "alert":
                    return f.alert;
                case "alertFrom":
                    return f.alertFrom == null ? null : f.alertFrom.equals("opener") ? "opener " + end(v.origRoles, f.origHi, f.origLo)
                            : "responder " + end(v.respRoles, f.respHi, f.respLo);
                case "oneWay":
                    return f.oneWay;
                case "rtpLoss":
                    return f.rtpLoss;
                case "dnsQuery":
                    return f.dnsQuery;
                case "dnsAnswer":
                    return f.dnsAnswer;
                case "client":
                    return f.dnsClient;
                case "server":
                    return f.dnsServer;
                case "rtpJitter":
                    return f.rtpJitter;
                case "note":
                    return v.row >= 0 && f.appProto == AppProto.SIP
                            ? "Unified CM can listen for TCP SIP on 5061, but cleartext SIP there is not recommended (table 4, footnote †)"
                            : "do not use 5060/5061 as the listening port of SIP trunks on a Unified CM that MRA reaches on its"
                                    + " line side on 5060/5061 (table 4, footnote *)";
                default:
                    break;
            }
            if (rr == null) {
                return name.equals("row") ? "no documented row" : "-";
            }
            switch (name) {
                case "row":
                    return rr.id();
                case "purpose":
                    return rr.purpose();
                case "rowOpener":
                    return rr.openerLabel();
                case "rowResponder":
                    return rr.responderLabel();
                case "rowOpenerPorts":
                    return ref.openerPorts(row).toString();
                case "rowRespPorts":
                    return ref.responderPorts(row).toString();
                case "expected":
                    return AppProto.names(rr.payload());
                default:
                    return null;
            }
        };
        return code.render(values);
    }

    private static String end(final int roles, final long hi, final long lo) {
        final String addr = AddressBlock.format(hi, lo);
        return roles == 0 ? addr : Role.label(roles) + " " + addr;
    }
}
