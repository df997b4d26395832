package io.mraflow.synth;

import static io.mraflow.synth.MraSampleCapture.EXPC;
import static io.mraflow.synth.MraSampleCapture.EXPE_PRIVATE;
import static io.mraflow.synth.MraSampleCapture.EXPE_PUBLIC;
import static io.mraflow.synth.MraSampleCapture.IMP;
import static io.mraflow.synth.MraSampleCapture.UCM;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The steps of Mobile and Remote Access that the scenarios share, each played on every leg it
 * crosses (client to Expressway-E, E to C, C to the servers inside) and written only on the legs
 * the capture point sees: service discovery, the Expressway-C connecting to the E, sign-in, SIP
 * registration, XMPP, a call's signalling and its media. Single-threaded, like its capture.
 */
final class MraSteps {

    /** Where a packet passes, as a capture point sees it. */
    enum Leg {
        /** The internet side of the Expressway-E: clients, their DNS resolver, the E's public address. */
        OUTSIDE,
        /** Between the Expressway-C and the E's private (DMZ) address. */
        DMZ,
        /** Between the Expressway-C and Unified CM, IM and Presence, the phones. */
        INSIDE
    }

    static final String DOMAIN = "example.com";
    static final String EDGE = "expe.example.com";
    static final String RESOLVER = "198.51.100.53";
    static final long INTERNET_RTT = 40_000;
    static final long RESOLVER_RTT = 18_000;
    static final long DMZ_RTT = 600;
    static final long LAN_RTT = 400;

    private final ScriptedCapture cap;
    private final MraScript script;
    private final Set<Leg> legs;

    /** The Expressway-C's long-lived connections, once {@link #connectExpressways} ran. */
    private ScriptedCapture.Tcp traversal;
    private ScriptedCapture.Tcp ssh;
    private ScriptedCapture.Tcp xmppTraversal;
    private ScriptedCapture.Tcp sipUcm;
    private ScriptedCapture.Tcp xmppImp;
    private int expresswayCPort = 30400; // the C's next source port towards the servers inside
    private final List<ScriptedCapture.Tcp> open = new ArrayList<>();

    MraSteps(final ScriptedCapture cap, final Set<Leg> legs) {
        this.cap = cap;
        this.script = new MraScript(cap, DOMAIN);
        this.legs = Set.copyOf(legs);
    }

    ScriptedCapture cap() {
        return cap;
    }

    MraScript script() {
        return script;
    }

    boolean sees(final Leg leg) {
        return legs.contains(leg);
    }

    /** A TCP conversation on {@code leg}: recorded with its intent when the capture sees the leg. */
    ScriptedCapture.Tcp tcp(final Leg leg, final String client, final int clientPort, final String server,
                            final int serverPort, final String row, final String findings, final String note) {
        final long rtt = rtt(leg);
        return sees(leg) ? cap.tcp(client, clientPort, server, serverPort, rtt, row, findings, note)
            : cap.unseenTcp(client, clientPort, server, serverPort, rtt);
    }

    /** A UDP flow on {@code leg}: recorded with its intent when the capture sees the leg. */
    ScriptedCapture.Udp udp(final Leg leg, final String orig, final int origPort, final String resp,
                            final int respPort, final String row, final String findings, final String note) {
        final long rtt = rtt(leg);
        return sees(leg) ? cap.udp(orig, origPort, resp, respPort, rtt, row, findings, note)
            : cap.unseenUdp(orig, origPort, resp, respPort, rtt);
    }

    private static long rtt(final Leg leg) {
        return switch (leg) {
            case OUTSIDE -> INTERNET_RTT;
            case DMZ -> DMZ_RTT;
            case INSIDE -> LAN_RTT;
        };
    }

    // ---------------------------------------------------------------- service discovery

    /**
     * One query to the client's resolver and its answer, on its own source port. DNS is no row of
     * the port reference: UNDOCUMENTED, and whatever else {@code findings} adds.
     */
    void lookup(final String client, final int port, final String name, final int type,
                final DnsMessages.Record[] answers, final DnsMessages.Record[] additional, final String note) {
        lookup(client, port, name, type, answers, additional, "UNDOCUMENTED", note);
    }

