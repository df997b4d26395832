package io.mraflow.synth;

import static io.mraflow.synth.MraSampleCapture.EXPC;
import static io.mraflow.synth.MraSampleCapture.EXPE_PRIVATE;
import static io.mraflow.synth.MraSampleCapture.EXPE_PUBLIC;
import static io.mraflow.synth.MraSampleCapture.PHONE;
import static io.mraflow.synth.MraSampleCapture.UCM;
import static io.mraflow.synth.MraSteps.DOMAIN;
import static io.mraflow.synth.MraSteps.EDGE;

import io.mraflow.synth.MraSteps.Leg;
import java.util.List;

/**
 * The story of each {@link Scenario}, in capture order: what the clients and Expressways do and
 * where it goes wrong. Each story plays every leg; the capture point decides what is written.
 */
final class ScenarioStories {

    static final String CLIENT_A = "198.51.100.23";
    static final String CLIENT_B = "192.0.2.44";
    static final String CLIENT_C = "198.51.100.61";
    static final String CLIENT_D = "192.0.2.130";
    static final String CLIENT_BANNED = "198.51.100.99";

    private static final long SECOND = 1_000_000_000L;

    private ScenarioStories() {
    }

    /** Sign-in and XMPP work; SIP on 5061 is dropped by the outside firewall for every client. */
    static void firewallDrops5061(final MraSteps m) {
        final ScriptedCapture cap = m.cap();
        final long t0 = cap.now();
        m.connectExpressways(false);
        final String[] clients = {CLIENT_A, CLIENT_B, CLIENT_C};
        for (int i = 0; i < clients.length; i++) {
            final String client = clients[i];
            final int port = 50100 + 100 * i;
            cap.at(t0 + (1 + 17L * i) * SECOND);
            m.discoverEdge(client, 61000 + 10 * i);
            cap.advanceMicros(2_000);
            m.signIn(client, port, i == 1 ? 1 : 0);
            cap.advanceMicros(120_000);
            m.xmpp(client, port + 2);
            cap.advanceMicros(30_000);
            m.tcp(Leg.OUTSIDE, client, port + 1, EXPE_PUBLIC, 5061, "T2.2", "TCP_UNANSWERED",
                "SIP over TLS: SYN and three retransmissions (1 s, 2 s, 4 s), never answered").synUnanswered(4);
            cap.advanceMicros(3_000_000); // Jabber waits, then tries again on a new connection
            m.tcp(Leg.OUTSIDE, client, port + 3, EXPE_PUBLIC, 5061, "T2.2", "TCP_UNANSWERED",
                "SIP over TLS, second try: SYN and two retransmissions, never answered").synUnanswered(3);
        }
        cap.advanceMicros(2_000_000);
        m.closeAll();
    }

    /** The traversal zone is up, but the Expressway-E refuses the SSH tunnel on 2222, again and again. */
    static void sshTunnelRefused(final MraSteps m) {
        final ScriptedCapture cap = m.cap();
        final long t0 = cap.now();
        m.connectExpressways(true);
        m.turnFromExpresswayC();
        for (int i = 0; i < 8; i++) {
            cap.at(t0 + SECOND + 5L * i * SECOND + cap.rng().nextInt(200_000_000));
            m.tcp(Leg.DMZ, EXPC, 30231 + 13 * i, EXPE_PRIVATE, 2222, "T3.1", "TCP_RESET",
                "SSH tunnel attempt " + (i + 1) + " of 8: SYN answered by RST-ACK (refused)").refused();
            if (i % 2 == 1) {
                cap.advanceMicros(1_500_000);
                m.traversalKeepalive();
            }
        }
        cap.advanceMicros(2_000_000);
        m.closeAll();
    }

    /** A normal login and call to a desk phone; the phone's media never comes back to the C. */
    static void oneWayAudio(final MraSteps m) {
        final ScriptedCapture cap = m.cap();
        final long t0 = cap.now();
        m.connectExpressways(false);
        m.turnFromExpresswayC();
        cap.at(t0 + 3 * SECOND);
        final ScriptedCapture.Tcp sip = m.login(CLIENT_A, 61000, 50100, 0);
        cap.at(t0 + 9 * SECOND);
        m.invite(sip);
        m.callMedia(CLIENT_A, 52000, PHONE, 24580, false, 200);
        cap.advanceMicros(300_000);
        m.bye(sip);
        cap.advanceMicros(2_000_000);
        m.closeAll();
    }

