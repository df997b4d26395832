package io.mraflow.synth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntSupplier;

/**
 * A capture written as a script: open a TCP conversation or a UDP flow, say who sends what,
 * and the frames come out with consistent sequence numbers, checksums and a clock that only
 * moves forward. Every flow opened is recorded as a {@link FlowIntent}. Deterministic for a
 * given seed; single-threaded.
 */
public final class ScriptedCapture {

    private static final int MSS = 1448;

    private final CaptureWriter writer;
    private final FrameBuilder frames = new FrameBuilder();
    private final SplittableRandom rng;
    private final List<FlowIntent> intents = new ArrayList<>();
    private long now;

    public ScriptedCapture(final CaptureWriter writer, final long startEpochNanos, final long seed) {
        this.writer = writer;
        this.now = startEpochNanos;
        this.rng = new SplittableRandom(seed);
    }

    public SplittableRandom rng() {
        return rng;
    }

    public long now() {
        return now;
    }

    public List<FlowIntent> intents() {
        return intents;
    }

    /** Moves the clock forward by {@code micros} microseconds. */
    public void advanceMicros(final long micros) {
        now += micros * 1000L;
    }

    /** Moves the clock to {@code epochNanos}, or one microsecond on if that is not later. */
    public void at(final long epochNanos) {
        now = Math.max(epochNanos, now + 1000L);
    }

