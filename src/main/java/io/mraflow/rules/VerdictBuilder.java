package io.mraflow.rules;

import io.mraflow.decode.IpProto;
import io.mraflow.flow.FlowRecord;
import io.mraflow.inspect.AppProto;
import io.mraflow.inspect.Dns;
import io.mraflow.inspect.DnsExchange;
import io.mraflow.inspect.FlowInspection;
import io.mraflow.inspect.RtpSources;
import io.mraflow.inspect.RtpStream;
import io.mraflow.inspect.TlsAlert;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Turns a finished flow into its {@link Verdict}: who opened it (payload evidence for UDP),
 * the classifier's row and findings, the findings about what failed (unanswered SYN, reset,
 * ICMP unreachable, TLS alert, one-way media, RTP loss and jitter), and the allow list. This is the policy
 * step: facts come from the flow table and the inspectors, decisions are made here and in
 * {@link FindingCode}. One instance per thread and per pass over a capture's flows: it reuses its facts and
 * verdict holders, and remembers what earlier flows say about later ones ({@link MediaPairing}).
 */
public final class VerdictBuilder {
    /** TLS alert level "fatal" (RFC 8446 6). */
    static final int TLS_ALERT_FATAL = 2;
    /** Findings order: worst severity first, then by code. Built once, not per flow. */
    private static final Comparator<Verdict.Finding> WORST_FIRST =
            Comparator.comparing(Verdict.Finding::severity).reversed().thenComparing(Verdict.Finding::code);

    private final Classifier classifier;
    private final AllowList allow;
    private final FlowFacts facts = new FlowFacts();
    private final ClassifierResult result = new ClassifierResult();
    private final MediaPairing pairing = new MediaPairing();

    private final FindingThresholds thresholds;

    public VerdictBuilder(final Classifier classifier, final AllowList allow) {
        this(classifier, allow, FindingThresholds.DEFAULTS);
    }

    public VerdictBuilder(final Classifier classifier, final AllowList allow, final FindingThresholds thresholds) {
        this.classifier = classifier;
        this.allow = allow;
        this.thresholds = thresholds;
    }

    public Verdict assess(final FlowRecord record) {
        return assess(record, null);
    }

    /**
     * The verdict of {@code record}; {@code names} (may be null) gives its responder a server name
     * from an earlier DNS answer when the flow has no SNI, for the classifier's CLOUD rows.
     */
    public Verdict assess(final FlowRecord record, final ResolvedNames names) {
        final FlowInspection in = record.inspection();
        final boolean flipped = openedByResponder(record, in) || pairing.rtcpOpenedByResponder(record, in);
        final FlowRecord flow = flipped ? record.flipped() : record;

        facts.reset();
        facts.set(flow.ipProto(), flow.origHi(), flow.origLo(), flow.origPort(),
                flow.respHi(), flow.respLo(), flow.respPort());
        int app = in == null ? AppProto.UNKNOWN : in.appProto();
        // TURN ChannelData is TURN's own framing: the reference knows it as STUN.
        facts.appProto = app == AppProto.TURN_CHANNEL ? AppProto.STUN : app;
        final String sni = in != null && in.hasSni() ? in.sni() : null;
        facts.sni = sni != null || names == null ? sni : names.nameOf(flow.respHi(), flow.respLo(), flow.tsNanos());
        facts.iceEvidence = in != null && in.iceEvidence() || pairing.iceBefore(flow);
        pairing.record(flow, in);

        result.reset();
        classifier.classify(facts, result);
        addFailures(flow, in);

        long before = result.findings;
        allow.applyTo(facts, result);
        long allowedBits = before & ~result.findings;

        final DnsExchange dns = in == null ? null : in.dns();
        final CompiledReference ref = classifier.reference();
        final ReferenceRow row = result.row >= 0 ? ref.row(result.row) : null;
        final boolean rolesKnown = result.basis == Basis.ROLES_PORTS || result.basis == Basis.INFERRED_ROLES_PORTS;
        return new Verdict(flow,
                row == null ? null : row.id(),
                row == null ? null : row.purpose(),
                result.basis.label(),
                rolesKnown ? Role.label(result.origRoles) : null,
                rolesKnown ? Role.label(result.respRoles) : null,
                !rolesKnown ? "low" : app == AppProto.UNKNOWN ? "medium" : "high",
                AppProto.name(app),
                in == null ? List.of() : in.appProtoNames(),
                sni,
                facts.sni,
                dns == null ? null : dns.query(),
                dns == null ? List.of() : dns.answers(),
                findings(result.findings),
                findings(allowedBits),
                flipped);
    }

