package io.mraflow.report;

/**
 * The fields of one flow line, in output order: the one place each is named and documented
 * (Zeek's habit: a log field is documented where it is defined). Names follow Zeek's conn.log
 * where Zeek has the field, so a SIEM that reads conn.log reads these. The README's field table
 * is checked against this enum by a test.
 */
public enum ConnField {
    EVENT_TYPE("event_type", "string", "What the line is: `flow` (a flow ended; every line of `analyze`), `finding` (`watch`: a flow earned a finding, then also `finding`, the one it earned), `stats` or `interface` (`watch`: counters, an interface that failed)."),
    SENSOR("sensor", "string", "`watch` only: the sensor that saw it (`--sensor`, default the host name)."),
    IFACE("iface", "string", "`watch` only: the interface the flow was seen on."),
    TS("ts", "time", "First packet of the flow, epoch seconds with a six-digit fraction."),
    LAST_TS("last_ts", "time", "Last packet of the flow, epoch seconds."),
    DURATION("duration", "interval", "last_ts - ts, seconds."),
    PROTO("proto", "string", "Transport protocol: `tcp` or `udp`."),
    ORIG_H("orig_h", "addr", "Originator: the side that opened the flow (sender of the first SYN; for UDP the sender of the first packet)."),
    ORIG_P("orig_p", "port", "Originator's port."),
    RESP_H("resp_h", "addr", "Responder address."),
    RESP_P("resp_p", "port", "Responder port."),
    ORIG_PKTS("orig_pkts", "count", "Packets sent by the originator (every IP fragment counts)."),
    RESP_PKTS("resp_pkts", "count", "Packets sent by the responder."),
    ORIG_IP_BYTES("orig_ip_bytes", "count", "IP-level bytes sent by the originator, as on the wire (IP header included, link layer excluded)."),
    RESP_IP_BYTES("resp_ip_bytes", "count", "IP-level bytes sent by the responder."),
    ORIG_BYTES("orig_bytes", "count", "Payload bytes sent by the originator; for TCP taken from sequence numbers, as Zeek does."),
    RESP_BYTES("resp_bytes", "count", "Payload bytes sent by the responder."),
    ORIG_WIRE_BYTES("orig_wire_bytes", "count", "Whole-frame bytes sent by the originator, link layer and tunnel headers included (what Wireshark counts)."),
    RESP_WIRE_BYTES("resp_wire_bytes", "count", "Whole-frame bytes sent by the responder."),
    CONN_STATE("conn_state", "string", "Zeek's connection state: S0, S1, SF, REJ, S2, S3, RSTO, RSTR, RSTOS0, RSTRH, SH, SHR, OTH."),
    HISTORY("history", "string", "Zeek's history letters: originator upper case, responder lower case (S syn, H syn-ack, A ack, D data, F fin, R rst, T retransmission, ^ direction flipped, ...)."),
    ENDED("ended", "string", "Why the flow left the flow table: `idle` (its timeout passed), `reused` (a new connection took its 5-tuple), `end-of-input` (still open when the capture ended) or `evicted` (ended early because the flow tables were full: cut short, counted in the summary); with `watch` also `shutdown` (open when it was stopped) and `open` (a `finding` event's flow so far)."),
    COMMUNITY_ID("community_id", "string", "Community ID v1 flow hash (seed 0): joins this flow with Zeek's and Suricata's logs."),
    ICMP_ERRORS("icmp_errors", "count", "ICMP/ICMPv6 errors (unreachable, time exceeded, packet too big) that quoted a packet of this flow."),
    ICMP_LAST("icmp_last", "string", "The last such error as `type/code from address`, or null."),
    ROW("row", "string", "The row of the MRA port reference this flow is (`T3.2`), or null when no row fits."),
    PURPOSE("purpose", "string", "The row's purpose (`SIP signalling (traversal)`), or null."),
    BASIS("basis", "string", "What the row was matched on: `roles+ports` (a topology was given), `inferred-roles+ports` (roles inferred from the traffic), `ports` (ports alone, `--ports-only`) or `none` (no Expressway known: no row is given by ports alone)."),
    ORIG_ROLE("orig_role", "string", "The originator's role (`EXPC`, `EXPE_PUBLIC`, `OFFPREM`, ...; `A|B` when an address holds two), or null by ports alone."),
    RESP_ROLE("resp_role", "string", "The responder's role, or null by ports alone."),
    CONFIDENCE("confidence", "string", "How sure the verdict is: `high` (roles given or inferred from evidence, and the payload seen), `medium` (roles and ports, no payload identified), `low` (ports alone, or no Expressway known)."),
    APP_PROTO("app_proto", "string", "The payload protocol, the one that carries the flow's payload: `tls`, `dtls`, `ssh`, `sip`, `stun`, `turn-channel`, `rtp`, `rtcp`, `xmpp`, `http`, `dns` or `unknown`. After STUN checks, the DTLS or media that follows (`dtls` for STUN then DTLS, `rtp` for STUN then RTP)."),
    APP_PROTOS("app_protos", "array", "Every payload protocol seen on the flow, in the order first seen (`[\"stun\",\"dtls\"]`); empty when none."),
    SNI("sni", "string", "The TLS server name of the flow's first ClientHello, or null (escaped: it comes from the wire)."),
    SERVER_NAME("server_name", "string", "The responder's name: the SNI when there is one, else the name a DNS answer earlier in the capture gave the responder's address (the name the client asked for, through CNAMEs); null when neither. Table 5 (CLOUD) rows match on it."),
    DNS_QUERY("dns_query", "string", "DNS flows: the first question as `name TYPE` (`_collab-edge._tls.example.com SRV`), or null (escaped: from the wire)."),
    DNS_ANSWERS("dns_answers", "array", "DNS flows: the A and AAAA addresses, CNAME targets and SRV records (`priority weight port target`) of the answers, in order, at most 16; empty when none."),
    RTP("rtp", "object", "RTP quality, null when no RTP source passed RFC 3550 probation: `{streams, ssrc_changes}`, one stream per SSRC and direction (tshark's `rtp,streams` rows; fields in \"RTP quality\" below); `ssrc_changes` counts sources that appeared in a direction after its first."),
    FINDINGS("findings", "array", "The findings, worst first: objects `{code, severity, row, message, wireshark_filter}` (codes in the table below; `wireshark_filter` is a Wireshark display filter that selects the finding's flow, both directions, and for `ICMP_UNREACHABLE` the ICMP errors quoting it: see \"Opening a finding in Wireshark\")."),
    ALLOWED("allowed", "array", "Findings the allow list (`--allow`) withdrew, in the same form: known and accepted, not lost.");

    private final String jsonName;
    private final String type;
    private final String doc;

    ConnField(final String jsonName, final String type, final String doc) {
        this.jsonName = jsonName;
        this.type = type;
        this.doc = doc;
    }

    public String jsonName() {
        return jsonName;
    }

    public String type() {
        return type;
    }

    public String doc() {
        return doc;
    }
}
