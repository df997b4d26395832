package io.mraflow.inspect;

import io.mraflow.decode.IpProto;
import static io.mraflow.fuzz.Coverage.reach;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.StatisticsReport;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Every payload parser on random bytes, on {@link RandomPayloads}' structured payloads and on
 * real ones, damaged; each payload a window in a larger buffer with other bytes around it, as the
 * packet path hands it over. Properties: nothing throws; every result is one the parser documents
 * (a confidence, a channel number, an alert, a length, an SNI copied out of the window); and the
 * result depends on the window's bytes alone: the same as for a copy of the window in a buffer of
 * its own, so no byte outside the window was read, and no state carried over.
 *
 * <p>Each property also asserts how often its structured inputs got the parser to say yes.
 *
 * <p>Tries: jqwik's default ({@code jqwik.tries.default}: 1000, the {@code fuzz-long} profile
 * 1,000,000); seeds fixed, so every run sees the same inputs.
 */
@StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
class InspectorPropertiesTest {
    static final String SEED = "20261203";

    @BeforeContainer
    static void boundsChecksAreOn() {
        assertTrue(DirectBuffer.SHOULD_BOUNDS_CHECK, "these properties need Agrona's bounds checks to see stray reads");
    }

    /**
     * A payload where the packet path would hand it over: at {@code off} in a buffer with other
     * bytes before and after it. Now and then {@code off} and {@code len} make no sense (negative,
     * past the buffer); the parsers then see what {@link #exact} holds: nothing.
     */
    record Window(byte[] buffer, int off, int len) {
        static Window around(final byte[] payload, final long seed) {
            final SplittableRandom r = new SplittableRandom(seed);
            final byte[] buffer = new byte[r.nextInt(17) + payload.length + r.nextInt(17)];
            r.nextBytes(buffer);
            final int off = buffer.length - payload.length - r.nextInt(Math.min(17, buffer.length - payload.length + 1));
            System.arraycopy(payload, 0, buffer, off, payload.length);
            return switch (r.nextInt(32)) {
                case 0 -> new Window(buffer, -1 - r.nextInt(Integer.MAX_VALUE), payload.length);
                case 1 -> new Window(buffer, buffer.length + r.nextInt(1000), payload.length);
                case 2 -> new Window(buffer, off, -r.nextInt(Integer.MAX_VALUE));
                case 3 -> new Window(buffer, off, payload.length + 1 + r.nextInt(Integer.MAX_VALUE - payload.length));
                default -> new Window(buffer, off, payload.length);
            };
        }

        UnsafeBuffer view() {
            return new UnsafeBuffer(buffer);
        }

        /** The bytes a parser may read: {@code len} from {@code off}, clamped to the buffer; none when they make no sense. */
        byte[] exact() {
            final int n = off < 0 || len <= 0 || off >= buffer.length ? 0 : Math.min(len, buffer.length - off);
            return n == 0 ? new byte[0] : Arrays.copyOfRange(buffer, off, off + n);
        }

        @Override
        public String toString() {
            return "off " + off + ", len " + len + " of " + buffer.length + ": " + HexFormat.of().formatHex(exact());
        }
    }

    private static Arbitrary<Window> windows(final Function<RandomPayloads, byte[]> build) {
        return Combinators.combine(RandomPayloads.payloads(build), Arbitraries.longs()).as(Window::around);
    }

    /** {@code parse} gives the same in the window as in a copy of the window alone. */
    private static <T> T sameInAndOutOfContext(final Window w, final Parser<T> parse) {
        final T inContext = parse.apply(w.view(), w.off(), w.len());
        final byte[] exact = w.exact();
        assertEquals(parse.apply(new UnsafeBuffer(exact), 0, exact.length), inContext, "depends on bytes outside the window");
        return inContext;
    }

    @FunctionalInterface
    interface Parser<T> {
        T apply(DirectBuffer b, int off, int len);
    }

    private static void assertConfidence(final int c) {
        assertTrue(c == Confidence.NONE || c == Confidence.WEAK || c == Confidence.STRONG, "confidence " + c);
    }

    // ---- TLS

    @Provide
    Arbitrary<Window> tls() {
        return windows(g -> g.coin() ? g.tlsClientHello() : g.tlsRecords());
    }

