package io.mraflow.rules;

import io.mraflow.inspect.AppProto;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The MRA port reference as read from its data file; immutable and shareable. Each line of
 * {@code rules/mra-ports.tsv} is one documented flow ({@link ReferenceRow}); the file's header
 * comment documents the ten tab-separated columns and their syntax. {@link #compile(Settings)}
 * turns the rows into the lookup arrays the {@link Classifier} uses.
 *
 * <p>Adding a documented flow is adding a line; at most 64 rows (row sets are {@code long} bitmasks).
 */
public final class PortReference {
    /** Class-path location of the shipped reference. */
    public static final String RESOURCE = "/rules/mra-ports.tsv";

    /** Maximum number of rows (bits of a {@code long}). */
    public static final int MAX_ROWS = 64;

    private static final int COLUMNS = 10;

    private final List<ReferenceRow> rows;

    private PortReference(final List<ReferenceRow> rows) {
        this.rows = Collections.unmodifiableList(rows);
    }

    /** The shipped reference, {@link #RESOURCE}. */
    public static PortReference load() {
        try (InputStream in = PortReference.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the class path");
            }
            return parse(new InputStreamReader(in, StandardCharsets.UTF_8), RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /**
     * Reads a reference in the TSV form.
     *
     * @param source name used in error messages
     * @throws RulesFormatException naming the line and what was expected
     */
    public static PortReference parse(final Reader reader, final String source) throws IOException {
        final BufferedReader r = new BufferedReader(reader);
        final List<ReferenceRow> rows = new ArrayList<>();
        final Set<String> ids = new HashSet<>();
        int lineNo = 0;
        for (String line; (line = r.readLine()) != null;) {
            lineNo++;
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            final String[] c = line.split("\t", -1);
            if (c.length != COLUMNS && c.length != COLUMNS - 1) {
                throw new RulesFormatException(source, lineNo, "expected " + COLUMNS
                        + " tab-separated columns (id purpose opener_role opener_ports proto responder_role responder_ports"
                        + " payload flags notes), found " + c.length);
            }
            if (rows.size() == MAX_ROWS) {
                throw new RulesFormatException(source, lineNo, "more than " + MAX_ROWS + " rows");
            }
            try {
                final ReferenceRow row = parseRow(rows.size(), c, lineNo);
                if (!ids.add(row.id())) {
                    throw new IllegalArgumentException("row id " + row.id() + " appears twice");
                }
                rows.add(row);
            } catch (IllegalArgumentException e) {
                if (e instanceof RulesFormatException) {
                    throw e;
                }
                throw new RulesFormatException(source, lineNo, e.getMessage());
            }
        }
        return new PortReference(rows);
    }

    private static ReferenceRow parseRow(final int index, final String[] c, final int lineNo) {
        final String id = c[0].trim();
        if (id.isEmpty() || !id.matches("[A-Za-z0-9.+_-]+")) {
            throw new IllegalArgumentException("id '" + id + "': expected letters, digits and . + _ - like T3.2");
        }
        final String purpose = c[1].trim();
        final String openerText = c[2].trim();
        final String responderText = c[5].trim();
        if (openerText.equalsIgnoreCase("CLOUD")) {
            throw new IllegalArgumentException("opener_role CLOUD: CLOUD can only be a responder");
        }
        final int openerRoles = parseRoles("opener_role", openerText);
        final boolean cloud = responderText.equalsIgnoreCase("CLOUD");
        final int responderRoles = cloud ? Role.ALL_MASK : parseRoles("responder_role", responderText);
        final String openerPorts = c[3].trim();
        final String respPorts = c[6].trim();
        checkPorts("opener_ports", openerPorts);
        checkPorts("responder_ports", respPorts);
        final String proto = c[4].trim().toUpperCase(Locale.ROOT);
        final int transports;
        switch (proto) {
            case "TLS":
            case "TCP":
                transports = ReferenceRow.TCP_BIT;
                break;
            case "UDP":
                transports = ReferenceRow.UDP_BIT;
                break;
            case "TCP+UDP":
            case "UDP+TCP":
                transports = ReferenceRow.TCP_BIT | ReferenceRow.UDP_BIT;
                break;
            default:
                throw new IllegalArgumentException("proto '" + c[4].trim() + "': expected TLS, TCP, UDP or TCP+UDP");
        }
        final String payloadText = c[7].trim();
        int payload = 0;
        if (payloadText.equals("*")) {
            payload = (1 << AppProto.COUNT) - 1;
        } else {
            for (String p : payloadText.split("\\|")) {
                payload |= AppProto.bit(AppProto.parse(p));
            }
        }
        boolean ice = false;
        boolean sipNr = false;
        String sni = null;
        String when = null;
        int trunkPeers = 0;
        Stage stage = null;
        final String flags = c[8].trim();
        if (!flags.equals("-") && !flags.isEmpty()) {
            for (String f : flags.split(";")) {
                final String flag = f.trim();
                final int eq = flag.indexOf('=');
                final String key = eq < 0 ? flag : flag.substring(0, eq);
                final String value = eq < 0 ? "" : flag.substring(eq + 1).trim();
                switch (key) {
                    case "ice":
                        ice = true;
                        break;
                    case "sni":
                        if (!value.matches("[A-Za-z0-9.-]+")) {
                            throw new IllegalArgumentException("flag sni='" + value + "': expected a host name");
                        }
                        sni = value.toLowerCase(Locale.ROOT);
                        break;
                    case "sip-cleartext":
                        if (!value.equals("not-recommended")) {
                            throw new IllegalArgumentException("flag sip-cleartext='" + value + "': expected not-recommended");
                        }
                        sipNr = true;
                        break;
                    case "trunk-peers":
                        trunkPeers = parseRoles("flag trunk-peers", value);
                        break;
                    case "stage":
                        stage = Stage.parse(value);
                        break;
                    case "when":
                        if (!Settings.FLAG_NAMES.contains(value)) {
                            throw new IllegalArgumentException("flag when='" + value + "': expected one of " + Settings.FLAG_NAMES);
                        }
                        when = value;
                        break;
                    default:
                        throw new IllegalArgumentException("flag '" + flag
                                + "': expected ice, sni=HOST, sip-cleartext=not-recommended, trunk-peers=ROLES when=SETTING or stage=STAGE");
                }
            }
        }
        if (cloud != (sni != null)) {
            throw new IllegalArgumentException(cloud ? "responder CLOUD needs the flag sni=HOST"
                    : "flag sni=HOST needs responder_role CLOUD");
        }
        final String notes = c.length > 9 ? c[9].trim() : "";
        return new ReferenceRow(index, id, purpose, openerRoles, openerText.equalsIgnoreCase("ANY"), openerPorts, proto,
                transports, responderRoles, responderText.equalsIgnoreCase("ANY"), respPorts, payload, ice, sni, sipNr,
                trunkPeers, when, stage, notes, lineNo);
    }

    private static int parseRoles(final String column, final String text) {
        int mask = 0;
        for (String t : text.split("\\|")) {
            final String name = t.trim().toUpperCase(Locale.ROOT);
            if (name.equals("ANY")) {
                mask |= Role.ALL_MASK;
            } else if (name.equals("EXPE")) {
                mask |= Role.EXPE_MASK;
            } else {
                try {
                    mask |= Role.parse(name).bit();
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(column + " '" + t.trim() + "': expected ANY, EXPE, CLOUD or one of "
                            + Role.validNames());
                }
            }
        }
        return mask;
    }

    private static void checkPorts(final String column, final String text) {
        try {
            resolvePorts(text, Settings.defaults());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(column + " '" + text + "': " + e.getMessage()
                    + " (expected N, N-M, eph, >=N or ${setting}, alternatives joined by |)");
        }
    }

    /** Resolves a port field of the reference under {@code settings}. */
    static PortSet resolvePorts(final String text, final Settings settings) {
        PortSet set = null;
        for (String alt : text.split("\\|")) {
            final String a = alt.trim();
            final PortSet p;
            if (a.equalsIgnoreCase("eph")) {
                p = PortSet.ALL;
            } else if (a.startsWith(">=")) {
                final int low;
                try {
                    low = Integer.parseInt(a.substring(2).trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + a + "' is not >=N");
                }
                p = PortSet.range(low, 65535);
            } else if (a.startsWith("${") && a.endsWith("}")) {
                p = settings.ports(a.substring(2, a.length() - 1));
            } else {
                p = PortSet.parse(a);
            }
            set = set == null ? p : set.union(p);
        }
        return set;
    }

    /** Every row, in file order; a row's {@link ReferenceRow#index()} is its position here. */
    public List<ReferenceRow> rows() {
        return rows;
    }

    /** The row with this id, or -1. */
    public int indexOf(final String id) {
        for (ReferenceRow r : rows) {
            if (r.id().equals(id)) {
                return r.index();
            }
        }
        return -1;
    }

    /** The row with this id; throws naming the id when there is none. */
    public ReferenceRow row(final String id) {
        final int i = indexOf(id);
        if (i < 0) {
            throw new IllegalArgumentException("no row '" + id + "' in the port reference");
        }
        return rows.get(i);
    }

    /** Builds the lookup arrays for {@code settings}. */
    public CompiledReference compile(final Settings settings) {
        return new CompiledReference(this, settings);
    }
}
