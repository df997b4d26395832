package io.mraflow.rules;

import io.mraflow.flow.FlowRecord;
import io.mraflow.inspect.FlowInspection;
import io.mraflow.inspect.TlsAlert;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The most likely cause of a failing stage and what to check, in one sentence, from what the
 * field knows of MRA failures: a port no client gets an answer on while the same server answers on
 * others is a firewall that does not forward it; one client without answers where others connect
 * (and where it connected before) is the Expressway's intrusion protection; a fatal alert from
 * the client right after the server's certificate is trust or the certificate's names; the
 * Expressway-E latches media, so media blocked towards it shows as no media either way. The
 * checks run in that order, the first that fits speaks; otherwise the first failure's own message.
 */
final class DiagnosisCauses {
    /** TLS alerts that reject a certificate (RFC 8446 6.2): bad, unsupported, revoked, expired, unknown, unknown CA, name. */
    private static final Set<Integer> CERTIFICATE_ALERTS = Set.of(42, 43, 44, 45, 46, 48, 112);

    private final CompiledReference reference;
    private final ConnectAttempts attempts;
    private final MediaLegs media;

    DiagnosisCauses(final CompiledReference reference, final ConnectAttempts attempts, final MediaLegs media) {
        this.reference = reference;
        this.attempts = attempts;
        this.media = media;
    }

    /** The cause of {@code stage} failing, from (a sample of) its failing flows. */
    String cause(final Stage stage, final List<Verdict> failures) {
        String c = udsOutside(failures);
        if (c == null) {
            c = unanswered(failures);
        }
        if (c == null) {
            c = refused(failures);
        }
        if (c == null) {
            c = certificate(failures);
        }
        if (c == null && stage == Stage.MEDIA) {
            c = mediaPath();
        }
        if (c == null) {
            c = icmp(stage, failures);
        }
        if (c == null) {
            c = resetBeforeAnswer(failures);
        }
        if (c == null) {
            final Verdict v = failures.get(0);
            c = stage.title() + " failed: " + firstFailure(v).message();
        }
        return c;
    }

    private static Verdict.Finding firstFailure(final Verdict v) {
        for (Verdict.Finding x : v.findings()) {
            if (DiagnosisBuilder.FAILURES.contains(x.code())) {
                return x;
            }
        }
        return v.findings().get(0);
    }

    private static boolean has(final Verdict v, final FindingCode code) {
        for (Verdict.Finding x : v.findings()) {
            if (x.code() == code) {
                return true;
            }
        }
        return false;
    }

    // ---- internal service discovery answered outside ---------------------------------------------

    private static String udsOutside(final List<Verdict> failures) {
        for (Verdict v : failures) {
            if (!has(v, FindingCode.CISCO_UDS_OUTSIDE)) {
                continue;
            }
            final FlowRecord f = v.flow();
            return "The DNS server " + AddressBlock.format(f.respHi(), f.respLo()) + " answers " + v.dnsQuery()
                    + " to the outside client " + AddressBlock.format(f.origHi(), f.origLo()) + " (" + String.join(", ", v.dnsAnswers())
                    + "): Cisco requires _cisco-uds to resolve only inside, so an outside client that finds it tries Unified CM"
                    + " directly instead of MRA, and fails or waits before it falls back to _collab-edge. Remove the _cisco-uds"
                    + " records from the public DNS zone (keep them internal, in split DNS).";
        }
        return null;
    }

    // ---- SYNs without an answer: a port the firewall does not forward, or a banned client -------

    private String unanswered(final List<Verdict> failures) {
        for (Verdict v : failures) {
            if (!has(v, FindingCode.TCP_UNANSWERED)) {
                continue;
            }
            final FlowRecord f = v.flow();
            final String server = AddressBlock.format(f.respHi(), f.respLo());
            final ConnectAttempts.Address serverAt = new ConnectAttempts.Address(f.respHi(), f.respLo());
            final ConnectAttempts.ServiceTally s = attempts.services.get(new ConnectAttempts.Service(serverAt, f.respPort()));
            if (s == null) {
                continue;
            }
            final String banned = banned(serverAt);
            if (banned != null) {
                return banned;
            }
            if (s.answered.isEmpty()) {
                final Set<Integer> others = attempts.answeringPorts(serverAt);
                final String who = s.unanswered.size() == 1 ? "The client " + first(s.unanswered) + "'s SYNs"
                        : "The SYNs of " + s.unanswered.size() + " clients";
                if (!others.isEmpty()) {
                    return who + " to " + name(s.role) + " " + server + ":" + f.respPort() + " are never answered ("
                            + s.unansweredFlows + " connections), while the same server answers on " + ports(others) + ": "
                            + firewall(s.role) + " does not forward TCP " + f.respPort() + " to it, or it does not listen there."
                            + " Check that firewall's rules and NAT for TCP " + f.respPort() + " towards " + server + ".";
                }
                return who + " to " + name(s.role) + " " + server + ":" + f.respPort() + " are never answered ("
                        + s.unansweredFlows + " connections) and it answers no other port in the capture: it is unreachable"
                        + " (down, routed elsewhere, or " + firewall(s.role) + " drops everything towards it).";
            }
        }
        return null;
    }

