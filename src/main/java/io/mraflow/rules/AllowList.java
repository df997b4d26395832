package io.mraflow.rules;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Findings the user accepts for known traffic (policy: applied after classification); immutable
 * and safe to share between threads. {@link #allows} is allocation-free.
 *
 * <p>Syntax, one rule a line, {@code #} starts a comment:
 * <pre>
 * allow CONDITION [CONDITION ...]
 *
 * code=UNDOCUMENTED        the finding code (FindingCode name), or * for every code (the default)
 * row=T4.18                the row the finding cites
 * orig=10.0.0.0/8          opener address or CIDR block (IPv4 or IPv6)
 * resp=203.0.113.5         responder address or block
 * addr=10.0.0.5            either end
 * orig_port=25000-29999    opener port or range
 * resp_port=5070           responder port or range
 * port=5070                either end's port
 * proto=tcp                tcp or udp
 * </pre>
 * A rule allows a finding when every condition on its line holds; a line needs at least one
 * condition besides {@code code}, or {@code code=} naming a code (an {@code allow} with nothing
 * would silence everything). Examples:
 * <pre>
 * allow code=UNDOCUMENTED resp_port=5070 proto=udp     # a lab SIP proxy
 * allow code=SOURCE_PORT_OUTSIDE_RANGE row=T2.2
 * allow code=NOT_RECOMMENDED orig=10.0.1.20            # IM and P's presence trunk
 * </pre>
 * A bad line raises {@link RulesFormatException} with file name, line number and what was expected,
 * as does a byte that is not UTF-8 or an overlong line ({@link ConfigLines}).
 */
public final class AllowList {

    private static final AllowList EMPTY = new AllowList(new Rule[0]);

    private static final class Rule {
        long codes = -1L; // bitmask of FindingCode
        int row = -1;
        AddressBlock orig;
        AddressBlock resp;
        AddressBlock addr;
        PortSet origPort;
        PortSet respPort;
        PortSet port;
        int proto; // 0 any
    }

    private final Rule[] rules;

    private AllowList(final Rule[] rules) {
        this.rules = rules;
    }

    /** Allows nothing. */
    public static AllowList empty() {
        return EMPTY;
    }

    /** Reads an allow list (UTF-8); {@code reference} validates row ids. */
    public static AllowList parse(final Path file, final PortReference reference) throws IOException {
        try (ConfigLines lines = ConfigLines.open(file)) {
            return parse(lines, reference);
        }
    }

    /** Reads an allow list, UTF-8, from {@code in}; {@code source} names it in errors. */
    public static AllowList parse(final InputStream in, final String source, final PortReference reference) throws IOException {
        return parse(new ConfigLines(in, source), reference);
    }

    private static AllowList parse(final ConfigLines lines, final PortReference reference) throws IOException {
        final String source = lines.source();
        final List<Rule> rules = new ArrayList<>();
        for (String[] words; (words = lines.nextWords()) != null;) {
            final int lineNo = lines.lineNumber();
            if (!words[0].equals("allow")) {
                throw new RulesFormatException(source, lineNo, "expected a line 'allow key=value ...', found " + Quote.of(words[0]));
            }
            if (words.length < 2) {
                throw new RulesFormatException(source, lineNo, "'allow' needs at least one condition: code=, row=, orig=, resp=, addr=,"
                        + " orig_port=, resp_port=, port=, proto=");
            }
            final Rule rule = new Rule();
            boolean narrowing = false;
            for (int i = 1; i < words.length; i++) {
                final String w = words[i];
                final int eq = w.indexOf('=');
                if (eq <= 0) {
                    throw new RulesFormatException(source, lineNo, Quote.of(w) + ": expected key=value with key one of code, row, orig, resp,"
                            + " addr, orig_port, resp_port, port, proto");
                }
                final String key = w.substring(0, eq).toLowerCase(Locale.ROOT);
                final String value = w.substring(eq + 1);
                try {
                    switch (key) {
                        case "code":
                            if (!value.equals("*")) {
                                rule.codes = FindingCode.parse(value).bit();
                                narrowing = true;
                            }
                            break;
                        case "row":
                            rule.row = reference.indexOf(value);
                            if (rule.row < 0) {
                                throw new IllegalArgumentException("row " + Quote.of(value) + " is not in the port reference (rows like T3.2)");
                            }
                            narrowing = true;
                            break;
                        case "orig":
                            rule.orig = AddressBlock.parse(value);
                            narrowing = true;
                            break;
                        case "resp":
                            rule.resp = AddressBlock.parse(value);
                            narrowing = true;
                            break;
                        case "addr":
                            rule.addr = AddressBlock.parse(value);
                            narrowing = true;
                            break;
                        case "orig_port":
                            rule.origPort = PortSet.parse(value);
                            narrowing = true;
                            break;
                        case "resp_port":
                            rule.respPort = PortSet.parse(value);
                            narrowing = true;
                            break;
                        case "port":
                            rule.port = PortSet.parse(value);
                            narrowing = true;
                            break;
                        case "proto":
                            if (value.equalsIgnoreCase("tcp")) {
                                rule.proto = 6;
                            } else if (value.equalsIgnoreCase("udp")) {
                                rule.proto = 17;
                            } else {
                                throw new IllegalArgumentException("proto " + Quote.of(value) + ": expected tcp or udp");
                            }
                            narrowing = true;
                            break;
                        default:
                            throw new IllegalArgumentException("unknown key " + Quote.of(key) + ", expected one of code, row, orig, resp, addr,"
                                    + " orig_port, resp_port, port, proto");
                    }
                } catch (IllegalArgumentException e) {
                    throw new RulesFormatException(source, lineNo, e.getMessage());
                }
            }
            if (!narrowing) {
                throw new RulesFormatException(source, lineNo, "this rule would allow every finding on every flow: add a condition");
            }
            rules.add(rule);
        }
        return new AllowList(rules.toArray(new Rule[0]));
    }

    /** True when a rule allows {@code code} on {@code f}; rules with {@code row=} need {@link #allows(FlowFacts, FindingCode, int)}. */
    public boolean allows(final FlowFacts f, final FindingCode code) {
        return allows(f, code, -1);
    }

    /** True when a rule allows {@code code}, citing row {@code citedRow} (-1 for none), on {@code f}. */
    public boolean allows(final FlowFacts f, final FindingCode code, final int citedRow) {
        final long bit = code.bit();
        for (Rule r : rules) {
            if ((r.codes & bit) == 0) {
                continue;
            }
            if (r.row >= 0 && r.row != citedRow) {
                continue;
            }
            if (r.proto != 0 && r.proto != f.ipProto) {
                continue;
            }
            if (r.orig != null && !r.orig.contains(f.origHi, f.origLo)) {
                continue;
            }
            if (r.resp != null && !r.resp.contains(f.respHi, f.respLo)) {
                continue;
            }
            if (r.addr != null && !r.addr.contains(f.origHi, f.origLo) && !r.addr.contains(f.respHi, f.respLo)) {
                continue;
            }
            if (r.origPort != null && !r.origPort.contains(f.origPort)) {
                continue;
            }
            if (r.respPort != null && !r.respPort.contains(f.respPort)) {
                continue;
            }
            if (r.port != null && !r.port.contains(f.origPort) && !r.port.contains(f.respPort)) {
                continue;
            }
            return true;
        }
        return false;
    }

    /** Withdraws from {@code v} every finding this list allows; returns how many. */
    public int applyTo(final FlowFacts f, final ClassifierResult v) {
        int removed = 0;
        long m = v.findings;
        while (m != 0) {
            final FindingCode c = FindingCode.of(Long.numberOfTrailingZeros(m));
            m &= m - 1;
            if (allows(f, c, v.rowOf(c) >= 0 ? v.rowOf(c) : v.row)) {
                v.remove(c);
                removed++;
            }
        }
        return removed;
    }

    /** Number of rules. */
    public int size() {
        return rules.length;
    }
}