    @Property(seed = SEED)
    void tlsRecordsAndClientHellos(@ForAll("tls") final Window w) {
        assertConfidence(sameInAndOutOfContext(w, TlsClientHello::identify));
        final boolean record = sameInAndOutOfContext(w, TlsClientHello::isRecordHeader);
        final boolean hello = sameInAndOutOfContext(w, TlsClientHello::isClientHello);
        assertTrue(record || !hello, "a ClientHello without a record header");
        final int size = sameInAndOutOfContext(w, TlsClientHello::recordSize);
        assertTrue(record ? size > TlsClientHello.RECORD_HEADER && size <= TlsClientHello.RECORD_HEADER + TlsClientHello.MAX_RECORD
            : size == -1, "record size " + size);
        final int alert = sameInAndOutOfContext(w, TlsClientHello::alert);
        assertTrue(alert == -1 || alert >> 8 == 1 || alert >> 8 == 2, "alert " + alert); // level << 8 | description

        final byte[] dst = new byte[16];
        final String sni = sameInAndOutOfContext(w, (b, off, len) -> {
            Arrays.fill(dst, (byte) 0);
            final int n = TlsClientHello.extractSni(b, off, len, dst);
            return n + ":" + HexFormat.of().formatHex(dst, 0, Math.max(0, Math.min(n, dst.length)));
        });
        final int n = Integer.parseInt(sni.substring(0, sni.indexOf(':')));
        reach("SNI found", n >= 0, 5);
        final boolean helloHeader = hello && w.exact().length >= TlsClientHello.RECORD_HEADER + 4;
        assertTrue(n >= 0 && helloHeader || n == TlsClientHello.SNI_NOT_HELLO && !helloHeader
            || (n == TlsClientHello.SNI_NEED_MORE || n == TlsClientHello.SNI_ABSENT) && helloHeader, "SNI result " + n);
        if (n >= 0) {
            assertTrue(n <= w.exact().length, "an SNI of " + n + " bytes in a payload of " + w.exact().length);
            final byte[] copied = HexFormat.of().parseHex(sni.substring(sni.indexOf(':') + 1));
            assertTrue(indexOf(w.exact(), copied) >= 0, "the SNI copied is not in the payload");
        }
    }

    // ---- DTLS, STUN, TURN ChannelData, RTP, RTCP

    @Provide
    Arbitrary<Window> dtlsRecords() {
        return windows(RandomPayloads::dtls);
    }

    @Property(seed = SEED)
    void dtls(@ForAll("dtlsRecords") final Window w) {
        final int c = sameInAndOutOfContext(w, Dtls::identify);
        assertConfidence(c);
        reach("DTLS recognised", c == Confidence.STRONG, 5);
    }

    @Provide
    Arbitrary<Window> stunMessages() {
        return windows(g -> g.stun(g.coin()));
    }

    @Property(seed = SEED)
    void stun(@ForAll("stunMessages") final Window w, @ForAll("transports") final int ipProto) {
        assertConfidence(sameInAndOutOfContext(w, Stun::identify));
        final List<Integer> m = sameInAndOutOfContext(w, (b, off, len) -> {
            final StunMessage out = new StunMessage();
            final int c = Stun.scan(b, off, len, ipProto, out);
            // offsets relative to the window, to compare with the copy
            return List.of(c, rel(out.offset, off), out.framed ? 1 : 0, out.classic ? 1 : 0, out.type, out.messageClass,
                out.method, out.length, out.iceAttributes, rel(out.softwareOffset, off), out.softwareLength,
                rel(out.dataOffset, off), out.dataLength);
        });
        final int confidence = m.get(0);
        assertConfidence(confidence);
        reach("STUN recognised", confidence == Confidence.STRONG, 8);
        if (confidence == Confidence.NONE) {
            assertEquals(-1, m.get(1), "a message found where none was");
            return;
        }
        final int start = m.get(1);
        final int end = w.exact().length;
        assertEquals(m.get(2) == 1 ? 2 : 0, start, "message at " + start);
        assertTrue(m.get(4) <= 0x3fff && m.get(5) <= 3 && m.get(6) <= 0xfff && m.get(7) <= 0xffff && m.get(8) <= 0xf,
            "a field out of range: " + m);
        for (final int attribute : new int[] {9, 11}) {
            final int at = m.get(attribute);
            final int length = m.get(attribute + 1);
            assertTrue(at == -1 && length == 0 || at >= start + Stun.HEADER && length >= 0 && at + length <= end,
                "attribute value at " + at + ", " + length + " bytes, outside the message");
        }
    }

    @Provide
    Arbitrary<Integer> transports() {
        return Arbitraries.of(0, IpProto.TCP, IpProto.UDP);
    }

    private static int rel(final int absolute, final int off) {
        return absolute < 0 ? absolute : absolute - off;
    }

    @Provide
    Arbitrary<Window> channelDataMessages() {
        return windows(RandomPayloads::channelData);
    }

    @Property(seed = SEED)
    void turnChannelData(@ForAll("channelDataMessages") final Window w, @ForAll("transports") final int ipProto) {
        final int channel = sameInAndOutOfContext(w, (b, off, len) -> Stun.channelData(b, off, len, ipProto));
        assertTrue(channel == -1 || channel >= 0x4000 && channel <= 0x7fff, "channel " + channel);
        reach("ChannelData recognised", channel >= 0, 8);
    }

    @Provide
    Arbitrary<Window> rtpPackets() {
        return windows(RandomPayloads::rtp);
    }

    @Property(seed = SEED)
    void rtpHeader(@ForAll("rtpPackets") final Window w) {
        final int c = sameInAndOutOfContext(w, Rtp::identify);
        assertTrue(c == Confidence.NONE || c == Confidence.WEAK, "one header is weak evidence at most: " + c);
        reach("RTP header recognised", c == Confidence.WEAK, 10);
        if (c != Confidence.NONE) {
            final int pt = sameInAndOutOfContext(w, (b, off, len) -> Rtp.payloadType(b, off));
            assertTrue(pt <= 34 || pt >= 96 && pt <= 127, "payload type " + pt);
        }
    }