    /** TURN allocations succeed, but media to the relay ports is answered by ICMP port unreachable. */
    static void turnRelayBlocked(final MraSteps m) {
        final ScriptedCapture cap = m.cap();
        final long t0 = cap.now();
        m.connectExpressways(false);
        cap.at(t0 + 2 * SECOND);
        final ScriptedCapture.Tcp sipA = m.login(CLIENT_A, 61000, 50100, 0);
        cap.at(t0 + 6 * SECOND);
        final ScriptedCapture.Tcp sipB = m.login(CLIENT_B, 61010, 50200, 1);
        cap.at(t0 + 12 * SECOND);
        m.inviteOffPrem(sipA, sipB);
        final MraScript script = m.script();
        script.turnAllocation(m.udp(Leg.OUTSIDE, CLIENT_A, 52010, EXPE_PUBLIC, 3478,
            "T2.6", "-", "TURN Allocate from client A: 401, then success (relay 24010)"),
            CLIENT_A, 52010, EXPE_PUBLIC, 24010);
        script.turnAllocation(m.udp(Leg.OUTSIDE, CLIENT_B, 40100, EXPE_PUBLIC, 3478,
            "T2.6", "-", "TURN Allocate from client B: 401, then success (relay 24012)"),
            CLIENT_B, 40100, EXPE_PUBLIC, 24012);
        final String note = "RTP to the peer's TURN relay port, answered by ICMP port unreachable from the E"
            + " (the first six, then one a second: the kernel's rate limit)";
        final ScriptedCapture.Udp aToRelayB = m.udp(Leg.OUTSIDE, CLIENT_A, 52014, EXPE_PUBLIC, 24012,
            "T2.7", "ICMP_UNREACHABLE,ONE_WAY_MEDIA", note);
        final ScriptedCapture.Udp bToRelayA = m.udp(Leg.OUTSIDE, CLIENT_B, 40104, EXPE_PUBLIC, 24010,
            "T2.7", "ICMP_UNREACHABLE,ONE_WAY_MEDIA", note);
        mediaRejected(cap, List.of(new Rejected(aToRelayB, CLIENT_A, 0), new Rejected(bToRelayA, CLIENT_B, 7_000_000)),
            cap.now() + 20_000_000L, 150);
        cap.advanceMicros(400_000);
        m.bye(sipA);
        cap.advanceMicros(2_000_000);
        m.closeAll();
    }

    /** One client's RTP to a closed port, with its sender, its ICMP rate limiter and its RTP state. */
    private static final class Rejected {
        final ScriptedCapture.Udp flow;
        final String sender;
        final long offsetNanos;
        int ssrc;
        int seq;
        long tokens = 6;
        long lastRefill;

        Rejected(final ScriptedCapture.Udp flow, final String sender, final long offsetNanos) {
            this.flow = flow;
            this.sender = sender;
            this.offsetNanos = offsetNanos;
        }

        /** Linux's ICMP limiter per peer: a burst of six, then one a second. */
        boolean allowIcmp(final long now) {
            if (lastRefill == 0) {
                lastRefill = now;
            }
            final long refill = (now - lastRefill) / SECOND;
            if (refill > 0) {
                tokens = Math.min(6, tokens + refill);
                lastRefill += refill * SECOND;
            }
            if (tokens == 0) {
                return false;
            }
            tokens--;
            return true;
        }
    }

    private static void mediaRejected(final ScriptedCapture cap, final List<Rejected> flows, final long start,
                                      final int ticks) {
        for (final Rejected r : flows) {
            r.ssrc = cap.rng().nextInt();
            r.seq = cap.rng().nextInt(0x8000);
        }
        final byte[] buf = new byte[RtpPackets.HEADER_LEN + RtpPackets.G711_FRAME];
        for (int tick = 0; tick < ticks; tick++) {
            for (final Rejected r : flows) {
                final int n = RtpPackets.write(buf, 0, RtpPackets.PT_PCMU, tick == 0, (r.seq + tick) & 0xFFFF,
                    (long) RtpPackets.G711_FRAME * tick, r.ssrc, RtpPackets.G711_FRAME);
                final byte[] quoted = r.flow.sendAtAndQuote(start + tick * MraScript.TICK + r.offsetNanos
                    + cap.rng().nextInt(400_000), buf, n);
                if (r.allowIcmp(cap.now())) {
                    cap.advanceMicros(80); // the E answers at once, and the capture is at its outside interface
                    cap.icmpPortUnreachable(EXPE_PUBLIC, r.sender, quoted);
                }
            }
        }
    }

