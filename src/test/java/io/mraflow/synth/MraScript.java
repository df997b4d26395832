package io.mraflow.synth;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The pieces an MRA capture script is made of, over one {@link ScriptedCapture}: a TLS session,
 * an HTTP exchange, a SIP REGISTER, a TURN allocation, ICE connectivity checks and RTP streams
 * with their RTCP. Every piece draws from the capture's generator in a fixed order, so a script
 * built from them is deterministic. Single-threaded, like the capture it writes to.
 */
public final class MraScript {

    /** One packetisation interval of G.711 and of the video streams. */
    public static final long TICK = 20_000_000L;

    private final ScriptedCapture cap;
    private final String domain;

    /** A script over {@code cap} for users of {@code domain} (SIP URIs, TURN realm, RTCP CNAME). */
    public MraScript(final ScriptedCapture cap, final String domain) {
        this.cap = cap;
        this.domain = domain;
    }

    public ScriptedCapture cap() {
        return cap;
    }

    /** Handshake, TLS handshake naming {@code sni}, {@code exchanges} request/response pairs; left open. */
    public ScriptedCapture.Tcp tls(final ScriptedCapture.Tcp t, final String sni, final boolean tls13,
                                   final int exchanges) {
        return t.handshake().tlsHandshake(sni, tls13, tls13 ? "http/1.1" : null).tlsExchange(exchanges, 300, 900);
    }

    /** One cleartext HTTP request and its 200 response on a new connection, then closed. */
    public void http(final ScriptedCapture.Tcp t, final String method, final String path, final String body,
                     final String responseType, final String response) {
        t.handshake().toServer(TextPayloads.httpRequest(method, path, Ip.text(Ip.v4(t.s)), body))
            .toClient(TextPayloads.httpResponse(200, "OK", responseType, response)).close();
    }

    /** A cleartext SIP REGISTER and its 200 OK on a new connection, then closed. */
    public void sip(final ScriptedCapture.Tcp t, final String viaHostPort, final String user, final String transport) {
        final String callId = "reg-" + user + "@" + viaHostPort.substring(0, viaHostPort.indexOf(':'));
        t.handshake()
            .toServer(TextPayloads.sipRequest("REGISTER", "sip:" + domain, transport, viaHostPort, user, domain,
                callId, 1, null))
            .toClient(TextPayloads.sipResponse(200, "OK", transport + " " + viaHostPort, user, domain, callId, 1,
                "REGISTER", null))
            .close();
    }

    /**
     * The four messages of a TURN allocation: Allocate, 401 with realm and nonce, Allocate with
     * credentials, success naming the relay {@code relayAddress:relayPort}.
     */
    public byte[][] turnMessages(final String client, final int clientPort, final String relayAddress,
                                 final int relayPort) {
        final byte[] key = ("turn-user:" + domain + ":secret").getBytes(StandardCharsets.UTF_8);
        final StunMessages a1 = StunMessages.begin(StunMessages.ALLOCATE_REQUEST, cap.rng())
            .requestedTransport(17).text(StunMessages.ATTR_SOFTWARE, "Cisco-Jabber/14.3");
        final byte[] tx1 = a1.transactionId();
        final byte[] req1 = a1.finish(null);
        final byte[] err = StunMessages.respond(StunMessages.ALLOCATE_ERROR, tx1)
            .errorCode(401, "Unauthorized").text(StunMessages.ATTR_REALM, domain)
            .text(StunMessages.ATTR_NONCE, "6b3e1f0a9c2d4e5f")
            .text(StunMessages.ATTR_SOFTWARE, "Cisco-TURN/X15.2").finish(null);
        final StunMessages a2 = StunMessages.begin(StunMessages.ALLOCATE_REQUEST, cap.rng())
            .requestedTransport(17).text(StunMessages.ATTR_USERNAME, "turn-user")
            .text(StunMessages.ATTR_REALM, domain).text(StunMessages.ATTR_NONCE, "6b3e1f0a9c2d4e5f");
        final byte[] tx2 = a2.transactionId();
        final byte[] req2 = a2.finish(key);
        final byte[] ok = StunMessages.respond(StunMessages.ALLOCATE_SUCCESS, tx2)
            .xorAddress(StunMessages.ATTR_XOR_RELAYED_ADDRESS, Ip.v4(relayAddress), relayPort)
            .xorAddress(StunMessages.ATTR_XOR_MAPPED_ADDRESS, Ip.v4(client), clientPort)
            .u32(StunMessages.ATTR_LIFETIME, 600)
            .text(StunMessages.ATTR_SOFTWARE, "Cisco-TURN/X15.2").finish(key);
        return new byte[][] {req1, err, req2, ok};
    }

    /** A TURN allocation over UDP: the client is the flow's originator. */
    public void turnAllocation(final ScriptedCapture.Udp u, final String client, final int clientPort,
                               final String relayAddress, final int relayPort) {
        final byte[][] m = turnMessages(client, clientPort, relayAddress, relayPort);
        u.send(true, m[0]).send(false, m[1]).send(true, m[2]).send(false, m[3]);
    }

