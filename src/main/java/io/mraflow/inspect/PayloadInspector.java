package io.mraflow.inspect;

import io.mraflow.decode.NetworkOrder;
import io.mraflow.decode.IpProto;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Names the payload protocol of a flow from its first packets and keeps the few facts the
 * classifier and the findings need (SNI, STUN roles and ICE evidence, TLS alerts, RTP quality).
 *
 * <p>One instance per worker thread, used only by that thread: it holds a scratch
 * {@link StunMessage} and no per-flow state. Per packet it allocates nothing (beyond, once each,
 * a flow's RTP sources and a source's histogram and timeline when it passes probation) and throws
 * nothing, whatever the bytes, offsets and lengths.
 *
 * <p>Cost model: the first {@link #packetsPerDirection()} payload packets of each direction go
 * through every protocol check (a few byte comparisons each, giving up at the first mismatch).
 * After that only cheap tails run: RTP and RTCP on media flows (quality statistics cover
 * the whole flow), STUN on UDP flows (ICE consent checks arrive every few seconds and may be the
 * only ICE evidence in a capture that starts mid-call), and TLS alert records on TLS flows. A
 * ClientHello split over segments is reassembled up to {@link FlowInspection#HELLO_CAPACITY}
 * bytes, in arrival order (retransmitted or reordered segments can spoil it: the SNI is then
 * simply not found).
 */
public final class PayloadInspector {

    public static final int DEFAULT_PACKETS_PER_DIRECTION = 8;
    /** Segments a split ClientHello may span before reassembly gives up. */
    static final int MAX_HELLO_PACKETS = 64;
    /** STUN messages read back to back from one TCP segment. */
    static final int MAX_STUN_PER_SEGMENT = 8;

    private static final byte[] CISCO = Wire.ascii("cisco");
    private static final byte[] TANDBERG = Wire.ascii("tandberg");

    private final int packetsPerDirection;
    private final int rtpClockHz;
    private final boolean rtpTimelines;
    private final StunMessage stun = new StunMessage();

    public PayloadInspector() {
        this(DEFAULT_PACKETS_PER_DIRECTION, 0);
    }

    public PayloadInspector(final int packetsPerDirection) {
        this(packetsPerDirection, 0);
    }

    /**
     * @param rtpClockHz clock rate of RTP's dynamic payload types (96-127) for the jitter
     *                   ({@code --rtp-clock}); 0 when unknown: their jitter is then not measured
     */
    public PayloadInspector(final int packetsPerDirection, final int rtpClockHz) {
        this(packetsPerDirection, rtpClockHz, true);
    }

    /**
     * @param rtpTimelines keep each RTP stream's timeline (the HTML report's plots): a 0.5 KB array a
     *                     stream and a cache line a packet that nothing else reads
     */
    public PayloadInspector(final int packetsPerDirection, final int rtpClockHz, final boolean rtpTimelines) {
        this.packetsPerDirection = Math.max(1, packetsPerDirection);
        this.rtpClockHz = Math.max(0, rtpClockHz);
        this.rtpTimelines = rtpTimelines;
    }

    public int packetsPerDirection() {
        return packetsPerDirection;
    }

    /**
     * Inspects one packet's captured transport payload, {@code len} bytes at {@code off} in
     * {@code b} (a decoder's {@code payloadOffset} / {@code payloadCapLen}). Empty payloads are
     * ignored. Never throws; out-of-range offsets and lengths are clamped to the buffer.
     *
     * @param fromOrig true when the packet was sent by the flow's orig side
     * @param nanos    the packet's capture time, epoch nanoseconds (RTP arrival spacing and jitter)
     */
    public void inspect(final FlowInspection s, final boolean fromOrig, final DirectBuffer b, final int off,
                        final int len, final long nanos) {
        final int n = Wire.avail(b, off, len);
        if (s == null || n == 0) {
            return;
        }
        final int seen;
        if (fromOrig) {
            seen = s.payloadPacketsOrig = saturatingIncrement(s.payloadPacketsOrig);
        } else {
            seen = s.payloadPacketsResp = saturatingIncrement(s.payloadPacketsResp);
        }
        final boolean collecting = s.helloState == (fromOrig ? 1 : 2);
        if (seen > packetsPerDirection && !collecting) {
            tail(s, fromOrig, b, off, n, nanos);
            return;
        }
        s.packetsInspected = saturatingIncrement(s.packetsInspected);
        if (collecting && continueHello(s, b, off, n)) {
            return;
        }
        identify(s, fromOrig, b, off, n, nanos);
    }

    private void identify(final FlowInspection s, final boolean fromOrig, final DirectBuffer b, final int off,
                          final int n, final long nanos) {
        final int proto = s.ipProto;
        final boolean maybeTcp = proto != IpProto.UDP;
        final boolean maybeUdp = proto != IpProto.TCP;

        if (s.dnsPort && dns(s, b, off, n)) {
            return;
        }
        if (maybeTcp) {
            final int tls = TlsClientHello.identify(b, off, n);
            if (tls != Confidence.NONE) {
                s.tlsSeen = true;
                s.offer(AppProto.TLS, tls);
                tlsDetails(s, fromOrig, b, off, n);
                return;
            }
        }
        if (maybeUdp) {
            final int dtls = Dtls.identify(b, off, n);
            if (dtls != Confidence.NONE) {
                s.offer(AppProto.DTLS, dtls);
                return;
            }
        }
        final int st = stun(s, fromOrig, b, off, n, nanos);
        if (st != Confidence.NONE) {
            s.offer(AppProto.STUN, st);
            return;
        }
        if (text(s, maybeTcp, b, off, n)) {
            return;
        }
        if (maybeUdp) {
            media(s, fromOrig, b, off, n, nanos, true);
        }
    }

    /**
     * SSH, SIP, HTTP, XMPP: first lines of text. True when one matched. Only SIP runs over UDP:
     * HTTP-formatted UDP (SSDP on 1900) is not HTTP for us, and SSH, XMPP and TLS have no UDP form.
     */
    private static boolean text(final FlowInspection s, final boolean maybeTcp, final DirectBuffer b, final int off,
                                final int n) {
        final int ssh = maybeTcp ? Ssh.identify(b, off, n) : Confidence.NONE;
        if (ssh != Confidence.NONE) {
            s.offer(AppProto.SSH, ssh);
            return true;
        }
        final int sip = Sip.identify(b, off, n);
        if (sip != Confidence.NONE) {
            s.sipSeen = true;
            s.offer(AppProto.SIP, sip);
            return true;
        }
        if (!maybeTcp) {
            return false;
        }
        final int http = Http.identify(b, off, n);
        if (http != Confidence.NONE) {
            s.offer(AppProto.HTTP, http);
            return true;
        }
        final int xmpp = Xmpp.identify(b, off, n);
        if (xmpp != Confidence.NONE) {
            s.offer(AppProto.XMPP, xmpp);
            return true;
        }
        return false;
    }

    /** RTCP, RTP and TURN ChannelData, the binary media family. {@code offer}: may name the flow. */
    private void media(final FlowInspection s, final boolean fromOrig, final DirectBuffer b, final int off,
                       final int n, final long nanos, final boolean offer) {
        final int b0 = NetworkOrder.u8(b, off);
        if ((b0 >> 6) == 2) {
            final int pt = n > 1 ? NetworkOrder.u8(b, off + 1) : 0;
            if (pt >= 200 && pt <= 204) {
                final int rtcp = Rtcp.identify(b, off, n);
                if (offer && rtcp != Confidence.NONE) {
                    s.offer(AppProto.RTCP, rtcp);
                }
                if (rtcp == Confidence.STRONG) {
                    Rtcp.readReports(b, off, n, s.rtpOrig, s.rtpResp);
                }
                return;
            }
            if (Rtp.identify(b, off, n) != Confidence.NONE) {
                final int rtp = Rtp.update(s.rtpSourcesFor(fromOrig), b, off, n, nanos, rtpClockHz, rtpTimelines);
                // One RTP-shaped header is a coin toss (a quarter of DNS ids start 0b10): the flow is
                // named RTP only once a source passed probation.
                if (offer && rtp == Confidence.STRONG) {
                    s.offer(AppProto.RTP, rtp);
                }
            }
            return;
        }
        if ((b0 >> 6) == 1) {
            final int ch = Stun.channelData(b, off, n, s.ipProto);
            if (ch < 0) {
                return;
            }
            if (s.turnChannel < 0) {
                s.turnChannel = ch;
            }
            if (ch == s.turnChannel) {
                s.turnChannelPackets = saturatingIncrement(s.turnChannelPackets);
            }
            if (offer) {
                s.offer(AppProto.TURN_CHANNEL,
                    s.stunSeen || s.turnChannelPackets >= 2 ? Confidence.STRONG : Confidence.WEAK);
            }
            // relayed media: follow the RTP inside for its quality
            if (n > 4 && Rtp.identify(b, off + 4, n - 4) != Confidence.NONE) {
                Rtp.update(s.rtpSourcesFor(fromOrig), b, off + 4, n - 4, nanos, rtpClockHz, rtpTimelines);
            }
        }
    }

    /** DNS on a port-53 flow: true when the payload is a DNS message (then read into the flow). */
    private static boolean dns(final FlowInspection s, final DirectBuffer b, final int off, final int n) {
        final boolean tcp = s.ipProto == IpProto.TCP;
        final int c = Dns.identify(b, off, n, tcp);
        if (c == Confidence.NONE) {
            return false;
        }
        s.offer(AppProto.DNS, c);
        Dns.read(b, off, n, tcp, s.dnsExchange());
        return true;
    }

    /** Reads the STUN messages at the start of the payload into the flow's facts. */
    private int stun(final FlowInspection s, final boolean fromOrig, final DirectBuffer b, final int off, final int n,
                     final long nanos) {
        final int first = Stun.scan(b, off, n, s.ipProto, stun);
        if (first == Confidence.NONE) {
            return first;
        }
        int best = first;
        int p = off;
        for (int i = 0; i < MAX_STUN_PER_SEGMENT; i++) {
            record(s, fromOrig, b, nanos);
            // Over TCP several messages may share a segment: read on while they follow back to back.
            final int next = stun.offset + Stun.HEADER + stun.length;
            if (s.ipProto != IpProto.TCP || next >= off + n || next <= p) {
                break;
            }
            p = next;
            final int c = Stun.scan(b, p, off + n - p, IpProto.TCP, stun);
            if (c == Confidence.NONE) {
                break;
            }
            best = Math.max(best, c);
        }
        return best;
    }

    private void record(final FlowInspection s, final boolean fromOrig, final DirectBuffer b, final long nanos) {
        s.stunSeen = true;
        final int cls = stun.messageClass;
        if (!Stun.knownMethod(stun.method)) {
            return;
        }
        if (cls == Stun.INDICATION && stun.dataOffset >= 0 && stun.dataLength > 0
            && Rtp.identify(b, stun.dataOffset, stun.dataLength) != Confidence.NONE) {
            // TURN Send/Data indication relaying media: follow the RTP inside for its quality
            Rtp.update(s.rtpSourcesFor(fromOrig), b, stun.dataOffset, stun.dataLength, nanos, rtpClockHz, rtpTimelines);
        }
        if (cls == Stun.REQUEST) {
            if (fromOrig) {
                s.stunRequestFromOrig = true;
            } else {
                s.stunRequestFromResp = true;
            }
        } else if (cls == Stun.SUCCESS || cls == Stun.ERROR) {
            if (fromOrig) {
                s.stunResponseFromOrig = true;
            } else {
                s.stunResponseFromResp = true;
            }
        }
        s.iceAttributes |= stun.iceAttributes;
        if (stun.softwareOffset >= 0 && s.softwareLength < 0) {
            final int sw = Math.min(stun.softwareLength, FlowInspection.SOFTWARE_CAPACITY);
            b.getBytes(stun.softwareOffset, s.softwareBuffer(), 0, sw);
            s.softwareLength = sw;
            final int end = stun.softwareOffset + stun.softwareLength;
            s.ciscoSoftware = Wire.indexOfIgnoreCase(b, stun.softwareOffset, end, CISCO) >= 0
                || Wire.indexOfIgnoreCase(b, stun.softwareOffset, end, TANDBERG) >= 0;
        }
    }

    private static void tlsDetails(final FlowInspection s, final boolean fromOrig, final DirectBuffer b,
                                   final int off, final int n) {
        if (s.sniLength < 0 && s.helloState == 0 && TlsClientHello.isClientHello(b, off, n)) {
            final int r = TlsClientHello.extractSni(b, off, n, s.sniBuffer());
            if (r >= 0) {
                s.sniLength = r;
                s.helloState = 3;
            } else if (r == TlsClientHello.SNI_NEED_MORE) {
                startHello(s, fromOrig, b, off, n);
            } else {
                s.helloState = 3;
            }
        }
        final int alert = TlsClientHello.alert(b, off, n);
        if (alert >= 0) {
            s.alert(alert, fromOrig);
        }
    }

    private static void startHello(final FlowInspection s, final boolean fromOrig, final DirectBuffer b,
                                   final int off, final int n) {
        final UnsafeBuffer buf = s.helloBuffer();
        final int copy = Math.min(n, FlowInspection.HELLO_CAPACITY);
        buf.putBytes(0, b, off, copy);
        s.helloLength = copy;
        s.helloPackets = 1;
        s.helloState = fromOrig ? 1 : 2;
        if (copy == FlowInspection.HELLO_CAPACITY) {
            s.helloState = 3;
        }
    }

    /**
     * Appends a segment to the ClientHello being reassembled. True when the segment was consumed
     * as hello continuation (no further identification needed).
     */
    private static boolean continueHello(final FlowInspection s, final DirectBuffer b, final int off, final int n) {
        if (TlsClientHello.isClientHello(b, off, n)) {
            // A new hello (retransmission or a second attempt): start over with it.
            s.helloState = 0;
            return false;
        }
        final UnsafeBuffer buf = s.helloBuffer();
        final int copy = Math.min(n, FlowInspection.HELLO_CAPACITY - s.helloLength);
        buf.putBytes(s.helloLength, b, off, copy);
        s.helloLength += copy;
        s.helloPackets++;
        final int r = TlsClientHello.extractSni(buf, 0, s.helloLength, s.sniBuffer());
        if (r >= 0) {
            s.sniLength = r;
            s.helloState = 3;
        } else if (r != TlsClientHello.SNI_NEED_MORE || s.helloLength == FlowInspection.HELLO_CAPACITY
            || s.helloPackets >= MAX_HELLO_PACKETS) {
            s.helloState = 3;
        }
        // The segment may also end the hello and start another record (an alert is unlikely here).
        return true;
    }

    /** After the identification window: only the cheap checks worth running for a whole flow. */
    private void tail(final FlowInspection s, final boolean fromOrig, final DirectBuffer b, final int off,
                      final int n, final long nanos) {
        if (s.appProto == AppProto.DNS) {
            dns(s, b, off, n); // answers of a long-lived resolver flow, while its exchange has room
            return;
        }
        final int b0 = NetworkOrder.u8(b, off);
        if (s.tlsSeen && b0 >= TlsClientHello.CHANGE_CIPHER_SPEC && b0 <= TlsClientHello.APPLICATION_DATA) {
            final int alert = TlsClientHello.alert(b, off, n);
            if (alert >= 0) {
                s.alert(alert, fromOrig);
            }
            return;
        }
        if (s.ipProto == IpProto.TCP) {
            return;
        }
        // ICE flows: the checks may outlast the first packets; what follows them names the flow
        final boolean afterStun = s.appProto == AppProto.STUN;
        if (afterStun && b0 >= Dtls.FIRST_TYPE && b0 <= Dtls.LAST_TYPE) {
            final int dtls = Dtls.identify(b, off, n);
            if (dtls == Confidence.STRONG) {
                s.offer(AppProto.DTLS, dtls);
                return;
            }
        }
        if ((b0 >> 6) == 0 && n >= Stun.HEADER) {
            stun(s, fromOrig, b, off, n, nanos);
            return;
        }
        if (isMediaFlow(s)) {
            media(s, fromOrig, b, off, n, nanos, afterStun);
        }
    }

    private static boolean isMediaFlow(final FlowInspection s) {
        // The flow's own fields before its streams': each stream may be another cache line.
        final int p = s.appProto;
        return p == AppProto.RTP || p == AppProto.STUN || p == AppProto.DTLS || p == AppProto.TURN_CHANNEL
            || s.rtpStarted();
    }

    private static int saturatingIncrement(final int v) {
        return v == Integer.MAX_VALUE ? v : v + 1;
    }
}