    void lookup(final String client, final int port, final String name, final int type,
                final DnsMessages.Record[] answers, final DnsMessages.Record[] additional, final String findings,
                final String note) {
        final int id = cap.rng().nextInt(0x10000);
        final ScriptedCapture.Udp dns = cap.udp(client, port, RESOLVER, 53, RESOLVER_RTT, "-", findings, note);
        dns.send(true, DnsMessages.query(id, name, type));
        dns.send(false, answers == null ? DnsMessages.nxdomain(id, name, type)
            : DnsMessages.response(id, name, type, answers, additional));
    }

    /**
     * What Jabber asks outside the enterprise: {@code _cisco-uds._tcp} (NXDOMAIN, as it should be
     * from the internet) and {@code _collab-edge._tls}, answered with the Expressway-E on 8443.
     */
    void discoverEdge(final String client, final int port) {
        lookup(client, port, "_cisco-uds._tcp." + DOMAIN, DnsMessages.TYPE_SRV, null, null,
            "DNS: _cisco-uds SRV from outside, NXDOMAIN (internal only, as it should be)");
        cap.advanceMicros(300);
        collabEdgeLookup(client, port + 1);
    }

    void collabEdgeLookup(final String client, final int port) {
        lookup(client, port, "_collab-edge._tls." + DOMAIN, DnsMessages.TYPE_SRV,
            new DnsMessages.Record[] {DnsMessages.srv("_collab-edge._tls." + DOMAIN, 3600, 10, 10, 8443, EDGE)},
            new DnsMessages.Record[] {DnsMessages.a(EDGE, 3600, EXPE_PUBLIC)},
            "DNS: _collab-edge SRV answered with " + EDGE + ":8443, A " + EXPE_PUBLIC);
    }

    // ---------------------------------------------------------------- the Expressway-C connects

    /**
     * The Expressway-C brings up its connections: the traversal zone on 7001, the SSH tunnel on
     * 2222 (unless {@code sshRefused}: then the caller scripts the refusals), XMPP on 7400, SIP to
     * Unified CM and XMPP to IM and Presence.
     */
    void connectExpressways(final boolean sshRefused) {
        traversal = tcp(Leg.DMZ, EXPC, 25310, EXPE_PRIVATE, 7001,
            "T3.2", "-", "traversal zone SIP over TLS: OPTIONS, then the REGISTERs and calls it carries");
        traversal.handshake().tlsHandshake(EDGE, false, null).tlsExchange(2, 400, 300);
        open.add(traversal);
        if (!sshRefused) {
            ssh = tcp(Leg.DMZ, EXPC, 30211, EXPE_PRIVATE, 2222,
                "T3.1", "-", "SSH tunnel: banners, key exchange, then the HTTP proxy traffic of the sign-ins");
            ssh.handshake()
                .toClient(SshPackets.banner("OpenSSH_8.9"))
                .toServer(SshPackets.banner("OpenSSH_8.9 TANDBERG"))
                .toServer(SshPackets.kexInit(cap.rng())).toClient(SshPackets.kexInit(cap.rng()))
                .toServer(SshPackets.ecdhInit(cap.rng()))
                .toClient(SshPackets.ecdhReply(cap.rng())).toClient(SshPackets.newKeys(cap.rng()))
                .toServer(SshPackets.newKeys(cap.rng()))
                .toServer(SshPackets.encrypted(60, cap.rng())).toClient(SshPackets.encrypted(60, cap.rng()));
            open.add(ssh);
        }
        xmppTraversal = tcp(Leg.DMZ, EXPC, 30212, EXPE_PRIVATE, 7400,
            "T3.4", "-", "XMPP traversal: stream open, STARTTLS, TLS");
        xmppTraversal.handshake()
            .toServer(TextPayloads.xmppClientStreamOpen(EDGE))
            .toClient(TextPayloads.xmppServerStreamOpen(EDGE, "c2e7400a"))
            .toServer(TextPayloads.xmppStartTls()).toClient(TextPayloads.xmppProceed())
            .tlsHandshake(EDGE, false, null).tlsExchange(1, 200, 200);
        open.add(xmppTraversal);
        sipUcm = tcp(Leg.INSIDE, EXPC, 25311, UCM, 5061,
            "T4.3", "-", "SIP over TLS to Unified CM: the clients' REGISTERs and calls");
        sipUcm.handshake().tlsHandshake("ucm.example.local", false, null).tlsExchange(1, 500, 400);
        open.add(sipUcm);
        xmppImp = tcp(Leg.INSIDE, EXPC, 30306, IMP, 7400,
            "T4.11", "-", "XMPP over TLS to IM and Presence");
        xmppImp.handshake().tlsHandshake("imp.example.local", false, null).tlsExchange(1, 300, 300);
        open.add(xmppImp);
    }