    /**
     * UDP: the sender of a STUN request opened the flow, even when the capture shows the response first.
     * (An RTCP flow belongs to whoever opened its RTP flow: {@link MediaPairing}.)
     */
    private static boolean openedByResponder(final FlowRecord r, final FlowInspection in) {
        return r.ipProto() == IpProto.UDP && in != null && in.stunRequestFromResp() && !in.stunRequestFromOrig();
    }

    /** What failed on the wire, as findings citing the flow's row. */
    private void addFailures(final FlowRecord f, final FlowInspection in) {
        final int row = result.row;
        if (f.ipProto() == IpProto.TCP) {
            switch (f.connState()) {
                case "S0" -> result.add(FindingCode.TCP_UNANSWERED, row);
                case "REJ", "RSTO", "RSTR", "RSTOS0", "RSTRH" -> {
                    result.add(FindingCode.TCP_RESET, row);
                    // Zeek's states say who sent the RST: RSTO/RSTOS0 the opener, REJ/RSTR/RSTRH the responder
                    facts.resetBy = f.connState().startsWith("RSTO") ? "opener" : "responder";
                    facts.resetAfter = millis(f.lastTsNanos() - f.tsNanos());
                    facts.resetBytes = Long.toString(f.origBytes() + f.respBytes());
                }
                default -> {
                }
            }
        }
        if (f.icmpErrors() > 0 && isUnreachable(f)) {
            result.add(FindingCode.ICMP_UNREACHABLE, row);
        }
        if (in == null) {
            return;
        }
        if (in.tlsAlertSeen() && in.tlsAlertLevel() == TLS_ALERT_FATAL) {
            result.add(FindingCode.TLS_ALERT, row);
            facts.alert = TlsAlert.name(in.tlsAlertDescription()) + " (" + in.tlsAlertDescription() + ")";
            facts.alertFrom = in.tlsAlertFromOrig() ? "opener" : "responder"; // TLS is TCP: never flipped
        }
        udsToOutside(f, in.dns());
        final boolean media = in.appProto() == AppProto.RTP || in.appProto() == AppProto.RTCP;
        if (f.ipProto() == IpProto.UDP && media
                && Math.max(f.origPkts(), f.respPkts()) >= thresholds.oneWayMinPackets()
                && Math.min(f.origPkts(), f.respPkts()) == 0) {
            result.add(FindingCode.ONE_WAY_MEDIA, row);
            facts.oneWay = Math.max(f.origPkts(), f.respPkts()) + " packets from the "
                    + (f.origPkts() > 0 ? "opener" : "responder") + ", none back (one-way from "
                    + thresholds.oneWayMinPackets() + " packets on)";
        }
        final boolean lossOrig = lossy(in.rtp(true));
        final boolean lossResp = lossy(in.rtp(false));
        if (lossOrig || lossResp) {
            result.add(FindingCode.RTP_LOSS, row);
            facts.rtpLoss = (lossOrig ? loss(in.rtp(true), "from the flow's first sender") : "")
                    + (lossOrig && lossResp ? "; " : "") + (lossResp ? loss(in.rtp(false), "from the other side") : "")
                    + " (reported from " + percent(thresholds.rtpLossMinRatio()) + " on)";
        }
        final String jitterOrig = jittery(in.rtpSources(true), "from the flow's first sender");
        final String jitterResp = jittery(in.rtpSources(false), "from the other side");
        if (jitterOrig != null || jitterResp != null) {
            result.add(FindingCode.RTP_JITTER, row);
            facts.rtpJitter = (jitterOrig == null ? "" : jitterOrig) + (jitterOrig != null && jitterResp != null ? "; " : "")
                    + (jitterResp == null ? "" : jitterResp)
                    + String.format(java.util.Locale.ROOT, " (reported from %.1f ms on)", thresholds.rtpJitterMaxMs());
        }
    }

