package io.mraflow.inspect;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/**
 * Payloads that get past the parsers' first checks, each protocol's header valid and its fields
 * random, lengths mostly right and sometimes lying: TLS ClientHellos (SNI, extensions), TLS
 * records and alerts, DTLS records, STUN messages (RFC 5389 and 3489, ICE and SOFTWARE attributes,
 * TURN DATA, RFC 4571 framing), TURN ChannelData, RTP and RTCP, SIP, HTTP, SSH banners and XMPP
 * streams; and real payloads from the test captures. Then cut and bytes flipped.
 *
 * <p>Built in plain Java from a seed that jqwik draws (jqwik's combinators are too slow for a
 * million inputs of this depth); each input is reproducible from its seed and reported as its bytes.
 */
final class RandomPayloads {
    /** Captures whose payloads seed the mutations: one or two per protocol the inspector knows. */
    static final List<String> REAL = List.of("arkime/ssh2.pcap", "arkime/stun.pcap", "arkime/tls-split-client-hello.pcap",
        "arkime/wireshark-dtls12.pcap", "ndpi/sip.pcap", "ndpi/http_on_sip_port.pcap", "zeek/tls/xmpp-starttls.pcap",
        "ndpi/rtcp_multiple_pkts_in_the_same_datagram.pcap", "ndpi/stun_classic.pcap",
        "ndpi/stun_tcp_multiple_msgs_same_pkt.pcap", "zeek/tls/tls13-ech.pcap", "zeek/ssh/server-pre-banner-data.pcap");

    private static final String[] SIP_METHODS = {"INVITE", "REGISTER", "OPTIONS", "ACK", "BYE", "CANCEL", "SUBSCRIBE",
        "NOTIFY", "PUBLISH", "MESSAGE", "INFO", "PRACK", "UPDATE", "REFER", "FETCH"};
    private static final String[] HTTP_METHODS = {"GET", "POST", "PUT", "HEAD", "DELETE", "OPTIONS", "PATCH", "CONNECT",
        "TRACE", "PRI", "get"};

    private static final String HOST_CHARS = "abcdefghijklmnopqrstuvwxyz.-0123456789";
    private static final String TOKEN_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789.-_:;=/";

    private final SplittableRandom random;

    RandomPayloads(final long seed) {
        this.random = new SplittableRandom(seed);
    }

    // ---- as jqwik arbitraries

