package io.mraflow.inspect;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Nothing throws, whatever the bytes: every truncation of every real payload of the listed
 * captures (each protocol's identify and the inspector, from a fresh flow state each time), 100 000
 * random payloads from a fixed seed, mutated real payloads, and offsets and lengths outside the
 * buffer. Agrona's bounds checks are on in tests (surefire sets agrona.disable.bounds.checks=false),
 * so any read past the payload's buffer would throw IndexOutOfBoundsException here.
 */
@Tag("slow") // every truncation of every real payload, and 100,000 random ones
class RobustnessTest {

    private static final long SEED = 0x6d7261666c6f77L;

    private final PayloadInspector inspector = new PayloadInspector();
    private final FlowInspection tcp = new FlowInspection(6);
    private final FlowInspection udp = new FlowInspection(17);
    private final FlowInspection unknown = new FlowInspection(0);
    private final FlowInspection dnsUdp = new FlowInspection(17, true);
    private final FlowInspection dnsTcp = new FlowInspection(6, true);
    private final DnsExchange exchange = new DnsExchange();
    private final StunMessage stun = new StunMessage();
    private final byte[] sni = new byte[8];
    private final RtpSources rtp = new RtpSources();

    private void everything(final DirectBuffer b, final int off, final int len) {
        TlsClientHello.identify(b, off, len);
        TlsClientHello.extractSni(b, off, len, sni);
        TlsClientHello.alert(b, off, len);
        TlsClientHello.recordSize(b, off, len);
        Dtls.identify(b, off, len);
        Ssh.identify(b, off, len);
        Sip.identify(b, off, len);
        Http.identify(b, off, len);
        Xmpp.identify(b, off, len);
        Stun.scan(b, off, len, 6, stun);
        Stun.scan(b, off, len, 17, stun);
        Stun.scan(b, off, len, 0, stun);
        Stun.channelData(b, off, len, 17);
        Stun.channelData(b, off, len, 6);
        Rtp.identify(b, off, len);
        Rtp.update(rtp, b, off, len, 0L, 8000);
        Rtcp.identify(b, off, len);
        Dns.identify(b, off, len, false);
        Dns.identify(b, off, len, true);
        exchange.reset();
        Dns.read(b, off, len, false, exchange);
        Dns.read(b, off, len, true, exchange);
        for (final FlowInspection s : new FlowInspection[] {tcp, udp, unknown, dnsUdp, dnsTcp}) {
            s.reset(s.ipProto(), s == dnsUdp || s == dnsTcp);
            inspector.inspect(s, true, b, off, len, 0L);
            inspector.inspect(s, false, b, off, len, 0L);
        }
    }

    private static List<byte[]> realPayloads() {
        final List<byte[]> out = new ArrayList<>();
        for (final String c : CaptureFlows.captureList()) {
            out.addAll(CaptureFlows.payloads(c));
        }
        return out;
    }

    @Test
    void everyTruncationOfEveryRealPayloadIsHandled() {
        long calls = 0;
        for (final byte[] p : realPayloads()) {
            // A buffer exactly as long as the cut payload: any overread hits Agrona's bounds check.
            final int step = p.length > 600 ? 7 : 1;
            for (int cut = 0; cut <= p.length; cut += step) {
                final UnsafeBuffer b = new UnsafeBuffer(p, 0, cut == 0 ? 1 : cut);
                everything(b, 0, cut);
                calls++;
            }
        }
        assertTrue(calls > 100_000, "calls " + calls);
    }

    @Test
    void randomAndMutatedPayloadsAreHandled() {
        final SplittableRandom rnd = new SplittableRandom(SEED);
        final List<byte[]> real = realPayloads();
        for (int i = 0; i < 100_000; i++) {
            final byte[] p;
            if (i % 2 == 0) {
                p = new byte[rnd.nextInt(1, 1500)];
                for (int k = 0; k < p.length; k++) {
                    p[k] = (byte) rnd.nextInt(256);
                }
                // bias toward the first bytes our parsers branch on
                final int lead = rnd.nextInt(8);
                final byte[][] leads = {{0x16, 0x03, 0x01}, {0x15, 0x03, 0x03}, {0x17, (byte) 0xfe, (byte) 0xfd},
                    {0x00, 0x01}, {(byte) 0x80}, {(byte) 0x81, (byte) 0xc8}, {0x40, 0x00}, {'S', 'S', 'H', '-'}};
                System.arraycopy(leads[lead], 0, p, 0, Math.min(p.length, leads[lead].length));
                if (lead == 3 && p.length >= 8) { // STUN cookie
                    p[4] = 0x21;
                    p[5] = 0x12;
                    p[6] = (byte) 0xa4;
                    p[7] = 0x42;
                }
            } else {
                p = real.get(rnd.nextInt(real.size())).clone();
                for (int m = rnd.nextInt(1, 6); m > 0; m--) {
                    p[rnd.nextInt(p.length)] = (byte) rnd.nextInt(256);
                }
            }
            everything(new UnsafeBuffer(p), 0, p.length);
        }
    }

    @Test
    void offsetsAndLengthsOutsideTheBufferAreClamped() {
        final byte[] p = realPayloads().get(0);
        final UnsafeBuffer b = new UnsafeBuffer(p);
        final int[] offs = {-1, 0, 1, p.length - 1, p.length, p.length + 1, Integer.MAX_VALUE, Integer.MIN_VALUE};
        final int[] lens = {-1, 0, 1, p.length, p.length + 1, Integer.MAX_VALUE, Integer.MIN_VALUE};
        for (final int off : offs) {
            for (final int len : lens) {
                everything(b, off, len);
            }
        }
        everything(null, 0, 10);
        inspector.inspect(null, true, b, 0, p.length, 0L);
    }
}
