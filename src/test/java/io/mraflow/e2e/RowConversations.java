package io.mraflow.e2e;

import io.mraflow.inspect.AppProto;
import io.mraflow.rules.ReferenceRow;
import io.mraflow.synth.Ip;
import io.mraflow.synth.RtpPackets;
import io.mraflow.synth.ScriptedCapture;
import io.mraflow.synth.SshPackets;
import io.mraflow.synth.StunMessages;
import io.mraflow.synth.TextPayloads;
import io.mraflow.synth.TlsRecords;

/**
 * Writes one short, complete conversation per flow with a payload its row documents: TLS
 * (ClientHello with a server name), an SSH banner exchange, an XMPP stream open with STARTTLS,
 * SIP over TCP, HTTP, a TURN Allocate (STUN), RTP both ways, or ICE connectivity checks (STUN
 * with ICE attributes) followed by RTP. TCP conversations are SYN, SYN-ACK, ACK, data both ways,
 * FIN both ways; UDP ones a request and its response (media: a few packets each way).
 * Single-threaded; one instance per capture.
 */
final class RowConversations {

    /** The payload a conversation carries. */
    enum Kind {
        TLS(AppProto.TLS), SSH(AppProto.SSH), XMPP(AppProto.XMPP), SIP(AppProto.SIP), HTTP(AppProto.HTTP),
        STUN(AppProto.STUN), RTP(AppProto.RTP),
        /** ICE checks, then the RTP they cleared the way for: the media names the flow. */
        ICE(AppProto.RTP);

        /** What the inspector should report for the flow. */
        final int appProto;

        Kind(int appProto) {
            this.appProto = appProto;
        }

        /** The payload of {@code row}'s own flows: one the row documents, the most telling of them. */
        static Kind of(ReferenceRow row) {
            final int p = row.payload();
            if (row.ice()) {
                return ICE;
            }
            if (has(p, AppProto.SSH)) {
                return SSH;
            }
            if (has(p, AppProto.XMPP)) {
                return XMPP;
            }
            if (has(p, AppProto.SIP)) {
                return SIP;
            }
            if (has(p, AppProto.HTTP)) {
                return HTTP;
            }
            if (has(p, AppProto.RTP)) {
                return RTP;
            }
            if (has(p, AppProto.STUN)) {
                return STUN;
            }
            return TLS;
        }

        private static boolean has(int mask, int proto) {
            return (mask & AppProto.bit(proto)) != 0;
        }
    }

    /** Server name of TLS flows to rows without a CLOUD host. */
    static final String DEFAULT_SNI = "mra.example.com";
    private static final String DOMAIN = "example.com";
    private static final long RTT_MICROS = 2_000;
    private static final int MEDIA_PACKETS = 4;

    private final ScriptedCapture cap;

    RowConversations(ScriptedCapture cap) {
        this.cap = cap;
    }

    /** Writes one conversation of {@code kind} opened by {@code o}:{@code op} towards {@code r}:{@code rp}. */
    void write(Kind kind, int ipProto, String o, int op, String r, int rp, String sni, String label) {
        cap.advanceMicros(1_000);
        if (ipProto == 6) {
            tcp(kind, cap.tcp(o, op, r, rp, RTT_MICROS, label, "-", label), o, op, r, sni);
        } else {
            udp(kind, cap.udp(o, op, r, rp, RTT_MICROS, label, "-", label), o, op, r, rp);
        }
    }

    private void tcp(Kind kind, ScriptedCapture.Tcp t, String o, int op, String r, String sni) {
        t.handshake();
        switch (kind) {
            case TLS -> t.tlsHandshake(sni, true, "http/1.1").tlsExchange(1, 200, 400);
            case SSH -> t.toClient(SshPackets.banner("OpenSSH_8.9"))
                    .toServer(SshPackets.banner("OpenSSH_8.9 TANDBERG"))
                    .toServer(SshPackets.kexInit(cap.rng())).toClient(SshPackets.kexInit(cap.rng()));
            case XMPP -> t.toServer(TextPayloads.xmppClientStreamOpen(DOMAIN))
                    .toClient(TextPayloads.xmppServerStreamOpen(DOMAIN, "5a0c11e2"))
                    .toServer(TextPayloads.xmppStartTls()).toClient(TextPayloads.xmppProceed());
            case SIP -> {
                final String via = o + ":" + op;
                final String callId = "reg-" + op + "@" + o;
                t.toServer(TextPayloads.sipRequest("REGISTER", "sip:" + DOMAIN, "TCP", via, "jdoe", DOMAIN, callId, 1, null))
                        .toClient(TextPayloads.sipResponse(200, "OK", "TCP " + via, "jdoe", DOMAIN, callId, 1, "REGISTER", null));
            }
            case HTTP -> t.toServer(TextPayloads.httpRequest("GET", "/CSFJDOE.cnf.xml", r, null))
                    .toClient(TextPayloads.httpResponse(200, "OK", "application/xml", "<device/>"));
            case STUN -> {
                final byte[][] m = allocate(o, op);
                t.toServer(m[0]).toClient(m[1]);
            }
            default -> throw new IllegalArgumentException(kind + " over TCP");
        }
        t.close();
    }

