package io.mraflow.rules;

import io.mraflow.flow.FlowRecord;

import java.util.List;

/**
 * The one verdict of a flow, the same in every output (docs/DESIGN.md "The verdict"): the flow as
 * seen (opener first), the documented row it is, on what basis, the payload protocol seen, and
 * the findings. Immutable; made once per flow at the report stage.
 *
 * @param flow      the flow, its originator the side that opened it
 * @param row       the row id ("T3.2"), or null when no row fits
 * @param purpose   the row's purpose, or null
 * @param basis     "roles+ports", "ports" or "inferred-roles+ports"
 * @param origRole  the originator's role(s), e.g. "EXPC" or "EXPE_PUBLIC|EXPE_PRIVATE"; null by ports alone
 * @param respRole  the responder's role(s); null by ports alone
 * @param confidence how sure the verdict is: {@code high} (roles given or inferred, and payload
 *                  seen), {@code medium} (roles and ports, no payload identified), {@code low}
 *                  (ports alone, or no Expressway known)
 * @param appProto  the payload protocol seen ("tls", "sip", "stun", ..., "unknown")
 * @param appProtos the payload protocols seen, in the order first seen ({@code ["stun","dtls"]})
 * @param sni       the TLS server name of the first ClientHello, or null (a string from the wire)
 * @param serverName the responder's name: the SNI, else the name an earlier DNS answer gave its address; or null
 * @param dnsQuery  a DNS flow's first question as {@code name TYPE}, or null (from the wire)
 * @param dnsAnswers a DNS flow's answers (addresses, CNAME targets, SRV {@code priority weight port target}), bounded

 * @param findings  the findings raised, worst first
 * @param allowed   findings the allow list withdrew (kept, so nothing is lost)
 * @param flipped   true when {@code flow} is the flow table's record turned round (its responder
 *                  opened it): then the inspection's "orig" side is this verdict's responder
 */
public record Verdict(
        FlowRecord flow,
        String row,
        String purpose,
        String basis,
        String origRole,
        String respRole,
        String confidence,
        String appProto,
        List<String> appProtos,
        String sni,
        String serverName,
        String dnsQuery,
        List<String> dnsAnswers,
        List<Finding> findings,
        List<Finding> allowed,
        boolean flipped) {

    /**
     * One finding: a stable code, its severity, and a one-line explanation citing the row.
     *
     * @param code     the finding code
     * @param severity its severity (policy: {@link FindingCode})
     * @param row      the row it cites, or null
     * @param message  the explanation
     */
    public record Finding(FindingCode code, Severity severity, String row, String message) {
    }

    /** The worst severity among the findings, or null when there are none. */
    public Severity worst() {
        return findings.isEmpty() ? null : findings.get(0).severity();
    }
}