    private void emit(final int length) {
        try {
            writer.write(now, frames.frame(), 0, length);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Builds and writes a frame only when the capture point sees its flow. */
    private void writeIfSeen(final boolean seen, final IntSupplier frame) {
        if (seen) {
            emit(frame.getAsInt());
        }
    }

    private void record(final String proto, final byte[] orig, final int origPort, final byte[] resp, final int respPort,
                        final String row, final String findings, final String note) {
        intents.add(new FlowIntent(proto, Ip.text(Ip.v4(orig)), origPort, Ip.text(Ip.v4(resp)), respPort,
            row, findings, note));
    }

    /**
     * Opens (records) a TCP conversation from {@code client} to {@code server}; nothing is sent
     * until the script calls its methods. {@code rttMicros} spaces the two directions.
     */
    public Tcp tcp(final String client, final int clientPort, final String server, final int serverPort,
                   final long rttMicros, final String row, final String findings, final String note) {
        final Tcp t = new Tcp(Ip.bytes(Ip.v4(client)), clientPort, Ip.bytes(Ip.v4(server)), serverPort, rttMicros, true);
        record("tcp", t.c, clientPort, t.s, serverPort, row, findings, note);
        return t;
    }

    /** Opens (records) a UDP flow whose first packet goes from {@code orig} to {@code resp}. */
    public Udp udp(final String orig, final int origPort, final String resp, final int respPort,
                   final long rttMicros, final String row, final String findings, final String note) {
        final Udp u = new Udp(Ip.bytes(Ip.v4(orig)), origPort, Ip.bytes(Ip.v4(resp)), respPort, rttMicros, true);
        record("udp", u.o, origPort, u.r, respPort, row, findings, note);
        return u;
    }

    /**
     * A TCP conversation the capture point does not see: played like {@link #tcp} (the clock moves,
     * the generator is drawn from in the same order) but neither written nor recorded.
     */
    public Tcp unseenTcp(final String client, final int clientPort, final String server, final int serverPort,
                         final long rttMicros) {
        return new Tcp(Ip.bytes(Ip.v4(client)), clientPort, Ip.bytes(Ip.v4(server)), serverPort, rttMicros, false);
    }

    /** A UDP flow the capture point does not see: played like {@link #udp} but neither written nor recorded. */
    public Udp unseenUdp(final String orig, final int origPort, final String resp, final int respPort,
                         final long rttMicros) {
        return new Udp(Ip.bytes(Ip.v4(orig)), origPort, Ip.bytes(Ip.v4(resp)), respPort, rttMicros, false);
    }

    /** An ICMP destination-unreachable (port) from {@code from} to {@code to} quoting {@code quoted}. */
    public void icmpPortUnreachable(final String from, final String to, final byte[] quoted) {
        emit(frames.icmp4Unreachable(Ip.v4(from), Ip.v4(to), 3, quoted, 0, quoted.length));
    }

    /** A TCP conversation's two ends and their next sequence numbers. */
    public final class Tcp {
        final byte[] c;
        final byte[] s;
        final int cport;
        final int sport;
        final long halfRtt;
        final boolean written;
        final long isnC;
        final long isnS;
        long cnext;
        long snext;

        Tcp(final byte[] c, final int cport, final byte[] s, final int sport, final long rttMicros,
            final boolean written) {
            this.c = c;
            this.s = s;
            this.cport = cport;
            this.sport = sport;
            this.halfRtt = Math.max(1, rttMicros / 2);
            this.written = written;
            this.isnC = rng.nextLong() & 0xFFFFFFFFL;
            this.isnS = rng.nextLong() & 0xFFFFFFFFL;
            this.cnext = isnC;
            this.snext = isnS;
        }

        private void fromClient(final int flags, final byte[] payload, final int off, final int len) {
            writeIfSeen(written, () -> frames.tcp(c, cport, s, sport, cnext, snext, flags, payload, off, len));
            cnext += len + ((flags & (FrameBuilder.SYN | FrameBuilder.FIN)) != 0 ? 1 : 0);
        }

        private void fromServer(final int flags, final byte[] payload, final int off, final int len) {
            writeIfSeen(written, () -> frames.tcp(s, sport, c, cport, snext, cnext, flags, payload, off, len));
            snext += len + ((flags & (FrameBuilder.SYN | FrameBuilder.FIN)) != 0 ? 1 : 0);
        }

        /** SYN, SYN-ACK, ACK. */
        public Tcp handshake() {
            advanceMicros(halfRtt);
            fromClient(FrameBuilder.SYN, null, 0, 0);
            advanceMicros(halfRtt);
            fromServer(FrameBuilder.SYN | FrameBuilder.ACK, null, 0, 0);
            advanceMicros(halfRtt);
            fromClient(FrameBuilder.ACK, null, 0, 0);
            return this;
        }

        /** A SYN and its retransmissions at 1 s, 2 s, 4 s ... intervals, none answered. */
        public Tcp synUnanswered(final int attempts) {
            long backoff = 1_000_000;
            for (int i = 0; i < attempts; i++) {
                if (i > 0) {
                    advanceMicros(backoff);
                    backoff *= 2;
                }
                writeIfSeen(written, () -> frames.tcp(c, cport, s, sport, isnC, 0, FrameBuilder.SYN, null, 0, 0));
            }
            cnext = isnC + 1;
            return this;
        }

        public Tcp toServer(final byte[] payload) {
            advanceMicros(halfRtt);
            for (int off = 0; off < payload.length; off += MSS) {
                fromClient(FrameBuilder.PSH | FrameBuilder.ACK, payload, off, Math.min(MSS, payload.length - off));
                advanceMicros(20);
            }
            return this;
        }

        public Tcp toClient(final byte[] payload) {
            advanceMicros(halfRtt);
            for (int off = 0; off < payload.length; off += MSS) {
                fromServer(FrameBuilder.PSH | FrameBuilder.ACK, payload, off, Math.min(MSS, payload.length - off));
                advanceMicros(20);
            }
            return this;
        }

        public Tcp ackFromServer() {
            advanceMicros(halfRtt);
            fromServer(FrameBuilder.ACK, null, 0, 0);
            return this;
        }

        public Tcp ackFromClient() {
            advanceMicros(halfRtt);
            fromClient(FrameBuilder.ACK, null, 0, 0);
            return this;
        }

        /** TLS: ClientHello with {@code sni}, the server's first flight, the client's Finished. */
        public Tcp tlsHandshake(final String sni, final boolean tls13, final String alpn) {
            toServer(TlsRecords.clientHello(sni, tls13, alpn, rng));
            toClient(TlsRecords.serverHelloFlight(tls13, rng));
            toServer(TlsRecords.clientFinished(tls13, rng));
            return this;
        }

        /** {@code exchanges} application-data requests and responses of the given sizes. */
        public Tcp tlsExchange(final int exchanges, final int requestLen, final int responseLen) {
            for (int i = 0; i < exchanges; i++) {
                toServer(TlsRecords.applicationData(requestLen + rng.nextInt(32), rng));
                toClient(TlsRecords.applicationData(responseLen + rng.nextInt(64), rng));
            }
            return this;
        }

        /** FIN from the client, FIN-ACK from the server, last ACK from the client. */
        public Tcp close() {
            advanceMicros(halfRtt);
            fromClient(FrameBuilder.FIN | FrameBuilder.ACK, null, 0, 0);
            advanceMicros(halfRtt);
            fromServer(FrameBuilder.FIN | FrameBuilder.ACK, null, 0, 0);
            advanceMicros(halfRtt);
            fromClient(FrameBuilder.ACK, null, 0, 0);
            return this;
        }

        /**
         * One segment of {@code payload} (at most one MSS) lost beyond the capture point and sent
         * again {@code retransmissions} times with the same sequence number, after a retransmission
         * timeout that starts at 200 ms plus the round trip (the Linux minimum) and doubles; the
         * receiver acknowledges the copy that arrives.
         */
        public Tcp retransmitted(final boolean fromClient, final byte[] payload, final int retransmissions) {
            if (payload.length > MSS) {
                throw new IllegalArgumentException("a retransmitted segment carries at most " + MSS + " bytes");
            }
            advanceMicros(halfRtt);
            long rto = 200_000 + 2 * halfRtt;
            for (int i = 0; i <= retransmissions; i++) {
                if (i > 0) {
                    advanceMicros(rto);
                    rto *= 2;
                }
                if (fromClient) {
                    writeIfSeen(written, () -> frames.tcp(c, cport, s, sport, cnext, snext,
                        FrameBuilder.PSH | FrameBuilder.ACK, payload, 0, payload.length));
                } else {
                    writeIfSeen(written, () -> frames.tcp(s, sport, c, cport, snext, cnext,
                        FrameBuilder.PSH | FrameBuilder.ACK, payload, 0, payload.length));
                }
            }
            if (fromClient) {
                cnext += payload.length;
                return ackFromServer();
            }
            snext += payload.length;
            return ackFromClient();
        }

        /**
         * A connection refused: the SYN answered by RST-ACK (sequence 0, acknowledging the SYN), as
         * a host sends for a port nothing listens on or a firewall configured to reject.
         */
        public Tcp refused() {
            advanceMicros(halfRtt);
            writeIfSeen(written, () -> frames.tcp(c, cport, s, sport, isnC, 0, FrameBuilder.SYN, null, 0, 0));
            cnext = isnC + 1;
            advanceMicros(halfRtt);
            writeIfSeen(written, () -> frames.tcp(s, sport, c, cport, 0, cnext,
                FrameBuilder.RST | FrameBuilder.ACK, null, 0, 0));
            return this;
        }

        /**
         * TLS 1.2 rejected by the client: ClientHello naming {@code sni}, the server's full first
         * flight ({@code certificateFlight}, the chain in clear), the client's ACK, then its fatal
         * {@code alert}. The caller ends the connection ({@link #close()} or {@link #resetByClient()}).
         */
        public Tcp tlsRejectedByClient(final String sni, final byte[] certificateFlight, final int alert) {
            toServer(TlsRecords.clientHello(sni, false, null, rng));
            toClient(certificateFlight);
            ackFromClient();
            advanceMicros(2_000); // the client checks the chain before it answers
            final byte[] record = TlsRecords.alert(true, alert);
            fromClient(FrameBuilder.PSH | FrameBuilder.ACK, record, 0, record.length);
            return this;
        }

        /** The client aborts: RST-ACK (an application closing its socket with unread data, or giving up). */
        public Tcp resetByClient() {
            advanceMicros(halfRtt);
            fromClient(FrameBuilder.RST | FrameBuilder.ACK, null, 0, 0);
            return this;
        }

        /** The server ends the session: FIN-ACK from the server, the client's FIN-ACK, the last ACK. */
        public Tcp closeByServer() {
            advanceMicros(halfRtt);
            fromServer(FrameBuilder.FIN | FrameBuilder.ACK, null, 0, 0);
            advanceMicros(halfRtt);
            fromClient(FrameBuilder.FIN | FrameBuilder.ACK, null, 0, 0);
            advanceMicros(halfRtt);
            fromServer(FrameBuilder.ACK, null, 0, 0);
            return this;
        }

        /** The server aborts: RST-ACK. */
        public Tcp resetByServer() {
            advanceMicros(halfRtt);
            fromServer(FrameBuilder.RST | FrameBuilder.ACK, null, 0, 0);
            return this;
        }
    }

    /** A UDP flow's two ends. */
    public final class Udp {
        final byte[] o;
        final byte[] r;
        final int oport;
        final int rport;
        final long halfRtt;
        final boolean written;

        Udp(final byte[] o, final int oport, final byte[] r, final int rport, final long rttMicros,
            final boolean written) {
            this.o = o;
            this.r = r;
            this.oport = oport;
            this.rport = rport;
            this.halfRtt = Math.max(1, rttMicros / 2);
            this.written = written;
        }

        /** Sends after half a round trip. */
        public Udp send(final boolean fromOriginator, final byte[] payload) {
            advanceMicros(halfRtt);
            return sendNow(fromOriginator, payload, payload.length);
        }

        /** Sends at {@code epochNanos} (or just after the last frame). */
        public Udp sendAt(final long epochNanos, final boolean fromOriginator, final byte[] payload, final int len) {
            at(epochNanos);
            return sendNow(fromOriginator, payload, len);
        }

        private Udp sendNow(final boolean fromOriginator, final byte[] payload, final int len) {
            if (fromOriginator) {
                writeIfSeen(written, () -> frames.udp(o, oport, r, rport, payload, 0, len));
            } else {
                writeIfSeen(written, () -> frames.udp(r, rport, o, oport, payload, 0, len));
            }
            return this;
        }

        /** Sends one packet from the originator at {@code epochNanos} and returns its IP and UDP headers. */
        public byte[] sendAtAndQuote(final long epochNanos, final byte[] payload, final int len) {
            sendAt(epochNanos, true, payload, len);
            return Arrays.copyOfRange(frames.frame(), FrameBuilder.ETH_LEN, FrameBuilder.UDP4_PAYLOAD);
        }

        /** Sends one packet from the originator and returns its IP header and UDP header (to quote in ICMP). */
        public byte[] sendAndQuote(final byte[] payload) {
            send(true, payload);
            return Arrays.copyOfRange(frames.frame(), FrameBuilder.ETH_LEN, FrameBuilder.UDP4_PAYLOAD);
        }
    }
}
