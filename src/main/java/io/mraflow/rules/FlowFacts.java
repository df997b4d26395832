package io.mraflow.rules;

import io.mraflow.decode.IpProto;
import io.mraflow.inspect.AppProto;

/**
 * What the classifier needs to know about one flow, as primitive fields the caller fills in and
 * reuses for every flow; owned by one thread at a time (not thread-safe).
 *
 * <p>The opener ({@code orig*}) is who opened the flow as the spec reads it: the sender of the
 * first SYN for TCP (whether or not anything answered: unanswered flows are classified the same
 * way), the sender of the first packet for UDP unless the payload says otherwise (the STUN
 * request's sender; the side that opened the paired RTP flow for RTCP). Addresses are in
 * {@code PacketView}'s 128-bit form (IPv4 as {@code ::ffff:a.b.c.d}).
 */
public final class FlowFacts {
    /** 6 (TCP) or 17 (UDP); anything else is {@link FindingCode#UNDOCUMENTED}. */
    public int ipProto;
    public long origHi;
    public long origLo;
    public int origPort;
    public long respHi;
    public long respLo;
    public int respPort;
    /** Payload protocol seen, an {@link AppProto} constant; {@link AppProto#UNKNOWN} when none was identified. */
    public int appProto;
    /** The responder's server name: the ClientHello's SNI, else the name a DNS answer earlier gave its address; or null. */
    public String sni;
    /** STUN connectivity checks with ICE attributes (or a Cisco ICE agent's SOFTWARE) seen on this address pair. */
    public boolean iceEvidence;
    /**
     * What failed, for the findings' messages (filled at report time, strings allowed): which side
     * reset a TCP connection, after how long and how many payload bytes; the TLS alert's name and
     * sender; how one-way media, RTP loss and RTP jitter were counted. Null when not applicable.
     */
    public String resetBy;
    public String resetAfter;
    public String resetBytes;
    public String alert;
    public String alertFrom;
    public String oneWay;
    public String rtpLoss;
    /** A DNS flow's question ({@code name TYPE}) and the answer a finding cites; its client and server. */
    public String dnsQuery;
    public String dnsAnswer;
    public String dnsClient;
    public String dnsServer;
    public String rtpJitter;

    /** Clears every field. */
    public FlowFacts reset() {
        ipProto = 0;
        origHi = origLo = respHi = respLo = 0;
        origPort = respPort = 0;
        appProto = AppProto.UNKNOWN;
        sni = null;
        iceEvidence = false;
        resetBy = resetAfter = resetBytes = alert = alertFrom = oneWay = rtpLoss = rtpJitter = null;
        dnsQuery = dnsAnswer = dnsClient = dnsServer = null;
        return this;
    }

    /** Sets the five-tuple; returns this for chaining. */
    public FlowFacts set(final int ipProto, final long origHi, final long origLo, final int origPort, final long respHi, final long respLo, final int respPort) {
        this.ipProto = ipProto;
        this.origHi = origHi;
        this.origLo = origLo;
        this.origPort = origPort;
        this.respHi = respHi;
        this.respLo = respLo;
        this.respPort = respPort;
        return this;
    }

    /** Copies every field of {@code other}. */
    public FlowFacts copyFrom(final FlowFacts other) {
        set(other.ipProto, other.origHi, other.origLo, other.origPort, other.respHi, other.respLo, other.respPort);
        appProto = other.appProto;
        sni = other.sni;
        iceEvidence = other.iceEvidence;
        return this;
    }

    @Override
    public String toString() {
        return (ipProto == IpProto.TCP ? "tcp " : ipProto == IpProto.UDP ? "udp " : "ip" + ipProto + " ")
                + AddressBlock.format(origHi, origLo) + ":" + origPort + " -> " + AddressBlock.format(respHi, respLo) + ":"
                + respPort + " app=" + AppProto.name(appProto) + (sni != null ? " sni=" + sni : "") + (iceEvidence ? " ice" : "");
    }
}