    @Provide
    Arbitrary<List<byte[]>> rtpStreams() {
        return Arbitraries.longs().map(seed -> new RandomPayloads(seed).rtpStream());
    }

    /** RFC 3550 A.1 sequence tracking over a stream: counters consistent, and the same stream gives the same state. */
    @Property(seed = SEED)
    void rtpSequenceTracking(@ForAll("rtpStreams") final List<byte[]> packets) {
        final RtpSources src = new RtpSources();
        long fed = 0;
        int strong = 0;
        long at = 0;
        for (final byte[] p : packets) {
            final int c = Rtp.update(src, new UnsafeBuffer(p), 0, p.length, at += 20_000_000L, 0);
            assertConfidence(c);
            fed += p.length >= Rtp.HEADER ? 1 : 0;
            strong += c == Confidence.STRONG ? 1 : 0;
            long counted = src.otherSsrcPackets();
            for (int i = 0; i < src.count(); i++) {
                final RtpStream s = src.stream(i);
                counted += s.packets;
                assertTrue(s.received() >= 0 && s.received() <= s.packets, "received " + s.received());
                assertTrue(s.valid || s.lost() == 0, "loss before the source is valid");
                assertTrue(s.extendedMaxSeq() >= 0, "extended sequence " + s.extendedMaxSeq());
                assertTrue(s.duplicates() + s.seqErrors() <= s.packets, "duplicates and errors " + s.duplicates());
                assertTrue(s.jitterMs() >= 0 && s.maxDeltaMs() >= 0, "timing " + s.jitterMs() + " " + s.maxDeltaMs());
                assertEquals(s.valid, s.timeline() != null, "a timeline from probation on");
            }
            // a stray source that gave way takes its packets with it
            assertTrue(counted <= fed, "packets counted " + counted + " of " + fed);
            assertTrue(strong == 0 || src.main().valid, "strong packets before a source is valid");
        }
        reach("source validated", src.main() != null && src.main().valid, 50);
        final RtpSources again = new RtpSources();
        at = 0;
        for (final byte[] p : packets) {
            Rtp.update(again, new UnsafeBuffer(p), 0, p.length, at += 20_000_000L, 0);
        }
        assertEquals(state(src), state(again));
    }

    private static List<Object> state(final RtpSources src) {
        final List<Object> out = new java.util.ArrayList<>(List.of(src.count(), src.ssrcChanges(), src.otherSsrcPackets()));
        for (int i = 0; i < src.count(); i++) {
            final RtpStream s = src.stream(i);
            out.addAll(List.of(s.ssrc, s.valid, s.packets, s.extendedMaxSeq(), s.received(), s.lost(), s.duplicates(),
                s.seqErrors(), s.jitterMs(), s.maxDeltaMs()));
        }
        return out;
    }

    @Provide
    Arbitrary<Window> rtcpPackets() {
        return windows(RandomPayloads::rtcp);
    }

    @Property(seed = SEED)
    void rtcp(@ForAll("rtcpPackets") final Window w) {
        final int c = sameInAndOutOfContext(w, Rtcp::identify);
        assertConfidence(c);
        reach("RTCP recognised", c == Confidence.STRONG, 5);
    }

    // ---- text protocols

    @Provide
    Arbitrary<Window> sipMessages() {
        return windows(RandomPayloads::sip);
    }

    @Property(seed = SEED)
    void sip(@ForAll("sipMessages") final Window w) {
        final int c = sameInAndOutOfContext(w, Sip::identify);
        assertConfidence(c);
        reach("SIP recognised", c == Confidence.STRONG, 5);
    }

    @Provide
    Arbitrary<Window> httpMessages() {
        return windows(RandomPayloads::http);
    }

    @Property(seed = SEED)
    void http(@ForAll("httpMessages") final Window w) {
        final int c = sameInAndOutOfContext(w, Http::identify);
        assertConfidence(c);
        reach("HTTP recognised", c == Confidence.STRONG, 5);
    }

    @Provide
    Arbitrary<Window> sshBanners() {
        return windows(RandomPayloads::ssh);
    }

    @Property(seed = SEED)
    void ssh(@ForAll("sshBanners") final Window w) {
        final int c = sameInAndOutOfContext(w, Ssh::identify);
        assertConfidence(c);
        reach("SSH recognised", c == Confidence.STRONG, 3);
    }

    @Provide
    Arbitrary<Window> xmppStreams() {
        return windows(RandomPayloads::xmpp);
    }

    @Property(seed = SEED)
    void xmpp(@ForAll("xmppStreams") final Window w) {
        final int c = sameInAndOutOfContext(w, Xmpp::identify);
        assertConfidence(c);
        reach("XMPP recognised", c == Confidence.STRONG, 3);
    }

    static int indexOf(final byte[] haystack, final byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (haystack[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