    /**
     * One or a few clients get no answer from an Expressway-E that others reach on the same ports,
     * and none of them is answered after its first unanswered SYN: the address is banned.
     */
    private String banned(final ConnectAttempts.Address serverAt) {
        final String server = serverAt.toString();
        final Set<ConnectAttempts.Address> silenced = new LinkedHashSet<>();
        final Set<Integer> ports = new LinkedHashSet<>();
        int attemptsLost = 0;
        String role = null;
        for (var e : attempts.services.entrySet()) {
            if (!e.getKey().address().equals(serverAt) || e.getValue().unanswered.isEmpty()) {
                continue;
            }
            final ConnectAttempts.ServiceTally s = e.getValue();
            final Set<ConnectAttempts.Address> others = new LinkedHashSet<>(s.answered);
            others.removeAll(s.unanswered);
            if (others.isEmpty()) {
                return null; // nobody is answered on this port: not one address, the port
            }
            silenced.addAll(s.unanswered);
            ports.add(e.getKey().port());
            attemptsLost += s.unansweredFlows;
            role = s.role;
        }
        if (silenced.isEmpty() || role == null || !role.contains("EXPE")) {
            return null;
        }
        boolean earlier = false;
        for (ConnectAttempts.Address c : silenced) {
            final ConnectAttempts.ClientTally t = attempts.clients.get(c);
            if (t == null || t.lastAnsweredNanos > t.firstUnansweredNanos) {
                return null; // answered after its silence began: a lost packet, not a ban
            }
            earlier |= t.lastAnsweredNanos != Long.MIN_VALUE;
        }
        final Set<ConnectAttempts.Address> connected = attempts.answeredClients(serverAt);
        connected.removeAll(silenced);
        final String who = silenced.size() == 1 ? first(silenced)
                : String.join(", ", silenced.stream().map(Object::toString).toList());
        return "Only " + who + " get" + (silenced.size() == 1 ? "s" : "") + " no answer from the Expressway-E " + server
                + ": " + attemptsLost + " connections to " + ports(ports) + " unanswered, while " + connected.size()
                + " other client" + (connected.size() == 1 ? "" : "s") + " connect to the same ports"
                + (earlier ? ", and " + (silenced.size() == 1 ? "it was" : "they were") + " answered earlier in the capture" : "")
                + ": the Expressway-E's intrusion protection has most likely blocked "
                + (silenced.size() == 1 ? "that address" : "these addresses")
                + " (after repeated failed sign-ins). Check the Expressway-E's blocked addresses"
                + " (System > Protection > Automated detection) and unblock or exempt it.";
    }

    // ---- refused connections ------------------------------------------------------------------

    private String refused(final List<Verdict> failures) {
        for (Verdict v : failures) {
            final FlowRecord f = v.flow();
            if (!f.connState().equals("REJ")) {
                continue;
            }
            final String server = AddressBlock.format(f.respHi(), f.respLo());
            final String client = AddressBlock.format(f.origHi(), f.origLo());
            final ConnectAttempts.ServiceTally s = attempts.services.get(
                    new ConnectAttempts.Service(new ConnectAttempts.Address(f.respHi(), f.respLo()), f.respPort()));
            final int n = s == null ? 1 : s.refusedFlows;
            final String head = name(v.respRole()) + " " + server + " refuses " + what(v.row(), f.respPort()) + " from "
                    + name(v.origRole()) + " " + client + " (" + n + (n == 1 ? " SYN" : " SYNs") + " answered by RST)";
            if ("T3.1".equals(v.row())) {
                return head + ": nothing accepts the SSH tunnel there. Check that the Unified Communications traversal zone"
                        + " is enabled and active on both Expressways, and that no firewall between the C and the E rejects"
                        + " TCP 2222 from the C.";
            }
            return head + ": nothing listens on that port, or a firewall rejects it. Check the service on " + server
                    + " and the firewall between the two for TCP " + f.respPort() + ".";
        }
        return null;
    }

    private static String what(final String row, final int port) {
        if ("T3.1".equals(row)) {
            return "the SSH tunnel on TCP " + port;
        }
        if ("T3.2".equals(row)) {
            return "the traversal zone's TCP " + port;
        }
        return "TCP " + port;
    }

