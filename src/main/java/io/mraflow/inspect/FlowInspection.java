package io.mraflow.inspect;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * What the payloads of one flow showed: created once when the flow is first seen (or taken from a
 * pool and {@link #reset}), filled by {@link PayloadInspector#inspect}, read at report time.
 * Owned by the worker thread that owns the flow; not thread-safe. Reading it from another thread
 * (the reporter) is safe only after the flow has been handed over through a happens-before edge
 * (the pipeline's ring).
 *
 * <p>"orig" is the side the flow table saw first (the originator of the 5-tuple); "resp" the other.
 *
 * <p>Nothing here allocates after construction, except {@link #sni()} / {@link #stunSoftware()} at
 * report time and, once per flow and only for flows that need them, the buffers for an SNI, a
 * STUN SOFTWARE value and a ClientHello split over several segments. Keeping those out of the
 * constructor keeps a flow's state small and its RTP streams next to it in memory: with tens of
 * thousands of media flows, every packet would otherwise pay cache misses for bytes it never reads.
 */
public final class FlowInspection {

    /** Longest SNI kept (a DNS name is at most 253 bytes); longer names are cut, see {@link #sniTruncated()}. */
    public static final int SNI_CAPACITY = 255;
    /** Longest STUN SOFTWARE value kept (RFC 8489 allows 763 bytes; agents send a few dozen). */
    public static final int SOFTWARE_CAPACITY = 128;
    /** Bytes of a ClientHello split over segments that are reassembled to find the SNI. */
    public static final int HELLO_CAPACITY = 4096;

    int ipProto;
    int appProto;
    int confidence;
    /** Protocols seen strongly, in the order first seen: a nibble each, the first in the lowest. */
    int protoSequence;
    int protoSequenceLength;
    /** One of the flow's ports is 53: its payloads are tried as DNS first. */
    boolean dnsPort;
    /** Allocated when the flow's first DNS message is read, else null. */
    DnsExchange dns;

    /** {@link #SNI_CAPACITY} bytes once a ClientHello was seen, else null. */
    byte[] sni;
    /** Length of the SNI on the wire, or -1 when none was seen. */
    int sniLength;

    boolean stunSeen;
    boolean stunRequestFromOrig;
    boolean stunRequestFromResp;
    boolean stunResponseFromOrig;
    boolean stunResponseFromResp;
    int iceAttributes;
    boolean ciscoSoftware;
    /** {@link #SOFTWARE_CAPACITY} bytes once a SOFTWARE value was seen, else null. */
    byte[] software;
    int softwareLength;

    boolean tlsSeen;
    boolean tlsAlertSeen;
    boolean tlsAlertFromOrig;
    int tlsAlertLevel;
    int tlsAlertDescription;

    boolean sipSeen;

    int turnChannel;
    int turnChannelPackets;

    /** RTP sources of each direction: allocated when the first RTP-shaped packet goes that way, else null. */
    RtpSources rtpOrig;
    RtpSources rtpResp;

    int payloadPacketsOrig;
    int payloadPacketsResp;
    int packetsInspected;

    // ClientHello reassembly: 0 idle, 1 collecting from orig, 2 collecting from resp, 3 finished.
    int helloState;
    int helloLength;
    int helloPackets;
    byte[] hello;
    UnsafeBuffer helloView;

    /** @param ipProto 6 (TCP), 17 (UDP) or 0 when unknown (every protocol but DNS is then tried) */
    public FlowInspection(final int ipProto) {
        this(ipProto, false);
    }

    /**
     * @param ipProto 6 (TCP), 17 (UDP) or 0 when unknown (every protocol is then tried)
     * @param dnsPort one of the flow's ports is {@link Dns#PORT}: DNS is tried first
     */
    public FlowInspection(final int ipProto, final boolean dnsPort) {
        reset(ipProto, dnsPort);
    }

    /** True when either port is {@link Dns#PORT}: as nDPI, DNS is recognised only there. */
    public static boolean isDnsPort(final int portA, final int portB) {
        return portA == Dns.PORT || portB == Dns.PORT;
    }

    /** Forgets everything so that the object can serve a new flow; keeps its buffers. */
    public void reset(final int ipProto) {
        reset(ipProto, false);
    }

    /** Forgets everything so that the object can serve a new flow; keeps its buffers. */
    public void reset(final int ipProto, final boolean dnsPort) {
        this.ipProto = ipProto;
        this.dnsPort = dnsPort;
        appProto = AppProto.UNKNOWN;
        confidence = Confidence.NONE;
        protoSequence = protoSequenceLength = 0;
        if (dns != null) {
            dns.reset();
        }
        sniLength = -1;
        stunSeen = false;
        stunRequestFromOrig = stunRequestFromResp = false;
        stunResponseFromOrig = stunResponseFromResp = false;
        iceAttributes = 0;
        ciscoSoftware = false;
        softwareLength = -1;
        tlsSeen = tlsAlertSeen = tlsAlertFromOrig = false;
        tlsAlertLevel = tlsAlertDescription = 0;
        sipSeen = false;
        turnChannel = -1;
        turnChannelPackets = 0;
        if (rtpOrig != null) {
            rtpOrig.reset();
        }
        if (rtpResp != null) {
            rtpResp.reset();
        }
        payloadPacketsOrig = payloadPacketsResp = packetsInspected = 0;
        helloState = helloLength = helloPackets = 0;
    }

    /** Transport this state was created for: 6, 17 or 0. */
    public int ipProto() {
        return ipProto;
    }

    /** The payload protocol, an {@link AppProto} constant. */
    public int appProto() {
        return appProto;
    }

    /** {@link AppProto#name(int)} of {@link #appProto()}. */
    public String appProtoName() {
        return AppProto.name(appProto);
    }

    /**
     * The protocols seen on this flow, in the order first seen ({@code stun, dtls}); the one
     * {@link #appProto()} names when no protocol was seen for sure; empty when none was seen.
     */
    public java.util.List<String> appProtoNames() {
        final java.util.List<String> out = new java.util.ArrayList<>(Math.max(1, protoSequenceLength));
        for (int i = 0; i < protoSequenceLength; i++) {
            out.add(AppProto.name(protoSequence >>> 4 * i & 0xf));
        }
        if (out.isEmpty() && appProto != AppProto.UNKNOWN) {
            out.add(AppProto.name(appProto));
        }
        return out;
    }

    /** What the flow's DNS messages said, or null when it carried none. */
    public DnsExchange dns() {
        return dns != null && dns.hasQuery() ? dns : null;
    }

    /** {@link Confidence} of {@link #appProto()}: WEAK means one plausible header, not proof. */
    public int confidence() {
        return confidence;
    }

    // ---- TLS ------------------------------------------------------------------------------------

    /** True when any TLS record was seen (also on flows named otherwise, e.g. XMPP after STARTTLS). */
    public boolean tlsSeen() {
        return tlsSeen;
    }

    public boolean hasSni() {
        return sniLength >= 0;
    }

    /** Length of the SNI as on the wire, or -1. */
    public int sniLength() {
        return sniLength;
    }

    /** True when the SNI was longer than {@link #SNI_CAPACITY} and only its start was kept. */
    public boolean sniTruncated() {
        return sniLength > SNI_CAPACITY;
    }

    /** Copies the raw SNI bytes kept into {@code dst}; returns how many were copied. */
    public int copySni(final byte[] dst) {
        final int n = Math.min(Math.min(sniLength, SNI_CAPACITY), dst.length);
        if (n <= 0) {
            return 0;
        }
        System.arraycopy(sni, 0, dst, 0, n);
        return n;
    }

    /**
     * The SNI host name, or null. Bytes from the wire: RFC 6066 requires ASCII (IDNs as A-labels),
     * but nothing enforces it, so they are decoded as UTF-8 with every malformed sequence replaced
     * by U+FFFD. The result may hold control characters; whoever prints it escapes it.
     */
    public String sni() {
        return sniLength < 0 ? null : new String(sni, 0, Math.min(sniLength, SNI_CAPACITY), StandardCharsets.UTF_8);
    }

    /** True when a plaintext TLS alert record was seen. */
    public boolean tlsAlertSeen() {
        return tlsAlertSeen;
    }

    /** Level of the alert reported: 1 warning, 2 fatal (the first fatal one, else the first one). */
    public int tlsAlertLevel() {
        return tlsAlertLevel;
    }

    /** Description code of that alert (RFC 8446 section 6: 40 handshake_failure, 42 bad_certificate, ...). */
    public int tlsAlertDescription() {
        return tlsAlertDescription;
    }

    /** True when that alert was sent by the orig side. */
    public boolean tlsAlertFromOrig() {
        return tlsAlertFromOrig;
    }

    // ---- STUN / ICE / TURN ----------------------------------------------------------------------

    public boolean stunSeen() {
        return stunSeen;
    }

    /** The orig side sent a STUN request: by the port reference's reading, it opened the flow. */
    public boolean stunRequestFromOrig() {
        return stunRequestFromOrig;
    }

    /** The resp side sent a STUN request (if only it did, it opened the flow whatever was seen first). */
    public boolean stunRequestFromResp() {
        return stunRequestFromResp;
    }

    public boolean stunResponseFromOrig() {
        return stunResponseFromOrig;
    }

    public boolean stunResponseFromResp() {
        return stunResponseFromResp;
    }

    /** True when a STUN message carried PRIORITY, USE-CANDIDATE, ICE-CONTROLLED or ICE-CONTROLLING. */
    public boolean iceEvidence() {
        return iceAttributes != 0;
    }

    /** Bit set ({@link Stun#ICE_PRIORITY} ...) of the ICE attributes seen. */
    public int iceAttributes() {
        return iceAttributes;
    }

    /**
     * True when a STUN SOFTWARE value contained "cisco" or "tandberg" (any case): Cisco's ICE
     * agents and the Expressway TURN server (TANDBERG heritage) name themselves so.
     */
    public boolean ciscoSoftware() {
        return ciscoSoftware;
    }

    /** The first STUN SOFTWARE value seen (UTF-8, malformed bytes replaced), or null. */
    public String stunSoftware() {
        return softwareLength < 0 ? null : new String(software, 0, softwareLength, StandardCharsets.UTF_8);
    }

    /** First TURN ChannelData channel number seen, or -1. */
    public int turnChannel() {
        return turnChannel;
    }

    // ---- SIP / RTP ------------------------------------------------------------------------------

    /** True when a SIP request or status line was seen in any inspected packet. */
    public boolean sipSeen() {
        return sipSeen;
    }

    /** The main RTP source ({@link RtpSources#main()}) of the orig (true) or resp (false) direction, or null. */
    public RtpStream rtp(final boolean fromOrig) {
        final RtpSources s = rtpSources(fromOrig);
        return s == null ? null : s.main();
    }

    /** Every RTP source of the orig (true) or resp (false) direction, or null when none was seen. */
    public RtpSources rtpSources(final boolean fromOrig) {
        final RtpSources s = fromOrig ? rtpOrig : rtpResp;
        return s != null && s.started() ? s : null;
    }

    /** True when an RTP-shaped packet was followed in either direction. */
    boolean rtpStarted() {
        return rtpOrig != null && rtpOrig.started() || rtpResp != null && rtpResp.started();
    }

    /** The RTP sources of a direction, allocated once when it first needs them. */
    RtpSources rtpSourcesFor(final boolean fromOrig) {
        if (fromOrig) {
            if (rtpOrig == null) {
                rtpOrig = new RtpSources();
            }
            return rtpOrig;
        }
        if (rtpResp == null) {
            rtpResp = new RtpSources();
        }
        return rtpResp;
    }

    // ---- counters -------------------------------------------------------------------------------

    /** Packets with payload seen in one direction (inspected or not). */
    public int payloadPackets(final boolean fromOrig) {
        return fromOrig ? payloadPacketsOrig : payloadPacketsResp;
    }

    /** Packets that went through full identification (the first N per direction, and reassembly). */
    public int packetsInspected() {
        return packetsInspected;
    }

    // ---- spill: what a report reads, in a compact form -----------------------------------------

    /**
     * Most bytes {@link #writeTo} writes: the fixed fields, the SNI and the STUN SOFTWARE value.
     * Reassembly state (the ClientHello buffer) is not written: nothing reads it once the flow ended.
     */
    public static final int MAX_ENCODED_BYTES = 128 + 2 * (1 + RtpSources.MAX_ENCODED_BYTES) + SNI_CAPACITY + SOFTWARE_CAPACITY
        + DnsExchange.MAX_ENCODED_BYTES;

    /**
     * Drops what only a live flow needs (the ClientHello reassembly buffer, the DNS answers' spare
     * room, the RTP histograms' and timelines' objects for their encodings) once the flow has ended and before it waits for the report; nothing inspects it again.
     * Allocates only for a DNS flow (its answers, copied to their size).
     */
    public void compact() {
        hello = null;
        helloView = null;
        helloState = 3;
        if (rtpOrig != null) {
            rtpOrig.compact();
        }
        if (rtpResp != null) {
            rtpResp.compact();
        }
        if (dns != null) {
            if (dns.hasQuery()) {
                dns.compact();
            } else {
                dns = null;
            }
        }
    }

    /** Writes what a report reads of this flow's payloads into {@code out} (see {@link #readFrom}). */
    public void writeTo(final ByteBuffer out) {
        out.put((byte) ipProto).put((byte) appProto).put((byte) confidence);
        out.putInt(flags());
        out.putInt(sniLength);
        if (sniLength >= 0) {
            out.put(sni, 0, Math.min(sniLength, SNI_CAPACITY));
        }
        out.putInt(softwareLength);
        if (softwareLength >= 0) {
            out.put(software, 0, softwareLength);
        }
        out.putInt(iceAttributes).putInt(tlsAlertLevel).putInt(tlsAlertDescription);
        out.putInt(turnChannel).putInt(turnChannelPackets);
        out.putInt(payloadPacketsOrig).putInt(payloadPacketsResp).putInt(packetsInspected);
        writeRtp(out, rtpSources(true));
        writeRtp(out, rtpSources(false));
        out.putInt(protoSequence).put((byte) protoSequenceLength);
        final DnsExchange d = dns();
        out.put((byte) (d != null ? 1 : 0));
        if (d != null) {
            d.writeTo(out);
        }
    }

    private static void writeRtp(final ByteBuffer out, final RtpSources s) {
        out.put((byte) (s == null ? 0 : 1));
        if (s != null) {
            s.writeTo(out);
        }
    }

    private static RtpSources readRtp(final ByteBuffer in) {
        if (in.get() == 0) {
            return null;
        }
        final RtpSources s = new RtpSources();
        s.readFrom(in);
        return s;
    }

    /** Bytes {@link #writeTo} writes at most for this flow, a bound tighter than {@link #MAX_ENCODED_BYTES}. */
    int encodedBytesBound() {
        return MAX_ENCODED_BYTES - 2 * RtpSources.MAX_ENCODED_BYTES
            + (rtpOrig == null ? 0 : rtpOrig.encodedBytesBound()) + (rtpResp == null ? 0 : rtpResp.encodedBytesBound());
    }

    /** The state {@link #writeTo} wrote, read from {@code in}. */
    public static FlowInspection readFrom(final ByteBuffer in) {
        final FlowInspection s = new FlowInspection(in.get());
        s.appProto = in.get();
        s.confidence = in.get();
        s.setFlags(in.getInt());
        s.sniLength = in.getInt();
        if (s.sniLength >= 0) {
            in.get(s.sniBuffer(), 0, Math.min(s.sniLength, SNI_CAPACITY));
        }
        s.softwareLength = in.getInt();
        if (s.softwareLength >= 0) {
            in.get(s.softwareBuffer(), 0, s.softwareLength);
        }
        s.iceAttributes = in.getInt();
        s.tlsAlertLevel = in.getInt();
        s.tlsAlertDescription = in.getInt();
        s.turnChannel = in.getInt();
        s.turnChannelPackets = in.getInt();
        s.payloadPacketsOrig = in.getInt();
        s.payloadPacketsResp = in.getInt();
        s.packetsInspected = in.getInt();
        s.rtpOrig = readRtp(in);
        s.rtpResp = readRtp(in);
        s.protoSequence = in.getInt();
        s.protoSequenceLength = in.get();
        if (in.get() != 0) {
            s.dnsExchange().readFrom(in);
        }
        s.helloState = 3; // finished: a flow read back is never inspected again
        return s;
    }

    /** A copy of what a report reads (as {@link #writeTo} and {@link #readFrom} carry it). */
    public FlowInspection copy() {
        final ByteBuffer b = ByteBuffer.allocate(encodedBytesBound());
        writeTo(b);
        b.flip();
        return readFrom(b);
    }

    private int flags() {
        return bit(stunSeen, 0) | bit(stunRequestFromOrig, 1) | bit(stunRequestFromResp, 2)
                | bit(stunResponseFromOrig, 3) | bit(stunResponseFromResp, 4) | bit(ciscoSoftware, 5)
                | bit(tlsSeen, 6) | bit(tlsAlertSeen, 7) | bit(tlsAlertFromOrig, 8) | bit(sipSeen, 9);
    }

    private void setFlags(final int f) {
        stunSeen = (f & 1) != 0;
        stunRequestFromOrig = (f & 1 << 1) != 0;
        stunRequestFromResp = (f & 1 << 2) != 0;
        stunResponseFromOrig = (f & 1 << 3) != 0;
        stunResponseFromResp = (f & 1 << 4) != 0;
        ciscoSoftware = (f & 1 << 5) != 0;
        tlsSeen = (f & 1 << 6) != 0;
        tlsAlertSeen = (f & 1 << 7) != 0;
        tlsAlertFromOrig = (f & 1 << 8) != 0;
        sipSeen = (f & 1 << 9) != 0;
    }

    private static int bit(final boolean b, final int at) {
        return b ? 1 << at : 0;
    }

    // ---- for PayloadInspector -------------------------------------------------------------------

    /**
     * A protocol seen with {@code conf}: the flow is named by the first seen most surely, except
     * that DTLS or media after STUN names it (ICE's checks come before what the flow carries).
     */
    void offer(final int proto, final int conf) {
        if (conf == Confidence.STRONG) {
            noteSeen(proto);
        }
        if (conf > confidence || conf == Confidence.STRONG && appProto == AppProto.STUN && AppProto.carriesAfterStun(proto)) {
            appProto = proto;
            confidence = conf;
        }
    }

    private void noteSeen(final int proto) {
        for (int i = 0; i < protoSequenceLength; i++) {
            if ((protoSequence >>> 4 * i & 0xf) == proto) {
                return;
            }
        }
        if (protoSequenceLength < 8) {
            protoSequence |= proto << 4 * protoSequenceLength;
            protoSequenceLength++;
        }
    }

    DnsExchange dnsExchange() {
        if (dns == null) {
            dns = new DnsExchange();
        }
        return dns;
    }

    void alert(final int levelDesc, final boolean fromOrig) {
        final int level = levelDesc >> 8;
        if (!tlsAlertSeen || (level == 2 && tlsAlertLevel != 2)) {
            tlsAlertSeen = true;
            tlsAlertLevel = level;
            tlsAlertDescription = levelDesc & 0xff;
            tlsAlertFromOrig = fromOrig;
        }
    }

    byte[] sniBuffer() {
        if (sni == null) {
            sni = new byte[SNI_CAPACITY];
        }
        return sni;
    }

    byte[] softwareBuffer() {
        if (software == null) {
            software = new byte[SOFTWARE_CAPACITY];
        }
        return software;
    }

    UnsafeBuffer helloBuffer() {
        if (hello == null) {
            hello = new byte[HELLO_CAPACITY];
            helloView = new UnsafeBuffer(hello);
        }
        return helloView;
    }
}