    /** Two clients reject the Expressway-E's certificate: a fatal unknown_ca after its certificate flight. */
    static void certificateRejected(final MraSteps m) {
        final ScriptedCapture cap = m.cap();
        final long t0 = cap.now();
        final String ca = "Example Corp Issuing CA";
        final byte[][] chain = {
            DerCertificate.der(EDGE, new String[] {EDGE, DOMAIN}, ca, "Example Corp",
                "260105000000Z", "280104235959Z", cap.rng()),
            DerCertificate.der(ca, new String[] {}, "Example Corp Root CA", "Example Corp",
                "240301000000Z", "340228235959Z", cap.rng())};
        final String[] clients = {CLIENT_A, CLIENT_B};
        for (int i = 0; i < clients.length; i++) {
            final String client = clients[i];
            cap.at(t0 + (1 + 12L * i) * SECOND);
            m.discoverEdge(client, 61000 + 10 * i);
            // The desktop client closes after its alert; the mobile one aborts the connection.
            final boolean aborts = i == 1;
            for (int attempt = 0; attempt < 2; attempt++) {
                cap.advanceMicros(attempt == 0 ? 2_000 : 4_000_000);
                final ScriptedCapture.Tcp t = m.tcp(Leg.OUTSIDE, client, 50100 + 100 * i + attempt, EXPE_PUBLIC,
                    8443, "T2.1", aborts ? "TLS_ALERT,TCP_RESET" : "TLS_ALERT",
                    "sign-in: the client sends a fatal unknown_ca alert after the E's certificate flight (issuer "
                        + ca + "), then " + (aborts ? "resets the connection" : "closes it"))
                    .handshake()
                    .tlsRejectedByClient(EDGE, TlsRecords.serverCertificateFlight(chain, cap.rng()),
                        TlsRecords.ALERT_UNKNOWN_CA);
                if (aborts) {
                    t.resetByClient();
                } else {
                    t.close();
                }
            }
        }
        cap.advanceMicros(1_000_000);
    }

    /** The public DNS answers {@code _cisco-uds}: the client tries Unified CM's inside address first. */
    static void ciscoUdsOutside(final MraSteps m) {
        final ScriptedCapture cap = m.cap();
        final long t0 = cap.now();
        m.connectExpressways(false);
        cap.at(t0 + SECOND);
        final String cucm = "cucm1." + DOMAIN;
        final String udsName = "_cisco-uds._tcp." + DOMAIN;
        m.lookup(CLIENT_A, 61000, udsName, DnsMessages.TYPE_SRV,
            new DnsMessages.Record[] {DnsMessages.srv(udsName, 3600, 10, 10, 8443, cucm)},
            new DnsMessages.Record[] {DnsMessages.a(cucm, 3600, UCM)}, "UNDOCUMENTED,CISCO_UDS_OUTSIDE",
            "DNS: _cisco-uds SRV answered by the public resolver with " + cucm + ":8443, A " + UCM
                + " (internal records published outside)");
        cap.advanceMicros(300);
        m.collabEdgeLookup(CLIENT_A, 61001);
        cap.advanceMicros(2_000);
        m.tcp(Leg.OUTSIDE, CLIENT_A, 50100, UCM, 8443, "-", "UNDOCUMENTED,TCP_UNANSWERED",
            "UDS straight to Unified CM's inside address from outside: SYN and three retransmissions, never answered")
            .synUnanswered(4);
        cap.advanceMicros(1_000_000);
        m.tcp(Leg.OUTSIDE, CLIENT_A, 50101, UCM, 8443, "-", "UNDOCUMENTED,TCP_UNANSWERED",
            "UDS to Unified CM again: SYN and two retransmissions, never answered").synUnanswered(3);
        cap.advanceMicros(1_500_000); // Jabber gives up on the inside address and uses the edge
        m.signIn(CLIENT_A, 50110, 0);
        cap.advanceMicros(150_000);
        m.register(CLIENT_A, 50111);
        cap.advanceMicros(40_000);
        m.xmpp(CLIENT_A, 50112);
        cap.advanceMicros(5_000_000);
        m.closeAll();
    }