    /**
     * Three rounds of ICE connectivity checks between two off-premises clients on {@code direct}
     * (A, the originator, controlling; B controlled), the last nominating the pair.
     */
    public void iceChecks(final ScriptedCapture.Udp direct, final String addressA, final int portA,
                          final String addressB, final int portB) {
        final byte[] keyB = StunMessages.shortTermKey("bPwd7QxK2mZs9LrTn4Vc8yHf");
        final byte[] keyA = StunMessages.shortTermKey("aPwd3JkL8nQw5ErTy1UiOp0z");
        for (int i = 0; i < 3; i++) {
            final boolean nominate = i == 2;
            final StunMessages checkA = StunMessages.begin(StunMessages.BINDING_REQUEST, cap.rng())
                .text(StunMessages.ATTR_USERNAME, "fB3k:aX9q")
                .u32(StunMessages.ATTR_PRIORITY, 1853824767)
                .u64(StunMessages.ATTR_ICE_CONTROLLING, 0x1A2B3C4D5E6F7081L)
                .text(StunMessages.ATTR_SOFTWARE, "Cisco-Jabber-ICE/14.3");
            if (nominate) {
                checkA.flag(StunMessages.ATTR_USE_CANDIDATE);
            }
            final byte[] txA = checkA.transactionId();
            direct.send(true, checkA.finish(keyB));
            direct.send(false, StunMessages.respond(StunMessages.BINDING_SUCCESS, txA)
                .xorAddress(StunMessages.ATTR_XOR_MAPPED_ADDRESS, Ip.v4(addressA), portA).finish(keyB));
            final StunMessages checkB = StunMessages.begin(StunMessages.BINDING_REQUEST, cap.rng())
                .text(StunMessages.ATTR_USERNAME, "aX9q:fB3k")
                .u32(StunMessages.ATTR_PRIORITY, 1853824511)
                .u64(StunMessages.ATTR_ICE_CONTROLLED, 0x0F1E2D3C4B5A6978L)
                .text(StunMessages.ATTR_SOFTWARE, "Cisco-Jabber-ICE/14.3");
            final byte[] txB = checkB.transactionId();
            direct.send(false, checkB.finish(keyA));
            direct.send(true, StunMessages.respond(StunMessages.BINDING_SUCCESS, txB)
                .xorAddress(StunMessages.ATTR_XOR_MAPPED_ADDRESS, Ip.v4(addressB), portB).finish(keyA));
        }
    }

    /**
     * One direction of RTP on a flow, starting {@code offsetNanos} into each tick. Draws its
     * SSRC, first sequence number and timestamp when made.
     */
    public Stream stream(final ScriptedCapture.Udp flow, final boolean fromOriginator, final int payloadType,
                         final long offsetNanos) {
        return new Stream(flow, fromOriginator, payloadType, offsetNanos);
    }

    /** One direction of RTP on a flow. */
    public final class Stream {
        final ScriptedCapture.Udp flow;
        final boolean fromOriginator;
        final int payloadType;
        final long offsetNanos;
        final int ssrc;
        int seq;
        long timestamp;
        int packets;
        int octets;

        private Stream(final ScriptedCapture.Udp flow, final boolean fromOriginator, final int payloadType,
                       final long offsetNanos) {
            this.flow = flow;
            this.fromOriginator = fromOriginator;
            this.payloadType = payloadType;
            this.offsetNanos = offsetNanos;
            this.ssrc = cap.rng().nextInt();
            this.seq = cap.rng().nextInt(0x8000);
            this.timestamp = cap.rng().nextLong() & 0xFFFFFFFL;
        }
    }

    /**
     * An RTCP flow reporting on two streams: {@code forward} sent by the flow's originator,
     * {@code backward} by its responder; either is null when that side sends no media.
     */
    public record Rtcp(ScriptedCapture.Udp flow, Stream forward, Stream backward) {
    }

    /**
     * {@code ticks} packetisation intervals of 20 ms on every stream, interleaved in time order,
     * each packet up to 0.4 ms late; a sender report every second on each RTCP flow.
     */
    public void media(final List<Stream> streams, final long start, final int ticks, final Rtcp[] rtcp) {
        final byte[] buf = new byte[1500];
        for (int tick = 0; tick < ticks; tick++) {
            final long tickStart = start + tick * TICK;
            for (final Stream s : streams) {
                final boolean video = s.payloadType >= 96;
                final int len = video ? 500 + cap.rng().nextInt(600) : RtpPackets.G711_FRAME;
                final int n = RtpPackets.write(buf, 0, s.payloadType, video ? tick % 3 == 2 : tick == 0,
                    s.seq & 0xFFFF, s.timestamp, s.ssrc, len);
                s.flow.sendAt(tickStart + s.offsetNanos + cap.rng().nextInt(400_000), s.fromOriginator, buf, n);
                s.seq++;
                s.timestamp += video ? 1800 : RtpPackets.G711_FRAME;
                s.packets++;
                s.octets += len;
            }
            if (tick % 50 == 49) {
                for (final Rtcp r : rtcp) {
                    if (r.forward() != null) {
                        cap.at(tickStart + 15_000_000L);
                        final byte[] forward = senderReport(r.forward());
                        r.flow().sendAt(cap.now(), true, forward, forward.length);
                    }
                    if (r.backward() != null) {
                        cap.at(tickStart + 16_000_000L);
                        final byte[] backward = senderReport(r.backward());
                        r.flow().sendAt(cap.now(), false, backward, backward.length);
                    }
                }
            }
        }
    }

    private byte[] senderReport(final Stream s) {
        return RtpPackets.senderReport(s.ssrc, cap.now(), s.timestamp, s.packets, s.octets, "jabber@" + domain);
    }
}