    /**
     * The streams of one direction whose jitter reached the threshold (the highest value of the
     * RFC 3550 A.8 estimate, itself smoothed over 16 packets), as "max 45.1 ms (SSRC 0x...) side";
     * null when none did.
     */
    private String jittery(final RtpSources sources, final String side) {
        if (sources == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < sources.count(); i++) {
            final RtpStream s = sources.stream(i);
            if (s.valid && s.clockRate() != 0 && s.maxJitterMs() >= thresholds.rtpJitterMaxMs()) {
                out = out == null ? new StringBuilder() : out.append(", ");
                out.append(String.format(java.util.Locale.ROOT, "max %.1f ms (SSRC 0x%08X)", s.maxJitterMs(), s.ssrc));
            }
        }
        return out == null ? null : out.append(' ').append(side).toString();
    }

    /** {@link FindingCode#CISCO_UDS_OUTSIDE}: the client is the side not on port 53. */
    private void udsToOutside(final FlowRecord f, final DnsExchange dns) {
        final String answer = dns == null ? null : UdsExposure.udsAnswer(dns);
        if (answer == null) {
            return;
        }
        final boolean origIsServer = f.origPort() == Dns.PORT && f.respPort() != Dns.PORT;
        final long hi = origIsServer ? f.respHi() : f.origHi();
        final long lo = origIsServer ? f.respLo() : f.origLo();
        if (!UdsExposure.outside(hi, lo, classifier.topology())) {
            return;
        }
        result.add(FindingCode.CISCO_UDS_OUTSIDE, result.row);
        facts.dnsQuery = dns.query();
        facts.dnsAnswer = answer;
        facts.dnsClient = AddressBlock.format(hi, lo);
        facts.dnsServer = origIsServer ? AddressBlock.format(f.origHi(), f.origLo()) + ":" + f.origPort()
                : AddressBlock.format(f.respHi(), f.respLo()) + ":" + f.respPort();
    }

    private static boolean isUnreachable(final FlowRecord f) {
        return f.ipVersion() == 4 ? f.lastIcmpType() == 3 : f.lastIcmpType() == 1;
    }

    private boolean lossy(final RtpStream s) {
        if (s == null || !s.valid) {
            return false;
        }
        long expected = s.received() + Math.max(0, s.lost());
        return s.lost() > 0 && expected > 0 && (double) s.lost() / expected >= thresholds.rtpLossMinRatio();
    }

    private static String loss(final RtpStream s, final String side) {
        final long expected = s.received() + Math.max(0, s.lost());
        return s.lost() + " of " + expected + " (" + percent((double) s.lost() / expected) + ") " + side;
    }

    private static String percent(final double share) {
        return String.format(java.util.Locale.ROOT, "%.1f %%", share * 100);
    }

    private static String millis(final long nanos) {
        return nanos < 1_000_000_000L ? String.format(java.util.Locale.ROOT, "%.1f ms", nanos / 1e6)
                : String.format(java.util.Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    private List<Verdict.Finding> findings(final long bits) {
        List<Verdict.Finding> out = new ArrayList<>(Long.bitCount(bits));
        final CompiledReference ref = classifier.reference();
        for (long m = bits; m != 0; m &= m - 1) {
            FindingCode code = FindingCode.of(Long.numberOfTrailingZeros(m));
            int cited = result.rowOf(code) >= 0 ? result.rowOf(code) : result.row;
            // explain() reads the cited row from the verdict; a withdrawn finding is explained likewise.
            boolean present = result.has(code);
            if (!present) {
                result.add(code, cited);
            }
            String message = classifier.explain(code, facts, result);
            if (!present) {
                result.remove(code);
            }
            out.add(new Verdict.Finding(code, code.severity(), cited >= 0 ? ref.row(cited).id() : null, message));
        }
        if (out.size() > 1) {
            out.sort(WORST_FIRST);
        }
        return out;
    }
}
