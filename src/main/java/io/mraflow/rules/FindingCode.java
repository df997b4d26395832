package io.mraflow.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Every finding mraflow can raise, defined once: a stable code (the constant's name), a stable
 * number, a severity and the sentence that explains it; immutable. The README's table of codes
 * is generated from this enum ({@link #markdownTable()}).
 *
 * <p>The first five are raised by the {@link Classifier}; the rest by later stages (flow table,
 * payload inspectors) and are defined here so that codes, severities and texts live in one place.
 *
 * <p>Templates name values in braces, filled by {@link #render(Function)}:
 * {@code {opener}}/{@code {responder}} (the flow's ends as roles and addresses),
 * {@code {openerPort}}/{@code {respPort}}, {@code {proto}} (TCP or UDP), {@code {row}} (row id), {@code {purpose}},
 * {@code {note}} (the footnote a NOT_RECOMMENDED rests on),
 * {@code {rowOpener}}/{@code {rowResponder}}/{@code {rowOpenerPorts}}/{@code {rowRespPorts}} (as the row
 * documents them), {@code {expected}}/{@code {seen}} (payload protocols),
 * {@code {resetBy}}/{@code {resetAfter}}/{@code {resetBytes}} (which side reset, after how long
 * and how many payload bytes), {@code {alert}}/{@code {alertFrom}} (the TLS alert's name and sender),
 * {@code {oneWay}}, {@code {rtpLoss}} and {@code {rtpJitter}} (the counts or figures and the threshold crossed),
 * {@code {dnsQuery}}/{@code {dnsAnswer}} (a DNS question and the answer it got).
 */
public enum FindingCode {
    UNDOCUMENTED(1, Severity.MEDIUM,
            "{opener}:{openerPort} opened {proto} towards {responder}:{respPort}: no row of the MRA port reference fits this flow"),
    WRONG_DIRECTION(2, Severity.HIGH,
            "{opener}:{openerPort} opened {proto} towards {responder}:{respPort}: {row} ({purpose}) fits only the other way round,"
                    + " it is opened by {rowOpener} towards {rowResponder}:{rowRespPorts}"),
    SOURCE_PORT_OUTSIDE_RANGE(3, Severity.LOW,
            "{opener} opened {row}'s port {respPort} ({purpose}) from port {openerPort}: {row} documents source ports {rowOpenerPorts}"),
    PROTOCOL_MISMATCH(4, Severity.HIGH,
            "{row} ({purpose}) on port {respPort} carries {seen}: the reference documents {expected}"),
    NOT_RECOMMENDED(5, Severity.LOW,
            "{row} ({purpose}) towards {responder}:{respPort} as seen here is possible but not recommended: {note}"),
    TCP_UNANSWERED(6, Severity.MEDIUM,
            "{opener}:{openerPort} sent SYN towards {responder}:{respPort} ({row}) and got no answer"),
    TCP_RESET(7, Severity.MEDIUM,
            "the TCP connection {opener}:{openerPort} to {responder}:{respPort} ({row}) was reset by the {resetBy} after {resetAfter} and {resetBytes} payload bytes"),
    ICMP_UNREACHABLE(8, Severity.MEDIUM,
            "an ICMP unreachable was returned for {opener}:{openerPort} to {responder}:{respPort} ({row})"),
    TLS_ALERT(9, Severity.MEDIUM,
            "a fatal TLS alert {alert} from the {alertFrom} ended {opener}:{openerPort} to {responder}:{respPort} ({row})"),
    ONE_WAY_MEDIA(10, Severity.HIGH,
            "media between {opener}:{openerPort} and {responder}:{respPort} ({row}) flowed one way only: {oneWay}"),
    RTP_LOSS(11, Severity.LOW,
            "RTP on {opener}:{openerPort} to {responder}:{respPort} ({row}) lost packets: {rtpLoss}"),
    RTP_JITTER(12, Severity.LOW,
            "RTP on {opener}:{openerPort} to {responder}:{respPort} ({row}) had high jitter: {rtpJitter}"),
    CISCO_UDS_OUTSIDE(13, Severity.HIGH,
            "{client}, outside, resolved {dnsQuery} through the DNS server {server} and got {dnsAnswer}:"
                    + " _cisco-uds must resolve only inside, or clients try UDS directly instead of MRA");

    private static final FindingCode[] VALUES = values();

    /** How many codes there are (at most 64: findings travel as a {@code long} bitmask). */
    public static final int COUNT = VALUES.length;

    private final int number;
    private final Severity severity;
    private final String template;
    /** The template split once: literal text at even indexes, placeholder names at odd ones. */
    @SuppressWarnings("ImmutableEnumChecker") // filled once in the constructor, never written or handed out
    private final String[] parts;

    FindingCode(final int number, final Severity severity, final String template) {
        this.number = number;
        this.severity = severity;
        this.template = template;
        this.parts = split(template);
    }

    private static String[] split(final String template) {
        final List<String> parts = new ArrayList<>();
        int i = 0;
        while (true) {
            final int open = template.indexOf('{', i);
            final int close = open < 0 ? -1 : template.indexOf('}', open);
            if (close < 0) {
                parts.add(template.substring(i));
                return parts.toArray(new String[0]);
            }
            parts.add(template.substring(i, open));
            parts.add(template.substring(open + 1, close));
            i = close + 1;
        }
    }

    /** Stable number: never reused, never renumbered. */
    public int number() {
        return number;
    }

    public Severity severity() {
        return severity;
    }

    /** The message template with its {@code {name}} placeholders. */
    public String template() {
        return template;
    }

    /** This code's bit in {@link ClassifierResult#findings}. */
    public long bit() {
        return 1L << ordinal();
    }

    /** The code with this ordinal. */
    public static FindingCode of(final int ordinal) {
        return VALUES[ordinal];
    }

    /**
     * The code named {@code name} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the valid codes
     */
    public static FindingCode parse(final String name) {
        for (FindingCode c : VALUES) {
            if (c.name().equalsIgnoreCase(name.trim())) {
                return c;
            }
        }
        final StringBuilder b = new StringBuilder();
        for (FindingCode c : VALUES) {
            b.append(b.length() == 0 ? "" : ", ").append(c.name());
        }
        throw new IllegalArgumentException("unknown finding code " + Quote.of(name) + ", expected one of " + b);
    }

    /** The template with each {@code {name}} replaced by {@code values.apply(name)} (unknown names stay). */
    public String render(final Function<String, String> values) {
        final StringBuilder out = new StringBuilder(template.length() + 64);
        for (int i = 0; i < parts.length; i++) {
            if ((i & 1) == 0) {
                out.append(parts[i]);
            } else {
                final String v = values.apply(parts[i]);
                out.append(v == null ? "{" + parts[i] + "}" : v);
            }
        }
        return out.toString();
    }

    /** The README table: code, number, severity, meaning. */
    public static String markdownTable() {
        final StringBuilder b = new StringBuilder("| code | # | severity | meaning |\n|---|---|---|---|\n");
        for (FindingCode c : VALUES) {
            b.append("| `").append(c.name()).append("` | ").append(c.number).append(" | ")
                    .append(c.severity.label()).append(" | ").append(c.template.replace("|", "\\|")).append(" |\n");
        }
        return b.toString();
    }
}
