package io.mraflow.inspect;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mraflow.testing.AllocationMeter;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The per-packet path allocates nothing: after warm-up, 1 000 000 inspect calls on a real TLS
 * ClientHello (SNI extraction included), a STUN request with ICE attributes, a DNS response
 * (question and answers read into the flow's exchange, names decompressed) and RTP packets
 * allocate under 0.01 bytes per call, measured with {@code ThreadMXBean#getThreadAllocatedBytes}.
 * The flow state is reset every 8 calls so that the full identification runs, not just the
 * post-window tail. The RTP arrives with jitter (30 ms apart give or take up to 12 ms), its source
 * changes among three SSRCs every 50 packets, an RTCP receiver report about it comes every 25
 * packets, and its flow state is reset every 5,000 packets (sources pass probation again, their
 * histogram and timeline are reused); the timeline outgrows its buckets and merges them.
 */
class AllocationTest {

    private static final int CALLS = 1_000_000;

    private static byte[] first(final String capture, final java.util.function.Predicate<UnsafeBuffer> which) {
        for (final byte[] p : CaptureFlows.payloads(capture)) {
            if (which.test(new UnsafeBuffer(p))) {
                return p;
            }
        }
        throw new AssertionError("no payload in " + capture);
    }

    @Test
    void inspectAllocatesNothingPerCall() throws Exception {
        final byte[] hello = first("ndpi/teams.pcap", b -> TlsClientHello.isClientHello(b, 0, b.capacity()));
        final byte[] stun = first("arkime/stun-ice-testcall.pcap", b -> {
            final StunMessage m = new StunMessage();
            return Stun.scan(b, 0, b.capacity(), 17, m) == Confidence.STRONG && m.iceAttributes != 0;
        });
        final byte[] dnsResponse = first("ndpi/teams.pcap", b -> b.capacity() > 12 && (b.getByte(2) & 0x80) != 0
            && Dns.identify(b, 0, b.capacity(), false) == Confidence.STRONG && (b.getByte(7) & 0xff) > 1);
        final List<byte[]> rtpPackets = CaptureFlows.payloads("sipp/g711a.pcap");
        final UnsafeBuffer[] buffers = {new UnsafeBuffer(hello), new UnsafeBuffer(stun), new UnsafeBuffer(dnsResponse)};
        final UnsafeBuffer[] rtp = new UnsafeBuffer[rtpPackets.size()];
        for (int i = 0; i < rtp.length; i++) {
            rtp[i] = new UnsafeBuffer(rtpPackets.get(i));
        }
        final PayloadInspector inspector = new PayloadInspector(PayloadInspector.DEFAULT_PACKETS_PER_DIRECTION, 48000);
        final FlowInspection tls = new FlowInspection(6);
        final FlowInspection ice = new FlowInspection(17);
        final FlowInspection media = new FlowInspection(17);
        final FlowInspection dns = new FlowInspection(17, true);

        AllocationMeter.assertAllocatesNothing("inspect", CALLS, n -> run(inspector, buffers, rtp, tls, ice, media, dns, n));
        final RtpSources sources = media.rtpSources(true);
        assertTrue(tls.hasSni() && ice.iceEvidence() && sources.count() == 3 && sources.ssrcChanges() == 2
            && media.rtp(true).valid && media.rtp(true).maxJitterMs() > 1 && media.rtp(true).rtcpSeen()
            && media.rtp(true).timeline().bucketWidthNanos() > RtpTimeline.INITIAL_WIDTH_NANOS
            && dns.dns() != null && dns.dns().answerCount() > 0, "inputs were recognised");
    }

    /** Plain RTCP: an RR from 0x01020304 with one report block, about the source {@link #SSRCS}[0]. */
    private static final UnsafeBuffer RECEIVER_REPORT = new UnsafeBuffer(java.util.HexFormat.of().parseHex(
        "81c90007" + "01020304" + "11111111" + "05000010" + "0001002a" + "000000a0" + "00000000" + "00000000"));
    private static final int[] SSRCS = {0x11111111, 0x22222222, 0x33333333};

    private static void run(final PayloadInspector inspector, final UnsafeBuffer[] buffers, final UnsafeBuffer[] rtp,
                            final FlowInspection tls, final FlowInspection ice, final FlowInspection media,
                            final FlowInspection dns, final int calls) {
        int r = 0;
        long mediaPackets = 0;
        for (int i = 0; i < calls; i += 3) {
            if ((i & 7) == 0) {
                tls.reset(6);
                ice.reset(17);
                dns.reset(17, true);
            }
            inspector.inspect(dns, false, buffers[2], 0, buffers[2].capacity(), 0L);
            inspector.inspect(tls, true, buffers[0], 0, buffers[0].capacity(), 0L);
            inspector.inspect(ice, (i & 1) == 0, buffers[1], 0, buffers[1].capacity(), 0L);
            final UnsafeBuffer p = rtp[r];
            r = r + 1 == rtp.length ? 0 : r + 1;
            mediaPackets++;
            if (mediaPackets % 5_000 == 0) {
                media.reset(17);
            }
            p.putInt(8, SSRCS[(int) (mediaPackets / 50 % SSRCS.length)], java.nio.ByteOrder.BIG_ENDIAN);
            final long arrival = mediaPackets * 30_000_000L + (mediaPackets * 7919 % 25 - 12) * 1_000_000L;
            inspector.inspect(media, true, p, 0, p.capacity(), arrival);
            if (mediaPackets % 25 == 0) {
                inspector.inspect(media, false, RECEIVER_REPORT, 0, RECEIVER_REPORT.capacity(), arrival);
            }
        }
    }
}