    // ---- certificates -------------------------------------------------------------------------

    private String certificate(final List<Verdict> failures) {
        for (Verdict v : failures) {
            final FlowInspection in = v.flow().inspection();
            if (!has(v, FindingCode.TLS_ALERT) || in == null) {
                continue;
            }
            final FlowRecord f = v.flow();
            final String client = name(v.origRole()) + " " + AddressBlock.format(f.origHi(), f.origLo());
            final String server = name(v.respRole()) + " " + AddressBlock.format(f.respHi(), f.respLo());
            final int desc = in.tlsAlertDescription();
            final String alert = TlsAlert.name(desc) + " (" + desc + ")";
            final int count = countAlerts(failures, f.respHi(), f.respLo(), f.respPort());
            if (in.tlsAlertFromOrig() && f.respBytes() > 0 && CERTIFICATE_ALERTS.contains(desc)) {
                final String sni = in.hasSni() ? in.sni() : null;
                return "The " + client + " rejected the certificate of the " + server + ":" + f.respPort() + " with a fatal "
                        + alert + " right after the server sent it (" + count + (count == 1 ? " connection" : " connections")
                        + "): a trust or name problem. Check that the certificate is signed by a CA the clients trust and that"
                        + " its subject alternative names include the name they connect to"
                        + (sni != null ? " (\"" + sni + "\")" : "") + ".";
            }
            return "The " + (in.tlsAlertFromOrig() ? client : server) + " ended the TLS handshake on port " + f.respPort()
                    + " with a fatal " + alert + " (" + count + (count == 1 ? " connection" : " connections") + "): "
                    + (in.tlsAlertFromOrig() ? "the client refused what the server offered"
                    : "the server refused what the client offered (its certificate, TLS version or ciphers)")
                    + ". Check the TLS settings and certificates of both ends.";
        }
        return null;
    }

    private static int countAlerts(final List<Verdict> failures, final long hi, final long lo, final int port) {
        int n = 0;
        for (Verdict v : failures) {
            final FlowRecord f = v.flow();
            if (has(v, FindingCode.TLS_ALERT) && f.respHi() == hi && f.respLo() == lo && f.respPort() == port) {
                n++;
            }
        }
        return n;
    }

    // ---- ICMP unreachable ---------------------------------------------------------------------

    private String icmp(final Stage stage, final List<Verdict> failures) {
        final List<Verdict> hit = new ArrayList<>();
        for (Verdict v : failures) {
            if (has(v, FindingCode.ICMP_UNREACHABLE)) {
                hit.add(v);
            }
        }
        if (hit.isEmpty()) {
            return null;
        }
        final Verdict v = hit.get(0);
        final FlowRecord f = v.flow();
        final String server = AddressBlock.format(f.respHi(), f.respLo());
        final String from = AddressBlock.format(f.icmpFromHi(), f.icmpFromLo());
        final boolean fromServer = from.equals(server);
        final String ports = documentedPorts(v.row(), f.respPort());
        final String what = stage == Stage.TURN ? "Packets to the TURN relay ports of the " : "Packets to the ";
        return what + name(v.respRole()) + " " + server + " (UDP " + ports + ", " + hit.size()
                + (hit.size() == 1 ? " flow" : " flows") + ") are answered by ICMP unreachable (type/code "
                + f.lastIcmpType() + "/" + f.lastIcmpCode() + ") from " + (fromServer ? "the server itself" : from)
                + (fromServer ? ": nothing listens on those ports there" + (stage == Stage.TURN
                        ? " (no TURN allocation holds them, or the relay range differs from the one configured)" : "")
                        : ": a firewall rejects them")
                + ". Check that " + firewall(v.respRole()) + " lets UDP " + ports + " through to " + server
                + (stage == Stage.TURN ? " (TURN media, T2.7) and that the TURN server is enabled." : ".");
    }

    private String documentedPorts(final String rowId, final int port) {
        if (rowId != null) {
            for (int i = 0; i < reference.rowCount(); i++) {
                if (reference.row(i).id().equals(rowId) && reference.active(i)) {
                    return reference.responderPorts(i).toString();
                }
            }
        }
        return Integer.toString(port);
    }

    // ---- a reset before the server said anything ----------------------------------------------

    private static String resetBeforeAnswer(final List<Verdict> failures) {
        for (Verdict v : failures) {
            final FlowRecord f = v.flow();
            if (has(v, FindingCode.TCP_RESET) && f.respBytes() == 0 && f.origBytes() > 0) {
                return "The " + name(v.respRole()) + " " + AddressBlock.format(f.respHi(), f.respLo()) + " resets TCP "
                        + f.respPort() + " right after the " + name(v.origRole()) + "'s first bytes, before answering: it"
                        + " rejects what is sent there (another protocol, or a TLS profile it does not accept). Check the"
                        + " service and TLS settings on that port.";
            }
        }
        return null;
    }

