package io.mraflow.rules;

import io.mraflow.inspect.Dns;
import io.mraflow.inspect.DnsExchange;

import java.util.List;
import java.util.Locale;

/**
 * Whether a DNS flow let a client outside resolve {@code _cisco-uds._tcp.<domain>}: Cisco
 * requires that SRV record to resolve only inside, because a client that finds it tries UDS
 * (Unified CM) directly instead of {@code _collab-edge} and MRA. Report stage; stateless.
 *
 * <p>"Outside", in this order: a topology (given or inferred) that binds the client to a role
 * other than {@link Role#OFFPREM} says inside; an entry that names it {@code OFFPREM} says
 * outside; an address no entry names (or no topology at all) is outside only when it is a public
 * address (not RFC 1918, 100.64/10 shared, loopback, link-local or unique-local), because an
 * inside client of an unlisted subnet is far likelier than an outside one behind it.
 */
final class UdsExposure {
    static final String SERVICE = "_cisco-uds._tcp.";

    private static final List<AddressBlock> NOT_PUBLIC = List.of(
            AddressBlock.parse("10.0.0.0/8"), AddressBlock.parse("172.16.0.0/12"), AddressBlock.parse("192.168.0.0/16"),
            AddressBlock.parse("100.64.0.0/10"), AddressBlock.parse("127.0.0.0/8"), AddressBlock.parse("169.254.0.0/16"),
            AddressBlock.parse("0.0.0.0/8"), AddressBlock.parse("::1/128"), AddressBlock.parse("fc00::/7"),
            AddressBlock.parse("fe80::/10"));

    private UdsExposure() {
    }

    /** The first SRV answer for {@code _cisco-uds._tcp.*} in {@code dns}, as text, or null. */
    static String udsAnswer(final DnsExchange dns) {
        final String q = dns.queryName();
        if (q == null || dns.queryType() != Dns.TYPE_SRV || !q.toLowerCase(Locale.ROOT).startsWith(SERVICE)) {
            return null;
        }
        for (int i = 0; i < dns.answerCount(); i++) {
            if (dns.answerType(i) == Dns.TYPE_SRV) {
                return dns.answer(i);
            }
        }
        return null;
    }

    /** True when the client at {@code (hi, lo)} is outside, as the class comment reads it. */
    static boolean outside(final long hi, final long lo, final Topology topology) {
        if (topology != null) {
            if ((topology.roles(hi, lo) & ~Role.OFFPREM.bit()) != 0) {
                return false;
            }
            for (Topology.Entry e : topology.entries()) {
                if (e.role() == Role.OFFPREM && e.block().contains(hi, lo)) {
                    return true;
                }
            }
        }
        return isPublic(hi, lo);
    }

    static boolean isPublic(final long hi, final long lo) {
        for (AddressBlock b : NOT_PUBLIC) {
            if (b.contains(hi, lo)) {
                return false;
            }
        }
        return true;
    }
}