    /** Four clients work; a fifth, banned by intrusion protection after failed sign-ins, is dropped. */
    static void clientBanned(final MraSteps m) {
        final ScriptedCapture cap = m.cap();
        final long t0 = cap.now();
        m.connectExpressways(false);
        final String[] clients = {CLIENT_A, CLIENT_B, CLIENT_C, CLIENT_D};
        final ScriptedCapture.Tcp[] sips = new ScriptedCapture.Tcp[clients.length];
        cap.at(t0 + SECOND);
        m.discoverEdge(CLIENT_BANNED, 61900);
        for (int i = 0; i < 5; i++) {
            cap.at(t0 + (1 + 6L * i) * SECOND + 10_000_000L);
            m.tcp(Leg.OUTSIDE, CLIENT_BANNED, 50900 + i, EXPE_PUBLIC, 8443, "T2.1", "-",
                "sign-in " + (i + 1) + " of 5 with a rejected password: 401, then the E closes the TLS session")
                .handshake().tlsHandshake(EDGE, false, null)
                .toServer(TlsRecords.applicationData(420 + cap.rng().nextInt(32), cap.rng()))
                .toClient(TlsRecords.applicationData(380 + cap.rng().nextInt(32), cap.rng()))
                .toClient(TlsRecords.encryptedAlert(cap.rng()))
                .closeByServer();
            if (i < clients.length) {
                cap.at(t0 + (4 + 6L * i) * SECOND);
                sips[i] = m.login(clients[i], 61000 + 10 * i, 50100 + 100 * i, i == 2 ? 1 : 0);
            }
        }
        // The fifth sign-in failure within a minute set off intrusion protection: the E drops the address.
        cap.at(t0 + 36 * SECOND);
        m.tcp(Leg.OUTSIDE, CLIENT_BANNED, 50910, EXPE_PUBLIC, 8443, "T2.1", "TCP_UNANSWERED",
            "sign-in after the ban: SYN and three retransmissions, never answered").synUnanswered(4);
        cap.advanceMicros(500_000);
        m.tcp(Leg.OUTSIDE, CLIENT_BANNED, 50911, EXPE_PUBLIC, 5061, "T2.2", "TCP_UNANSWERED",
            "SIP after the ban: SYN and two retransmissions, never answered").synUnanswered(3);
        for (int i = 0; i < sips.length; i++) {
            cap.advanceMicros(700_000);
            m.sipRoundTrip(sips[i], 600, 420); // the working clients' SIP goes on
        }
        cap.advanceMicros(4_000_000);
        m.tcp(Leg.OUTSIDE, CLIENT_BANNED, 50912, EXPE_PUBLIC, 8443, "T2.1", "TCP_UNANSWERED",
            "sign-in again: SYN and two retransmissions, never answered").synUnanswered(3);
        cap.advanceMicros(1_000_000);
        m.closeAll();
    }

    /** Everything works: login, a call to a desk phone, an ICE passthrough call between two clients. */
    static void healthyCall(final MraSteps m) {
        final ScriptedCapture cap = m.cap();
        final long t0 = cap.now();
        m.connectExpressways(false);
        m.turnFromExpresswayC();
        cap.at(t0 + 3 * SECOND);
        final ScriptedCapture.Tcp sipA = m.login(CLIENT_A, 61000, 50100, 1);
        cap.at(t0 + 7 * SECOND);
        final ScriptedCapture.Tcp sipB = m.login(CLIENT_B, 61010, 50200, 2);

        cap.at(t0 + 12 * SECOND);
        m.invite(sipA);
        m.callMedia(CLIENT_A, 52000, PHONE, 24580, true, 60);
        cap.advanceMicros(300_000);
        m.bye(sipA);

        // A calls B: TURN relay first, then ICE checks, then media straight between the clients.
        cap.advanceMicros(3_000_000);
        m.inviteOffPrem(sipA, sipB);
        final MraScript script = m.script();
        script.turnAllocation(m.udp(Leg.OUTSIDE, CLIENT_A, 52010, EXPE_PUBLIC, 3478,
            "T2.6", "-", "TURN Allocate from client A: 401, then success (relay 24010)"),
            CLIENT_A, 52010, EXPE_PUBLIC, 24010);
        script.turnAllocation(m.udp(Leg.OUTSIDE, CLIENT_B, 40100, EXPE_PUBLIC, 3478,
            "T2.6", "-", "TURN Allocate from client B: 401, then success (relay 24012)"),
            CLIENT_B, 40100, EXPE_PUBLIC, 24012);
        final ScriptedCapture.Udp relay = m.udp(Leg.OUTSIDE, CLIENT_B, 40104, EXPE_PUBLIC, 24010,
            "T2.7", "-", "media through client A's TURN relay port until ICE completes");
        script.media(List.of(script.stream(relay, true, RtpPackets.PT_PCMU, 0),
            script.stream(relay, false, RtpPackets.PT_PCMU, 7_000_000)), cap.now() + 20_000_000L, 40,
            new MraScript.Rtcp[0]);
        final ScriptedCapture.Udp direct = m.udp(Leg.OUTSIDE, CLIENT_A, 52012, CLIENT_B, 40102,
            "T1.1", "-", "ICE passthrough: STUN checks with ICE attributes, then RTP straight between the clients");
        script.iceChecks(direct, CLIENT_A, 52012, CLIENT_B, 40102);
        script.media(List.of(script.stream(direct, true, RtpPackets.PT_PCMU, 0),
            script.stream(direct, false, RtpPackets.PT_PCMU, 8_000_000)), cap.now() + 20_000_000L, 50,
            new MraScript.Rtcp[0]);
        cap.advanceMicros(300_000);
        m.bye(sipA);
        cap.advanceMicros(2_000_000);
        m.closeAll();
    }
}