    /** A TURN allocation from the Expressway-C (T3.5), as it makes one for each call it may relay. */
    void turnFromExpresswayC() {
        script.turnAllocation(udp(Leg.DMZ, EXPC, 41000, EXPE_PRIVATE, 3478,
            "T3.5", "-", "TURN Allocate over UDP from the Expressway-C"), EXPC, 41000, EXPE_PUBLIC, 24002);
    }

    // ---------------------------------------------------------------- sign-in, SIP, XMPP

    /**
     * Sign-in through the edge: TLS to the E on 8443 (get_edge_config, UDS), each request carried
     * through the SSH tunnel to the C and from there to Unified CM on 8443, then the configuration
     * file over HTTPS TFTP. The first request is retransmitted {@code retransmissions} times.
     */
    void signIn(final String client, final int port, final int retransmissions) {
        final ScriptedCapture.Tcp edge = tcp(Leg.OUTSIDE, client, port, EXPE_PUBLIC, 8443,
            "T2.1", "-", retransmissions > 0
                ? "sign-in: get_edge_config and UDS over MRA; the first request retransmitted once"
                : "sign-in: get_edge_config and UDS over MRA");
        edge.handshake().tlsHandshake(EDGE, true, "http/1.1");
        final ScriptedCapture.Tcp uds = tcp(Leg.INSIDE, EXPC, nextExpresswayCPort(), UCM, 8443,
            "T4.10", "-", "UDS proxied by the Expressway-C for " + client);
        for (int i = 0; i < 3; i++) {
            final byte[] request = TlsRecords.applicationData(300 + cap.rng().nextInt(32), cap.rng());
            if (i == 0 && retransmissions > 0) {
                edge.retransmitted(true, request, retransmissions);
            } else {
                edge.toServer(request);
            }
            ssh.toClient(SshPackets.encrypted(380, cap.rng()));
            if (i == 0) {
                uds.handshake().tlsHandshake("ucm.example.local", false, null);
            }
            uds.tlsExchange(1, 320, 1400);
            ssh.toServer(SshPackets.encrypted(1500, cap.rng()));
            edge.toClient(TlsRecords.applicationData(1400 + cap.rng().nextInt(64), cap.rng()));
        }
        uds.close();
        final ScriptedCapture.Tcp tftp = tcp(Leg.INSIDE, EXPC, nextExpresswayCPort(), UCM, 6972,
            "T4.9", "-", "HTTPS TFTP configuration file for " + client);
        edge.toServer(TlsRecords.applicationData(280, cap.rng()));
        ssh.toClient(SshPackets.encrypted(320, cap.rng()));
        script.tls(tftp, "ucm.example.local", false, 1).close();
        ssh.toServer(SshPackets.encrypted(1000, cap.rng()));
        edge.toClient(TlsRecords.applicationData(960, cap.rng()));
        edge.close();
    }

    /**
     * SIP registration: TLS to the E on 5061, the REGISTER relayed over the traversal zone and on
     * to Unified CM, its 200 OK back. The client's connection stays open.
     */
    ScriptedCapture.Tcp register(final String client, final int port) {
        final ScriptedCapture.Tcp sip = tcp(Leg.OUTSIDE, client, port, EXPE_PUBLIC, 5061,
            "T2.2", "-", "SIP over TLS: REGISTER, then the calls");
        sip.handshake().tlsHandshake(EDGE, false, null);
        sipRoundTrip(sip, 900, 500);
        open.add(sip);
        return sip;
    }

    /** One SIP request from the client through E and C to Unified CM, and its answer back. */
    void sipRoundTrip(final ScriptedCapture.Tcp sip, final int requestLen, final int responseLen) {
        sip.toServer(TlsRecords.applicationData(requestLen + cap.rng().nextInt(32), cap.rng()));
        traversal.toClient(TlsRecords.applicationData(requestLen + 100, cap.rng()));
        sipUcm.tlsExchange(1, requestLen + 50, responseLen);
        traversal.toServer(TlsRecords.applicationData(responseLen + 40, cap.rng()));
        sip.toClient(TlsRecords.applicationData(responseLen + cap.rng().nextInt(32), cap.rng()));
    }