    private void udp(Kind kind, ScriptedCapture.Udp u, String o, int op, String r, int rp) {
        switch (kind) {
            case STUN -> {
                final byte[][] m = allocate(o, op);
                u.send(true, m[0]).send(false, m[1]);
            }
            case RTP -> rtp(u);
            case ICE -> {
                final byte[] keyR = StunMessages.shortTermKey("bPwd7QxK2mZs9LrTn4Vc8yHf");
                final byte[] keyO = StunMessages.shortTermKey("aPwd3JkL8nQw5ErTy1UiOp0z");
                final StunMessages checkO = StunMessages.begin(StunMessages.BINDING_REQUEST, cap.rng())
                        .text(StunMessages.ATTR_USERNAME, "fB3k:aX9q")
                        .u32(StunMessages.ATTR_PRIORITY, 1853824767)
                        .u64(StunMessages.ATTR_ICE_CONTROLLING, 0x1A2B3C4D5E6F7081L)
                        .flag(StunMessages.ATTR_USE_CANDIDATE);
                final byte[] txO = checkO.transactionId();
                u.send(true, checkO.finish(keyR));
                u.send(false, StunMessages.respond(StunMessages.BINDING_SUCCESS, txO)
                        .xorAddress(StunMessages.ATTR_XOR_MAPPED_ADDRESS, Ip.v4(o), op).finish(keyR));
                final StunMessages checkR = StunMessages.begin(StunMessages.BINDING_REQUEST, cap.rng())
                        .text(StunMessages.ATTR_USERNAME, "aX9q:fB3k")
                        .u32(StunMessages.ATTR_PRIORITY, 1853824511)
                        .u64(StunMessages.ATTR_ICE_CONTROLLED, 0x0F1E2D3C4B5A6978L);
                final byte[] txR = checkR.transactionId();
                u.send(false, checkR.finish(keyO));
                u.send(true, StunMessages.respond(StunMessages.BINDING_SUCCESS, txR)
                        .xorAddress(StunMessages.ATTR_XOR_MAPPED_ADDRESS, Ip.v4(r), rp).finish(keyO));
                rtp(u);
            }
            default -> throw new IllegalArgumentException(kind + " over UDP");
        }
    }

    /** G.711 RTP both ways, 20 ms apart, in sequence (no loss). */
    private void rtp(ScriptedCapture.Udp u) {
        final int ssrcO = cap.rng().nextInt();
        final int ssrcR = cap.rng().nextInt();
        for (int i = 0; i < MEDIA_PACKETS; i++) {
            u.send(true, RtpPackets.packet(RtpPackets.PT_PCMU, i == 0, 1000 + i, 160L * i, ssrcO, RtpPackets.G711_FRAME));
            u.send(false, RtpPackets.packet(RtpPackets.PT_PCMU, i == 0, 5000 + i, 9000L + 160L * i, ssrcR,
                    RtpPackets.G711_FRAME));
            cap.advanceMicros(20_000);
        }
    }

    /** A TURN Allocate request and its 401 challenge (a complete STUN transaction). */
    private byte[][] allocate(String client, int clientPort) {
        final StunMessages a = StunMessages.begin(StunMessages.ALLOCATE_REQUEST, cap.rng())
                .requestedTransport(17).text(StunMessages.ATTR_SOFTWARE, "Cisco-Jabber/14.3");
        final byte[] tx = a.transactionId();
        final byte[] req = a.finish(null);
        final byte[] err = StunMessages.respond(StunMessages.ALLOCATE_ERROR, tx)
                .errorCode(401, "Unauthorized").text(StunMessages.ATTR_REALM, DOMAIN)
                .text(StunMessages.ATTR_NONCE, "6b3e1f0a9c2d4e5f")
                .xorAddress(StunMessages.ATTR_XOR_MAPPED_ADDRESS, Ip.v4(client), clientPort)
                .text(StunMessages.ATTR_SOFTWARE, "Cisco-TURN/X15.2").finish(null);
        return new byte[][] {req, err};
    }
}