    /**
     * Mostly what {@code build} makes, damaged; then any protocol's payload or a real one, damaged;
     * and random bytes.
     */
    static Arbitrary<byte[]> payloads(final Function<RandomPayloads, byte[]> build) {
        return Arbitraries.frequencyOf(
            Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(200)),
            Tuple.of(4, Arbitraries.longs().map(seed -> {
                final RandomPayloads g = new RandomPayloads(seed);
                return g.damage(build.apply(g));
            })),
            Tuple.of(1, Arbitraries.longs().map(seed -> {
                final RandomPayloads g = new RandomPayloads(seed);
                return g.damage(g.any());
            })));
    }

    /** Any protocol's payload, or a real one. */
    byte[] any() {
        return switch (random.nextInt(12)) {
            case 0 -> tlsClientHello();
            case 1 -> tlsRecords();
            case 2 -> dtls();
            case 3 -> stun(random.nextBoolean());
            case 4 -> channelData();
            case 5 -> rtp();
            case 6 -> rtcp();
            case 7 -> sip();
            case 8 -> http();
            case 9 -> ssh();
            case 10 -> xmpp();
            default -> real();
        };
    }

    /**
     * The bytes cut at a random length (whole two times in three), and half the time up to three
     * bytes changed.
     */
    byte[] damage(final byte[] bytes) {
        final byte[] b = Arrays.copyOf(bytes, random.nextInt(3) != 0 ? bytes.length : random.nextInt(bytes.length + 1));
        for (int n = random.nextBoolean() ? 0 : 1 + random.nextInt(3); n > 0 && b.length > 0; n--) {
            b[random.nextInt(b.length)] = (byte) random.nextInt(256);
        }
        return b;
    }

    // ---- TLS and DTLS

    /** A ClientHello record: session id, cipher suites, compression, extensions with a server_name. */
    byte[] tlsClientHello() {
        final byte[] name = text(random.nextInt(8) == 0 ? random.nextInt(400) : 1 + random.nextInt(40));
        final byte[] serverName = cat(new byte[] {(byte) (random.nextInt(8) == 0 ? random.nextInt(256) : 0)},
            u16(len(name.length)), name);
        final byte[] sniExtension = cat(u16(0), u16(len(serverName.length + 2)), u16(len(serverName.length)), serverName);
        final ByteArrayOutputStream extensions = new ByteArrayOutputStream();
        final int before = random.nextInt(4);
        for (int i = 0; i < 4; i++) {
            if (i == before && random.nextInt(8) != 0) {
                extensions.writeBytes(sniExtension);
            }
            final byte[] data = bytes(random.nextInt(20));
            extensions.writeBytes(cat(u16(1 + random.nextInt(0xfffe)), u16(len(data.length)), data));
        }
        final byte[] sessionId = bytes(random.nextInt(33));
        final byte[] suites = bytes(2 * (1 + random.nextInt(20)));
        final byte[] compression = bytes(1 + random.nextInt(2));
        final byte[] exts = extensions.toByteArray();
        final byte[] body = cat(new byte[] {3, (byte) random.nextInt(5)}, bytes(32),
            new byte[] {(byte) len8(sessionId.length)}, sessionId, u16(len(suites.length)), suites,
            new byte[] {(byte) len8(compression.length)}, compression, u16(len(exts.length)), exts);
        final byte[] handshake = cat(new byte[] {1}, u24(len(body.length)), body);
        return cat(new byte[] {22, 3, (byte) random.nextInt(5)}, u16(len(handshake.length)), handshake);
    }

    /** One to four TLS records of any type: alerts (plaintext or not), handshakes, application data. */
    byte[] tlsRecords() {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int n = 1 + random.nextInt(4); n > 0; n--) {
            final int type = random.nextInt(8) == 0 ? random.nextInt(256) : 20 + random.nextInt(4);
            final byte[] body = type == 21 && random.nextBoolean()
                ? new byte[] {(byte) pick(1, 2, random.nextInt(256)), (byte) random.nextInt(256)}
                : bytes(random.nextInt(60));
            out.writeBytes(cat(new byte[] {(byte) type, 3, (byte) random.nextInt(6)}, u16(len(body.length)), body));
        }
        return out.toByteArray();
    }

    /** One to three DTLS records of the versions the parser knows (1.0, 1.2, 1.3, OpenSSL's pre-RFC) or others. */
    byte[] dtls() {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
            final int version = random.nextInt(6) == 0 ? random.nextInt(0x10000) : pick(0xfeff, 0xfefd, 0xfefc, 0x0100);
            final byte[] body = bytes(random.nextInt(80));
            out.writeBytes(cat(new byte[] {(byte) (20 + random.nextInt(4))}, u16(version), bytes(8), u16(len(body.length)), body));
        }
        return out.toByteArray();
    }

    // ---- STUN, TURN, RTP, RTCP

    /**
     * One STUN message (over TCP now and then several, or behind an RFC 4571 length): a known or
     * random type, the magic cookie or none (RFC 3489), ICE, SOFTWARE and DATA attributes.
     */
    byte[] stun(final boolean tcp) {
        final int messages = tcp && random.nextInt(3) == 0 ? 2 + random.nextInt(3) : 1;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < messages; i++) {
            final byte[] m = stunMessage();
            out.writeBytes(tcp && random.nextInt(3) == 0 ? cat(u16(len(m.length)), m) : m);
        }
        return out.toByteArray();
    }

    private byte[] stunMessage() {
        final ByteArrayOutputStream attributes = new ByteArrayOutputStream();
        for (int n = random.nextInt(6); n > 0; n--) {
            final int type = pick(0x0024, 0x0025, 0x8029, 0x802A, 0x8022, 0x0013, 0x0006, random.nextInt(0x10000));
            final byte[] value = switch (type) {
                case 0x0024 -> bytes(4);
                case 0x0025 -> new byte[0];
                case 0x8029, 0x802A -> bytes(8);
                case 0x8022 -> random.nextBoolean()
                    ? ascii(oneOf("Cisco-SIPGW", "TANDBERG/4137", "libjuice", "x")) : text(random.nextInt(200));
                case 0x0013 -> random.nextBoolean() ? rtp() : bytes(random.nextInt(40));
                default -> bytes(random.nextInt(24));
            };
            // padded to 4, except now and then the last one (some clients leave it unpadded)
            final byte[] pad = new byte[n == 1 && random.nextInt(4) == 0 ? 0 : (4 - value.length % 4) % 4];
            attributes.writeBytes(cat(u16(type), u16(len(value.length)), value, pad));
        }
        final byte[] attrs = attributes.toByteArray();
        final boolean classic = random.nextInt(4) == 0;
        final int type = random.nextInt(6) == 0 ? random.nextInt(0x10000)
            : classic ? pick(0x0001, 0x0101, 0x0111, 0x0002, 0x0102, 0x0112)
            : pick(0x0001, 0x0101, 0x0111, 0x0003, 0x0103, 0x0004, 0x0016, 0x0017, 0x0009, 0x0080, 0x0202);
        return cat(u16(type), u16(len(attrs.length)), classic ? bytes(4) : u32(0x2112A442L), bytes(12), attrs);
    }

    /** TURN ChannelData: a channel number, the length, RTP or anything, padding now and then. */
    byte[] channelData() {
        final byte[] data = random.nextBoolean() ? rtp() : bytes(random.nextInt(60));
        final int channel = random.nextInt(6) == 0 ? random.nextInt(0x10000) : 0x4000 + random.nextInt(0x4000);
        return cat(u16(channel), u16(len(data.length)), data, new byte[random.nextInt(4)]);
    }

    /** RTP: CSRCs, a header extension and padding now and then, payload types static, dynamic or other. */
    byte[] rtp() {
        return rtp(random.nextLong() & 0xffff_ffffL, random.nextInt(0x10000));
    }

    byte[] rtp(final long ssrc, final int seq) {
        final int csrcs = random.nextInt(4) == 0 ? random.nextInt(16) : 0;
        final boolean extension = random.nextInt(5) == 0;
        final boolean padding = random.nextInt(6) == 0;
        final int version = random.nextInt(10) == 0 ? random.nextInt(4) : 2;
        final int pt = random.nextInt(8) == 0 ? random.nextInt(128) : pick(0, 8, 9, 18, 96, 101, 111, 127);
        final byte[] ext = extension ? bytes(4 * random.nextInt(4)) : new byte[0];
        final byte[] payload = bytes(random.nextInt(60));
        final int padCount = padding ? 1 + random.nextInt(8) : 0;
        final byte[] pad = new byte[padCount];
        if (padCount > 0) {
            pad[padCount - 1] = (byte) (random.nextInt(6) == 0 ? random.nextInt(256) : padCount);
        }
        return cat(new byte[] {(byte) (version << 6 | (padding ? 0x20 : 0) | (extension ? 0x10 : 0) | csrcs),
                (byte) ((random.nextBoolean() ? 0x80 : 0) | pt)}, u16(seq), bytes(4), u32(ssrc), bytes(4 * csrcs),
            extension ? cat(bytes(2), u16(len(ext.length / 4))) : new byte[0], ext, payload, pad);
    }

    /** A stream of RTP packets from one source mostly in order (lost, repeated, reordered, restarted), and strangers. */
    List<byte[]> rtpStream() {
        final long ssrc = random.nextLong() & 0xffff_ffffL;
        int seq = random.nextInt(0x10000);
        final List<byte[]> packets = new ArrayList<>();
        for (int n = 1 + random.nextInt(40); n > 0; n--) {
            seq = switch (random.nextInt(20)) {
                case 0 -> random.nextInt(0x10000);        // jump (a restart, or garbage)
                case 1 -> seq;                            // duplicate
                case 2 -> (seq - 1 - random.nextInt(50)) & 0xffff; // late
                case 3 -> (seq + 2 + random.nextInt(5)) & 0xffff;  // loss
                default -> (seq + 1) & 0xffff;
            };
            final byte[] p = random.nextInt(10) == 0 ? rtp() : rtp(ssrc, seq);
            packets.add(random.nextInt(10) == 0 ? damage(p) : p);
        }
        return packets;
    }

    /** A compound RTCP packet: SR, RR, SDES, BYE or APP first, then any, feedback and XR included. */
    byte[] rtcp() {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
            final int pt = random.nextInt(8) == 0 ? random.nextInt(256) : i == 0 ? 200 + random.nextInt(5) : 200 + random.nextInt(8);
            final int words = random.nextInt(12);
            final int lengthField = random.nextInt(10) == 0 ? random.nextInt(0x10000) : words;
            out.writeBytes(cat(new byte[] {(byte) (0x80 | random.nextInt(0x40)), (byte) pt}, u16(lengthField), bytes(4 * words)));
        }
        return out.toByteArray();
    }

    // ---- text protocols

    /** A SIP request or status line (after keep-alive CRLFs now and then), headers, maybe cut. */
    byte[] sip() {
        final String crlf = random.nextInt(5) == 0 ? "\r\n\r\n".substring(0, 1 + random.nextInt(4)) : "";
        final String line = random.nextInt(3) == 0
            ? "SIP/2.0 " + digits(3) + " " + token() + "\r\n"
            : oneOf(SIP_METHODS) + " " + oneOf("sip:", "sips:", "tel:", "http://", "") + token() + "@" + token()
                + (random.nextInt(6) == 0 ? "" : " ") + oneOf("SIP/2.0", "SIP/2.0", "SIP/3.0", "HTTP/1.1") + oneOf("\r\n", "\n", "");
        return cat(ascii(crlf + line + "Via: SIP/2.0/UDP " + token() + "\r\nCall-ID: " + token() + "\r\n\r\n"), controlNoise());
    }

    /** An HTTP request or status line, headers, maybe cut. */
    byte[] http() {
        final String line = random.nextInt(3) == 0
            ? "HTTP/1." + oneOf("0", "1", "2") + " " + digits(3) + " " + token() + "\r\n"
            : oneOf(HTTP_METHODS) + " " + oneOf("/", "*", "/cucm-uds/", "") + token() + " "
                + oneOf("HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "SIP/2.0") + oneOf("\r\n", "\n", "");
        return cat(ascii(line + "Host: " + token() + "\r\n\r\n"), controlNoise());
    }

    /** An SSH identification string, after other lines now and then, then binary key exchange. */
    byte[] ssh() {
        final StringBuilder s = new StringBuilder();
        for (int n = random.nextInt(4) == 0 ? 1 + random.nextInt(3) : 0; n > 0; n--) {
            s.append(token()).append(oneOf("\r\n", "\n"));
        }
        s.append(oneOf("SSH-", "SSH-", "ssh-", "SSH")).append(oneOf("2.0-", "1.99-", "1.5-", "3.0-", "x-", "2.0"))
            .append(token()).append(oneOf("\r\n", "\n", ""));
        return cat(ascii(s.toString()), bytes(random.nextInt(40)));
    }

    /** An XMPP stream opening, a stanza or a stream end, after whitespace and an XML declaration now and then. */
    byte[] xmpp() {
        final String space = random.nextInt(4) == 0 ? oneOf(" ", "\r\n", "\t", "    ", "     ") : "";
        final String declaration = random.nextBoolean() ? "<?xml version='1.0'?>" : "";
        final String body = oneOf("<stream:stream to='" + token() + "' xmlns='jabber:client'>", "</stream:stream>",
            "<iq type='get' id='" + token() + "'><query xmlns='jabber:iq:roster'/></iq>", "<presence/>",
            "<message to='" + token() + "'>", "<soap:Envelope>", token());
        return cat(ascii(space + declaration + body), controlNoise());
    }

    /** A payload of one of the {@link #REAL} captures. */
    byte[] real() {
        final List<byte[]> all = Real.PAYLOADS;
        return all.get(random.nextInt(all.size())).clone();
    }

    /** Loaded on first use, once. */
    private static final class Real {
        static final List<byte[]> PAYLOADS = REAL.stream().flatMap(c -> CaptureFlows.payloads(c).stream()).toList();
    }

    // ---- helpers

    boolean coin() {
        return random.nextBoolean();
    }

    /** A length field as written: mostly the true one, now and then any 16-bit value. */
    private int len(final int actual) {
        return random.nextInt(12) == 0 ? random.nextInt(0x10000) : actual;
    }

    private int len8(final int actual) {
        return random.nextInt(12) == 0 ? random.nextInt(256) : actual;
    }

    /** Now and then a control byte or a byte above ASCII, which text parsers must take in their stride. */
    private byte[] controlNoise() {
        return random.nextInt(5) == 0 ? new byte[] {(byte) pick(0, 0x7f, 0x80, 0xff, '\r', '\n', ' ')} : new byte[0];
    }

    private String token() {
        final StringBuilder s = new StringBuilder();
        for (int n = 1 + random.nextInt(12); n > 0; n--) {
            s.append(TOKEN_CHARS.charAt(random.nextInt(TOKEN_CHARS.length())));
        }
        return s.toString();
    }

    private String digits(final int n) {
        final StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(random.nextInt(12) == 0 ? 'x' : (char) ('0' + random.nextInt(10)));
        }
        return s.toString();
    }

    /** Host-name-like bytes, now and then any byte at all. */
    private byte[] text(final int n) {
        final byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = random.nextInt(20) == 0 ? (byte) random.nextInt(256) : (byte) HOST_CHARS.charAt(random.nextInt(HOST_CHARS.length()));
        }
        return b;
    }

    private byte[] bytes(final int n) {
        final byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private int pick(final int... values) {
        return values[random.nextInt(values.length)];
    }

    @SafeVarargs
    private <T> T oneOf(final T... values) {
        return values[random.nextInt(values.length)];
    }

    private static byte[] ascii(final String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] u16(final int v) {
        return new byte[] {(byte) (v >>> 8), (byte) v};
    }

    static byte[] u24(final int v) {
        return new byte[] {(byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    static byte[] u32(final long v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    static byte[] cat(final byte[]... parts) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