    // ---- the media path -----------------------------------------------------------------------

    /** Where media stops along the path: the first leg, from the side that sends, where a direction is missing. */
    private String mediaPath() {
        final MediaLegs.Tally out = media.leg(MediaLegs.Leg.OUTSIDE);
        final MediaLegs.Tally dmz = media.leg(MediaLegs.Leg.TRAVERSAL);
        final MediaLegs.Tally in = media.leg(MediaLegs.Leg.INSIDE);
        final String range = mediaRange();
        if (dmz != null && dmz.backward > 0 && dmz.forward == 0 && (out == null || out.forward == 0 && out.backward == 0)) {
            return "The Expressway-E " + dmz.outer + " gets the call's media from the Expressway-C but none arrives from"
                    + " the client and it sends none to it: the Expressway-E latches media (it sends only after it receives),"
                    + " so media blocked on its way in shows as no media either way on the outside. Check that the outside"
                    + " firewall lets UDP " + range + " through to the Expressway-E.";
        }
        // Return media (towards the client) is born inside: the innermost leg without it is where it is lost.
        if (in != null && in.forward > 0 && in.backward == 0) {
            return "Media flows from the client towards the on-premises endpoint " + in.inner + " on every captured leg,"
                    + " but nothing comes back from it: its media to the Expressway-C " + in.outer + " is lost before it"
                    + " reaches the C (the inside firewall does not let UDP from the on-premises media range through to"
                    + " the C's " + range + ", or the endpoint sends to another address). One-way audio: the client hears nothing.";
        }
        if (dmz != null && dmz.forward > 0 && dmz.backward == 0 && (in == null || in.backward > 0)) {
            return "The return media is lost between the Expressway-C and the Expressway-E " + dmz.outer + ": "
                    + (in != null ? "the C receives it from the endpoint but " : "") + "the E gets none of it from the C."
                    + " Check the firewall between the C and the DMZ for UDP from the C to the E's traversal media ports.";
        }
        if (out != null && out.forward > 0 && out.backward == 0) {
            return "Media from the client " + out.outer + " reaches the Expressway-E " + out.inner + " but nothing is sent"
                    + " back" + (dmz == null ? ": the return path is broken further in (the C or the endpoint); capture the"
                    + " E's inside and the C to see where." : ".");
        }
        if (out != null && out.backward > 0 && out.forward == 0) {
            return "The Expressway-E " + out.inner + " sends media to the client " + out.outer + " but none comes back:"
                    + " the client's media is lost on its way in (its own firewall or NAT, or the outside firewall"
                    + " for UDP " + range + "). One-way audio: the far end hears nothing.";
        }
        return null;
    }

    private String mediaRange() {
        for (int i = 0; i < reference.rowCount(); i++) {
            if (reference.row(i).id().equals("T2.3") && reference.active(i)) {
                return reference.responderPorts(i).toString();
            }
        }
        return "36000-59999";
    }

    // ---- words --------------------------------------------------------------------------------

    /** A role label as a person says it. */
    static String name(final String roles) {
        if (roles == null) {
            return "host";
        }
        if (roles.contains("EXPE")) {
            return "Expressway-E";
        }
        if (roles.contains("EXPC")) {
            return "Expressway-C";
        }
        if (roles.contains("UCM")) {
            return "Unified CM";
        }
        if (roles.contains("IMP")) {
            return "IM and Presence";
        }
        if (roles.contains("CUC")) {
            return "Unity Connection";
        }
        if (roles.contains("ONPREM_MEDIA")) {
            return "on-premises endpoint";
        }
        return "client";
    }

    /** The firewall in front of a server of that role. */
    private static String firewall(final String roles) {
        if (roles != null && roles.contains("EXPE_PUBLIC")) {
            return "the outside firewall";
        }
        if (roles != null && roles.contains("EXPE")) {
            return "the firewall between the Expressway-C and the DMZ";
        }
        if (roles != null && !roles.contains("OFFPREM")) {
            return "the inside firewall";
        }
        return "a firewall on the way";
    }

    private static String ports(final Set<Integer> ports) {
        final StringBuilder b = new StringBuilder(ports.size() == 1 ? "port " : "ports ");
        int i = 0;
        for (int p : ports) {
            b.append(i++ == 0 ? "" : ", ").append(p);
        }
        return b.toString();
    }

    private static String first(final Set<?> s) {
        return s.iterator().next().toString();
    }
}
