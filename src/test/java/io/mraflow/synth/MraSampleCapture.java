package io.mraflow.synth;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The sample capture: a complete MRA login and call through an Expressway-E/C pair, with at
 * least one flow of every row T1.1..T5.2 of MRA-PORTS.md and a handful of flows a classifier
 * must flag. Writes the capture, its {@code .flows.tsv} (what each flow was meant to be) and
 * its {@code .topology}. Fully deterministic: the same bytes on every run.
 *
 * <p>Usage: {@code MraSampleCapture OUT.pcapng} (or {@code OUT.pcap} for classic pcap).
 */
public final class MraSampleCapture {

    public static final String EXPE_PUBLIC = "203.0.113.10";
    public static final String EXPE_PRIVATE = "172.16.10.10";
    public static final String EXPC = "10.10.20.10";
    public static final String UCM = "10.10.30.10";
    public static final String IMP = "10.10.30.20";
    public static final String CUC = "10.10.30.30";
    public static final String PHONE = "10.10.40.21";
    public static final String JABBER_A = "198.51.100.23";
    public static final String JABBER_B = "192.0.2.44";
    public static final String SCANNER = "198.51.100.200";
    public static final String ROGUE_SIP = "192.0.2.77";
    public static final String CLOUD_FOS = "192.0.2.170";
    public static final String CLOUD_IDBROKER = "192.0.2.171";
    public static final long START = Instant.parse("2026-03-02T09:00:00Z").getEpochSecond() * 1_000_000_000L;
    public static final long SEED = 0x4D5241L; // "MRA"

    static final String TOPOLOGY = String.join("\n",
        "# Topology of pcaps/mra-sample.pcapng, written by io.mraflow.synth.MraSampleCapture.",
        "# Dual-NIC Expressway-E: public address outside, private address in the DMZ.",
        "size small",
        "media-range 36000-59999",
        "# on-premises phones use 16384-32767 (the documented default)",
        "EXPE_PUBLIC " + EXPE_PUBLIC,
        "EXPE_PRIVATE " + EXPE_PRIVATE,
        "EXPC " + EXPC,
        "UCM " + UCM,
        "IMP " + IMP,
        "CUC " + CUC,
        "ONPREM_MEDIA 10.10.40.0/24",
        "");

    private static final long INTERNET_RTT = 40_000;
    private static final long DMZ_RTT = 600;
    private static final long LAN_RTT = 400;
    private static final String EDGE = "expe.example.com";
    private static final String DOMAIN = "example.com";

    private MraSampleCapture() {
    }