    /** XMPP: stream open, STARTTLS, TLS, then the roster and presence relayed to IM and Presence. */
    ScriptedCapture.Tcp xmpp(final String client, final int port) {
        final ScriptedCapture.Tcp x = tcp(Leg.OUTSIDE, client, port, EXPE_PUBLIC, 5222,
            "T2.5", "-", "XMPP: cleartext stream open, STARTTLS, TLS");
        x.handshake()
            .toServer(TextPayloads.xmppClientStreamOpen(DOMAIN))
            .toClient(TextPayloads.xmppServerStreamOpen(DOMAIN, Integer.toHexString(cap.rng().nextInt())))
            .toServer(TextPayloads.xmppStartTls()).toClient(TextPayloads.xmppProceed())
            .tlsHandshake(DOMAIN, false, null);
        for (int i = 0; i < 2; i++) {
            x.toServer(TlsRecords.applicationData(300 + cap.rng().nextInt(32), cap.rng()));
            xmppTraversal.toClient(TlsRecords.applicationData(350, cap.rng()));
            xmppImp.tlsExchange(1, 350, 700);
            xmppTraversal.toServer(TlsRecords.applicationData(750, cap.rng()));
            x.toClient(TlsRecords.applicationData(700 + cap.rng().nextInt(64), cap.rng()));
        }
        open.add(x);
        return x;
    }

    /** A full client login: discovery, sign-in, SIP registration, XMPP. Returns the SIP connection. */
    ScriptedCapture.Tcp login(final String client, final int dnsPort, final int tcpPort, final int retransmissions) {
        discoverEdge(client, dnsPort);
        cap.advanceMicros(2_000);
        signIn(client, tcpPort, retransmissions);
        cap.advanceMicros(150_000);
        final ScriptedCapture.Tcp sip = register(client, tcpPort + 1);
        cap.advanceMicros(40_000);
        xmpp(client, tcpPort + 2);
        return sip;
    }

    // ---------------------------------------------------------------- a call to a desk phone

    /** The client's INVITE through E and C to Unified CM: 100 Trying, 180 Ringing, 200 OK, ACK. */
    void invite(final ScriptedCapture.Tcp sip) {
        sipRoundTrip(sip, 1400, 420);
        cap.advanceMicros(1_500_000); // the phone rings
        sipUcm.toClient(TlsRecords.applicationData(1100, cap.rng()));
        traversal.toServer(TlsRecords.applicationData(1150, cap.rng()));
        sip.toClient(TlsRecords.applicationData(1120, cap.rng()));
        sip.toServer(TlsRecords.applicationData(420, cap.rng()));
        traversal.toClient(TlsRecords.applicationData(450, cap.rng()));
        sipUcm.toServer(TlsRecords.applicationData(430, cap.rng()));
    }

    /**
     * A call between two MRA clients: the INVITE (with ICE candidates) from {@code caller} in
     * through E and C to Unified CM and out again to {@code callee}, the answer back, the ACK.
     */
    void inviteOffPrem(final ScriptedCapture.Tcp caller, final ScriptedCapture.Tcp callee) {
        sipRoundTrip(caller, 1700, 420);
        sipUcm.toClient(TlsRecords.applicationData(1750, cap.rng()));
        traversal.toServer(TlsRecords.applicationData(1800, cap.rng()));
        callee.toClient(TlsRecords.applicationData(1760, cap.rng()));
        cap.advanceMicros(1_200_000); // the callee answers
        callee.toServer(TlsRecords.applicationData(1300, cap.rng()));
        traversal.toClient(TlsRecords.applicationData(1350, cap.rng()));
        sipUcm.tlsExchange(1, 1320, 1300);
        traversal.toServer(TlsRecords.applicationData(1340, cap.rng()));
        caller.toClient(TlsRecords.applicationData(1310, cap.rng()));
        caller.toServer(TlsRecords.applicationData(420, cap.rng()));
        traversal.toClient(TlsRecords.applicationData(450, cap.rng()));
        sipUcm.toServer(TlsRecords.applicationData(430, cap.rng()));
    }

    /** An OPTIONS keepalive on the traversal zone, from the C. */
    void traversalKeepalive() {
        traversal.tlsExchange(1, 450, 380);
    }

    /** The client hangs up: BYE and 200 OK. */
    void bye(final ScriptedCapture.Tcp sip) {
        sipRoundTrip(sip, 500, 400);
    }