    public static void main(final String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: MraSampleCapture OUT.pcapng|OUT.pcap");
            System.exit(2);
        }
        final Path out = Path.of(args[0]);
        final List<FlowIntent> intents;
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(out), 1 << 16)) {
            intents = write(os, out.toString().endsWith(".pcap"));
        }
        final String base = out.toString().replaceFirst("\\.pcap(ng)?$", "");
        Files.writeString(Path.of(base + ".flows.tsv"), flowsTsv(intents), StandardCharsets.UTF_8);
        Files.writeString(Path.of(base + ".topology"), TOPOLOGY, StandardCharsets.UTF_8);
        System.out.println(out + ": " + intents.size() + " flows");
    }

    /** Writes the sample to {@code os} (classic pcap when {@code classic}) and returns its flows. */
    public static List<FlowIntent> write(final OutputStream os, final boolean classic) throws IOException {
        try (CaptureWriter w = classic ? new PcapWriter(os, true) : new PcapngWriter(os)) {
            final ScriptedCapture cap = new ScriptedCapture(w, START, SEED);
            new Script(cap).run();
            return new ArrayList<>(cap.intents());
        }
    }

    public static String flowsTsv(final List<FlowIntent> intents) {
        final StringBuilder sb = new StringBuilder(FlowIntent.TSV_HEADER).append('\n');
        for (final FlowIntent f : intents) {
            sb.append(f.toTsv()).append('\n');
        }
        return sb.toString();
    }

    /** The story, in capture order. */
    private static final class Script {
        private final ScriptedCapture cap;
        private final MraScript script;

        Script(final ScriptedCapture cap) {
            this.cap = cap;
            this.script = new MraScript(cap, DOMAIN);
        }

        void run() {
            final long t0 = cap.now();

            // --- Expressway start-up: traversal zone from C to E, TURN, cloud registration
            final ScriptedCapture.Tcp traversal = cap.tcp(EXPC, 25310, EXPE_PRIVATE, 7001, DMZ_RTT,
                "T3.2", "-", "traversal zone SIP over TLS, open for the whole capture");
            traversal.handshake().tlsHandshake(EDGE, false, null).tlsExchange(2, 400, 300);

            final ScriptedCapture.Tcp ssh = cap.tcp(EXPC, 30211, EXPE_PRIVATE, 2222, DMZ_RTT,
                "T3.1", "-", "SSH tunnel: identification banners then binary packets");
            ssh.handshake()
                .toClient(SshPackets.banner("OpenSSH_8.9"))
                .toServer(SshPackets.banner("OpenSSH_8.9 TANDBERG"))
                .toServer(SshPackets.kexInit(cap.rng())).toClient(SshPackets.kexInit(cap.rng()))
                .toServer(SshPackets.ecdhInit(cap.rng()))
                .toClient(SshPackets.ecdhReply(cap.rng())).toClient(SshPackets.newKeys(cap.rng()))
                .toServer(SshPackets.newKeys(cap.rng()))
                .toServer(SshPackets.encrypted(60, cap.rng())).toClient(SshPackets.encrypted(60, cap.rng()))
                .toServer(SshPackets.encrypted(380, cap.rng())).toClient(SshPackets.encrypted(620, cap.rng()));

            final ScriptedCapture.Tcp xmppTraversal = cap.tcp(EXPC, 30212, EXPE_PRIVATE, 7400, DMZ_RTT,
                "T3.4", "-", "XMPP traversal: cleartext stream open");
            xmppTraversal.handshake()
                .toServer(TextPayloads.xmppClientStreamOpen(EDGE))
                .toClient(TextPayloads.xmppServerStreamOpen(EDGE, "c2e7400a"))
                .toServer(TextPayloads.xmppStartTls()).toClient(TextPayloads.xmppProceed())
                .tlsHandshake(EDGE, false, null).tlsExchange(1, 200, 200);

            script.turnAllocation(cap.udp(EXPC, 41000, EXPE_PRIVATE, 3478, DMZ_RTT,
                "T3.5", "-", "TURN Allocate over UDP from the Expressway-C"), EXPC, 41000, EXPE_PUBLIC, 24002);

            final ScriptedCapture.Tcp turnTcp = cap.tcp(EXPC, 41002, EXPE_PRIVATE, 3478, DMZ_RTT,
                "T3.5", "-", "TURN Allocate over TCP from the Expressway-C");
            turnTcp.handshake();
            final byte[][] turnMsgs = script.turnMessages(EXPC, 41002, EXPE_PUBLIC, 24004);
            turnTcp.toServer(turnMsgs[0]).toClient(turnMsgs[1]).toServer(turnMsgs[2]).toClient(turnMsgs[3]).close();

            script.tls(cap.tcp(EXPE_PUBLIC, 30401, CLOUD_FOS, 443, INTERNET_RTT,
                "T5.1", "-", "onboarding service, SNI fos-a.wbx2.com"), "fos-a.wbx2.com", true, 2).close();
            script.tls(cap.tcp(EXPE_PUBLIC, 30402, CLOUD_IDBROKER, 443, INTERNET_RTT,
                "T5.2", "-", "common identity, SNI idbroker.webex.com"), "idbroker.webex.com", true, 2).close();

            // --- Jabber A logs in: UDS through E and C, configuration download, SIP REGISTER, XMPP
            cap.at(t0 + 5_000_000_000L);
            script.tls(cap.tcp(JABBER_A, 51001, EXPE_PUBLIC, 8443, INTERNET_RTT,
                "T2.1", "-", "UDS/get_edge_config over MRA"), EDGE, true, 3).close();
            script.tls(cap.tcp(EXPC, 30301, UCM, 8443, LAN_RTT,
                "T4.10", "-", "UDS proxied by the Expressway-C"), "ucm.example.local", false, 2).close();
            script.tls(cap.tcp(EXPC, 30302, UCM, 6972, LAN_RTT,
                "T4.9", "-", "HTTPS TFTP configuration file"), "ucm.example.local", false, 1).close();
            script.tls(cap.tcp(EXPC, 30303, UCM, 6971, LAN_RTT,
                "T4.8", "-", "HTTPS headset configuration"), "ucm.example.local", false, 1).close();
            script.http(cap.tcp(EXPC, 30304, UCM, 6970, LAN_RTT,
                "T4.7", "-", "HTTP TFTP configuration file"), "GET", "/CSFJDOE.cnf.xml", null,
                "application/xml", "<device><deviceProtocol>SIP</deviceProtocol></device>");
            script.http(cap.tcp(EXPC, 30305, UCM, 9444, LAN_RTT,
                "T4.17", "-", "HTTP headset metrics POST"), "POST", "/headset/metrics", "{\"headsets\":[]}",
                "application/json", "{}");

            final ScriptedCapture.Tcp sipA = cap.tcp(JABBER_A, 51002, EXPE_PUBLIC, 5061, INTERNET_RTT,
                "T2.2", "-", "SIP over TLS: REGISTER, later INVITE and BYE");
            sipA.handshake().tlsHandshake(EDGE, false, null).tlsExchange(1, 900, 500);
            final ScriptedCapture.Tcp sipUcm = cap.tcp(EXPC, 25311, UCM, 5061, LAN_RTT,
                "T4.3", "-", "SIP over TLS to UCM: REGISTER, later INVITE and BYE");
            sipUcm.handshake().tlsHandshake("ucm.example.local", false, null).tlsExchange(1, 950, 520);
            traversal.tlsExchange(1, 1000, 540);

            script.sip(cap.tcp(EXPC, 25312, UCM, 5060, LAN_RTT,
                "T4.1", "-", "SIP over TCP to UCM: REGISTER 200 OK"), EXPC + ":25312", "jdoe-desk", "TCP");
            script.tls(cap.tcp(EXPC, 25313, UCM, 5091, LAN_RTT,
                "T4.5", "-", "SIP OAuth over TLS to UCM"), "ucm.example.local", false, 1).close();
            script.tls(cap.tcp(UCM, 5091, EXPC, 5061, LAN_RTT,
                "T4.6", "-", "SIP OAuth over TLS from UCM:5091"), "expc.example.local", false, 1).close();
            script.tls(cap.tcp(UCM, 41877, EXPC, 5061, LAN_RTT,
                "T4.4", "-", "SIP over TLS from UCM"), "expc.example.local", false, 1).close();
            final ScriptedCapture.Tcp notify = cap.tcp(UCM, 41878, EXPC, 5060, LAN_RTT,
                "T4.2", "-", "SIP NOTIFY over TCP from UCM");
            notify.handshake()
                .toServer(TextPayloads.sipRequest("NOTIFY", "sip:jdoe@" + EXPC + ":5060", "TCP", UCM + ":41878",
                    "jdoe", DOMAIN, "notify-0001@" + UCM, 101, null))
                .toClient(TextPayloads.sipResponse(200, "OK", "TCP " + UCM + ":41878", "jdoe", DOMAIN,
                    "notify-0001@" + UCM, 101, "NOTIFY", null))
                .close();

            final ScriptedCapture.Tcp xmppA = cap.tcp(JABBER_A, 51003, EXPE_PUBLIC, 5222, INTERNET_RTT,
                "T2.5", "-", "XMPP: cleartext stream open, STARTTLS, TLS");
            xmppA.handshake()
                .toServer(TextPayloads.xmppClientStreamOpen(DOMAIN))
                .toClient(TextPayloads.xmppServerStreamOpen(DOMAIN, "5a0c11e2"))
                .toServer(TextPayloads.xmppStartTls()).toClient(TextPayloads.xmppProceed())
                .tlsHandshake(DOMAIN, false, null).tlsExchange(2, 300, 700);
            script.tls(cap.tcp(EXPC, 30306, IMP, 7400, LAN_RTT,
                "T4.11", "-", "XMPP over TLS to IM and Presence"), "imp.example.local", false, 2).close();
            script.tls(cap.tcp(EXPC, 30307, IMP, 8443, LAN_RTT,
                "T4.12", "-", "HTTPS SOAP to IM and Presence"), "imp.example.local", false, 1).close();
            script.tls(cap.tcp(EXPC, 30308, IMP, 7336, LAN_RTT,
                "T4.13", "-", "file transfer to IM and Presence"), "imp.example.local", false, 1).close();
            script.tls(cap.tcp(EXPC, 30309, CUC, 443, LAN_RTT,
                "T4.14", "-", "visual voicemail"), "cuc.example.local", true, 2).close();
            script.http(cap.tcp(EXPC, 30310, CUC, 7080, LAN_RTT,
                "T4.15", "-", "MWI over HTTP"), "GET", "/vmrest/mwi", null, "application/json", "{\"MWI\":1}");
            script.tls(cap.tcp(EXPC, 30311, CUC, 7443, LAN_RTT,
                "T4.16", "-", "MWI over HTTPS"), "cuc.example.local", true, 1).close();

            // --- flows that must be flagged, among the login traffic
            cap.advanceMicros(700_000);
            final ScriptedCapture.Tcp sshProbe = cap.tcp(SCANNER, 44123, EXPE_PUBLIC, 22, INTERNET_RTT,
                "-", "UNDOCUMENTED", "SSH from the internet to the public address");
            sshProbe.handshake().toClient(SshPackets.banner("OpenSSH_8.9"))
                .toServer(SshPackets.banner("libssh2_1.10.0")).close();
            cap.tcp(SCANNER, 44124, EXPE_PUBLIC, 23, INTERNET_RTT,
                "-", "UNDOCUMENTED,TCP_UNANSWERED", "telnet SYN and two retransmissions, never answered")
                .synUnanswered(3);
            final ScriptedCapture.Tcp smb = cap.tcp(EXPC, 30999, EXPE_PRIVATE, 445, DMZ_RTT,
                "-", "UNDOCUMENTED", "SMB from the Expressway-C to the Expressway-E");
            smb.handshake().toServer(smbNegotiate()).toClient(TlsRecords.applicationData(120, cap.rng())).close();

            final ScriptedCapture.Tcp badTls = cap.tcp(EXPC, 30312, UCM, 6972, LAN_RTT,
                "T4.9", "TLS_ALERT", "server rejects the handshake with a fatal certificate_unknown alert");
            badTls.handshake().toServer(TlsRecords.clientHello("ucm.example.local", false, null, cap.rng()))
                .toClient(TlsRecords.alert(true, TlsRecords.ALERT_CERTIFICATE_UNKNOWN)).close();

            script.tls(cap.tcp(EXPE_PRIVATE, 27001, EXPC, 7001, DMZ_RTT,
                "T3.2", "WRONG_DIRECTION", "Expressway-E opens the traversal port on the Expressway-C"),
                "expc.example.local", false, 1).close();
            script.tls(cap.tcp(EXPE_PRIVATE, 7001, EXPC, 25124, DMZ_RTT,
                "T3.2", "WRONG_DIRECTION", "the whole traversal flow reversed: E:7001 opens to C:25124"),
                "expc.example.local", false, 1).close();
            script.tls(cap.tcp(EXPC, 40000, EXPE_PRIVATE, 7001, DMZ_RTT,
                "T3.2", "SOURCE_PORT_OUTSIDE_RANGE", "traversal from source port 40000 (range 25000-29999)"),
                EDGE, false, 1).close();
            script.sip(cap.tcp(ROGUE_SIP, 5060, EXPE_PUBLIC, 5061, INTERNET_RTT,
                "T2.2", "PROTOCOL_MISMATCH", "cleartext SIP REGISTER to the TLS port of the Expressway-E"),
                ROGUE_SIP + ":5060", "100", "TCP");
            script.http(cap.tcp(EXPC, 30320, EXPE_PRIVATE, 2222, DMZ_RTT,
                "T3.1", "PROTOCOL_MISMATCH", "plain HTTP on the SSH tunnel port"), "GET", "/", null,
                "text/html", "<html></html>");
            final ScriptedCapture.Tcp reset = cap.tcp(EXPC, 25314, UCM, 5061, LAN_RTT,
                "T4.3", "TCP_RESET", "UCM resets the connection after the ClientHello");
            reset.handshake().toServer(TlsRecords.clientHello("ucm.example.local", false, null, cap.rng()))
                .resetByServer();
            script.sip(cap.tcp(EXPC, 25315, UCM, 5061, LAN_RTT,
                "T4.3", "NOT_RECOMMENDED", "cleartext SIP over TCP to UCM:5061"), EXPC + ":25315", "jdoe-lab", "TCP");

            // --- the call: INVITE from Jabber A over TLS through E and C to UCM, then media
            cap.at(t0 + 15_000_000_000L);
            sipA.tlsExchange(1, 1400, 420);
            traversal.tlsExchange(1, 1500, 430);
            sipUcm.tlsExchange(1, 1450, 900);
            traversal.tlsExchange(1, 950, 420);
            sipA.tlsExchange(1, 400, 1100);
            call();
            sipA.tlsExchange(1, 500, 400);
            traversal.tlsExchange(1, 520, 400);
            sipUcm.tlsExchange(1, 510, 390);

            // --- ICE passthrough call between the two off-premises clients
            cap.advanceMicros(2_000_000);
            iceCall();

            // --- failures seen on the media path
            cap.advanceMicros(500_000);
            oneWayMedia();
            icmpUnreachable();

            // --- long-lived connections end with the capture
            cap.advanceMicros(1_000_000);
            sipA.close();
            sipUcm.close();
            xmppA.close();
            xmppTraversal.close();
            ssh.close();
            traversal.close();
        }

        private static byte[] smbNegotiate() {
            final byte[] b = new byte[4 + 64 + 36];
            b[3] = (byte) (b.length - 4); // NetBIOS session message length
            b[4] = (byte) 0xFE;
            b[5] = 'S';
            b[6] = 'M';
            b[7] = 'B';
            b[8] = 64; // SMB2 header length
            return b;
        }

        /** Jabber A calls the desk phone: media on every leg for three seconds, both ways. */
        private void call() {
            final long start = cap.now() + 50_000_000L;
            final ScriptedCapture.Udp pubAudio = cap.udp(JABBER_A, 52000, EXPE_PUBLIC, 36002, INTERNET_RTT,
                "T2.3", "-", "RTP audio, opened by the client");
            final ScriptedCapture.Udp pubRtcp = cap.udp(JABBER_A, 52001, EXPE_PUBLIC, 36003, INTERNET_RTT,
                "T2.3", "-", "RTCP of the audio stream");
            final ScriptedCapture.Udp pubVideo = cap.udp(EXPE_PUBLIC, 36004, JABBER_A, 52002, INTERNET_RTT,
                "T2.4", "-", "RTP video, opened by the Expressway-E");
            final ScriptedCapture.Udp traversalMedia = cap.udp(EXPC, 36100, EXPE_PRIVATE, 36000, DMZ_RTT,
                "T3.3", "-", "traversal media, multiplexed port 36000");
            final ScriptedCapture.Udp traversalRtcp = cap.udp(EXPC, 36101, EXPE_PRIVATE, 36001, DMZ_RTT,
                "T3.3", "-", "traversal RTCP, multiplexed port 36001");
            final ScriptedCapture.Udp phone = cap.udp(EXPC, 36102, PHONE, 24580, LAN_RTT,
                "T4.18", "-", "RTP to the desk phone");
            final List<MraScript.Stream> streams = List.of(
                script.stream(pubAudio, true, RtpPackets.PT_PCMU, 0),
                script.stream(traversalMedia, true, RtpPackets.PT_PCMU, 900_000),
                script.stream(phone, true, RtpPackets.PT_PCMU, 1_800_000),
                script.stream(pubVideo, true, RtpPackets.PT_H264, 2_700_000),
                script.stream(phone, false, RtpPackets.PT_PCMU, 9_000_000),
                script.stream(traversalMedia, false, RtpPackets.PT_PCMU, 9_900_000),
                script.stream(pubAudio, false, RtpPackets.PT_PCMU, 10_800_000),
                script.stream(pubVideo, false, RtpPackets.PT_H264, 11_700_000));
            script.media(streams, start, 150, new MraScript.Rtcp[] {
                new MraScript.Rtcp(pubRtcp, streams.get(0), streams.get(6)),
                new MraScript.Rtcp(traversalRtcp, streams.get(1), streams.get(5))});
        }

        /** TURN allocations, relayed media while ICE checks run, then direct media between the clients. */
        private void iceCall() {
            script.turnAllocation(cap.udp(JABBER_A, 52010, EXPE_PUBLIC, 3478, INTERNET_RTT,
                "T2.6", "-", "TURN Allocate from Jabber A"), JABBER_A, 52010, EXPE_PUBLIC, 24010);
            script.turnAllocation(cap.udp(JABBER_B, 40100, EXPE_PUBLIC, 3478, INTERNET_RTT,
                "T2.6", "-", "TURN Allocate from Jabber B"), JABBER_B, 40100, EXPE_PUBLIC, 24012);
            final ScriptedCapture.Udp relay = cap.udp(JABBER_B, 40104, EXPE_PUBLIC, 24010, INTERNET_RTT,
                "T2.7", "-", "media to Jabber A's TURN relay port before ICE completes");
            script.media(List.of(script.stream(relay, true, RtpPackets.PT_PCMA, 0),
                script.stream(relay, false, RtpPackets.PT_PCMA, 7_000_000)), cap.now() + 20_000_000L, 50, new MraScript.Rtcp[0]);

            final ScriptedCapture.Udp direct = cap.udp(JABBER_A, 52012, JABBER_B, 40102, INTERNET_RTT,
                "T1.1", "-", "ICE: STUN connectivity checks (ICE attributes) then RTP, off-prem to off-prem");
            script.iceChecks(direct, JABBER_A, 52012, JABBER_B, 40102);
            script.media(List.of(script.stream(direct, true, RtpPackets.PT_PCMU, 0),
                script.stream(direct, false, RtpPackets.PT_PCMU, 8_000_000)), cap.now() + 20_000_000L, 100, new MraScript.Rtcp[0]);
        }

        private void oneWayMedia() {
            final ScriptedCapture.Udp oneWay = cap.udp(JABBER_B, 40200, EXPE_PUBLIC, 36008, INTERNET_RTT,
                "T2.3", "ONE_WAY_MEDIA", "RTP from the client only, nothing comes back");
            script.media(List.of(script.stream(oneWay, true, RtpPackets.PT_PCMU, 0)), cap.now() + 20_000_000L, 50, new MraScript.Rtcp[0]);
        }

        private void icmpUnreachable() {
            final ScriptedCapture.Udp u = cap.udp(JABBER_A, 52020, EXPE_PUBLIC, 36010, INTERNET_RTT,
                "T2.3", "ICMP_UNREACHABLE", "3 RTP packets to a closed media port, each answered by ICMP port unreachable quoting it (one-way only because of that: ONE_WAY_MEDIA not intended)");
            final int ssrc = cap.rng().nextInt();
            for (int i = 0; i < 3; i++) {
                final byte[] quoted = u.sendAndQuote(RtpPackets.packet(RtpPackets.PT_PCMU, i == 0, 100 + i, 1000L + 160L * i,
                    ssrc, RtpPackets.G711_FRAME));
                cap.advanceMicros(300);
                cap.icmpPortUnreachable(EXPE_PUBLIC, JABBER_A, quoted);
                cap.advanceMicros(20_000);
            }
        }
    }
}