    /**
     * The media of a call from {@code client} to {@code phone}, one G.711 stream each way on each
     * leg: client and E public (T2.3, with RTCP), C and E private (T3.3, with RTCP: the C opens
     * both with empty packets so the E's media can come back through the inside firewall), C and
     * the phone (T4.18). When {@code phoneAnswers} is false nothing comes back from the phone, so
     * every leg carries media one way only.
     */
    void callMedia(final String client, final int clientPort, final String phone, final int phonePort,
                   final boolean phoneAnswers, final int ticks) {
        final String oneWay = phoneAnswers ? "-" : "ONE_WAY_MEDIA";
        final ScriptedCapture.Udp pubAudio = udp(Leg.OUTSIDE, client, clientPort, EXPE_PUBLIC, 36002,
            "T2.3", oneWay, phoneAnswers ? "RTP audio, client and Expressway-E"
                : "RTP audio from the client only: nothing comes back from the E");
        final ScriptedCapture.Udp pubRtcp = udp(Leg.OUTSIDE, client, clientPort + 1, EXPE_PUBLIC, 36003,
            "T2.3", "-", phoneAnswers ? "RTCP of the client's audio"
                : "RTCP from the client only (a report a second: too few packets to call one-way)");
        final ScriptedCapture.Udp travAudio = udp(Leg.DMZ, EXPC, 36100, EXPE_PRIVATE, 36000,
            "T3.3", "-", phoneAnswers ? "traversal media, multiplexed port 36000"
                : "traversal media: two empty RTP packets from the C open the pinhole, then the client's audio"
                + " from the E only");
        final ScriptedCapture.Udp travRtcp = udp(Leg.DMZ, EXPC, 36101, EXPE_PRIVATE, 36001,
            "T3.3", "-", phoneAnswers ? "traversal RTCP, multiplexed port 36001"
                : "traversal RTCP: an empty receiver report from the C, then the E's reports only");
        final ScriptedCapture.Udp toPhone = udp(Leg.INSIDE, EXPC, 36102, phone, phonePort,
            "T4.18", oneWay, phoneAnswers ? "RTP to and from the desk phone"
                : "RTP to the desk phone only: its media back to the C never arrives");
        openPinholes(travAudio, travRtcp);

        // Towards the phone: client -> E, E -> C (the C opened the flow), C -> phone; and back.
        final MraScript.Stream clientOut = script.stream(pubAudio, true, RtpPackets.PT_PCMU, 0);
        final MraScript.Stream eToC = script.stream(travAudio, false, RtpPackets.PT_PCMU, 600_000);
        final MraScript.Stream cToPhone = script.stream(toPhone, true, RtpPackets.PT_PCMU, 1_100_000);
        final List<MraScript.Stream> streams = new ArrayList<>(List.of(clientOut, eToC, cToPhone));
        MraScript.Stream cToE = null;
        MraScript.Stream eToClient = null;
        if (phoneAnswers) {
            streams.add(script.stream(toPhone, false, RtpPackets.PT_PCMU, 9_000_000));
            cToE = script.stream(travAudio, true, RtpPackets.PT_PCMU, 9_500_000);
            eToClient = script.stream(pubAudio, false, RtpPackets.PT_PCMU, 10_100_000);
            streams.add(cToE);
            streams.add(eToClient);
        }
        script.media(streams, cap.now() + 20_000_000L, ticks, new MraScript.Rtcp[] {
            new MraScript.Rtcp(pubRtcp, clientOut, eToClient),
            new MraScript.Rtcp(travRtcp, cToE, eToC)});
    }

    /** The Expressway-C's first packets on its traversal media flows, before any media. */
    private void openPinholes(final ScriptedCapture.Udp rtp, final ScriptedCapture.Udp rtcp) {
        final int ssrc = cap.rng().nextInt();
        final int seq = cap.rng().nextInt(0x8000);
        for (int i = 0; i < 2; i++) {
            rtp.send(true, RtpPackets.packet(RtpPackets.PT_PCMU, false, seq + i, 0, ssrc, 0));
        }
        rtcp.send(true, RtpPackets.emptyReceiverReport(ssrc));
    }

    // ---------------------------------------------------------------- the end of the capture

    /** Closes, in reverse order of opening, every long-lived connection still open. */
    void closeAll() {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        open.clear();
    }

    private int nextExpresswayCPort() {
        return expresswayCPort++;
    }
}
