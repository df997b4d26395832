package io.mraflow.rules;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * A topology file: roles bound to addresses, and the deployment settings; immutable.
 *
 * <pre>
 * # comment
 * profile x8-legacy              settings start from the defaults; profile restarts from a profile
 * size large                     any key of {@link Settings#KEYS}: key value
 * media-range 36000-59999
 * zones 2
 * EXPE_PUBLIC 203.0.113.5        ROLE ADDRESS_OR_CIDR [ADDRESS_OR_CIDR ...]
 * EXPE_PRIVATE 203.0.113.5       one address may hold several roles
 * ONPREM_MEDIA 10.20.0.0/16
 * </pre>
 * Lines are read in order; a bad line raises {@link RulesFormatException} with the file name,
 * line number and what was expected (the valid roles and keys), as does a byte that is not UTF-8
 * or an overlong line ({@link ConfigLines}).
 *
 * @param topology the bindings
 * @param settings the settings the file gives (defaults where it gives none)
 */
public record TopologyFile(Topology topology, Settings settings) {

    /** Reads a topology file (UTF-8). */
    public static TopologyFile parse(final Path file) throws IOException {
        try (ConfigLines lines = ConfigLines.open(file)) {
            return parse(lines);
        }
    }

    /**
     * Reads the topology format, UTF-8, from {@code in}.
     *
     * @param source name used in error messages
     */
    public static TopologyFile parse(final InputStream in, final String source) throws IOException {
        return parse(new ConfigLines(in, source));
    }

    private static TopologyFile parse(final ConfigLines lines) throws IOException {
        final String source = lines.source();
        final Topology.Builder b = Topology.builder();
        Settings settings = Settings.defaults();
        for (String[] words; (words = lines.nextWords()) != null;) {
            final int lineNo = lines.lineNumber();
            final String first = words[0];
            final String key = first.toLowerCase(Locale.ROOT);
            if (Settings.KEYS.contains(key)) {
                if (words.length != 2) {
                    throw new RulesFormatException(source, lineNo, "setting '" + key + "' takes one value: " + key + " VALUE");
                }
                try {
                    settings = settings.with(key, words[1]);
                } catch (IllegalArgumentException e) {
                    throw new RulesFormatException(source, lineNo, e.getMessage());
                }
                continue;
            }
            final Role role;
            try {
                role = Role.parse(first);
            } catch (IllegalArgumentException e) {
                throw new RulesFormatException(source, lineNo, Quote.of(first) + " is neither a role (" + Role.validNames()
                        + ") nor a setting (" + String.join(", ", Settings.KEYS) + ")");
            }
            if (words.length < 2) {
                throw new RulesFormatException(source, lineNo, "role " + role + " needs an address or CIDR block: "
                        + role + " ADDRESS_OR_CIDR");
            }
            for (int i = 1; i < words.length; i++) {
                try {
                    b.add(role, words[i]);
                } catch (IllegalArgumentException e) {
                    throw new RulesFormatException(source, lineNo, e.getMessage());
                }
            }
        }
        return new TopologyFile(b.build(), settings);
    }

    /**
     * Renders a topology and settings in the file format, so that {@link #parse} reads them back.
     * Evidence of inferred bindings is written as {@code #} comments above each binding.
     */
    public static String write(final Topology topology, final Settings settings) {
        final StringBuilder b = new StringBuilder();
        b.append(topology.inferred() ? "# mraflow topology, roles inferred from the traffic: confirm or correct\n"
                : "# mraflow topology\n");
        for (Map.Entry<String, String> e : settings.asMap().entrySet()) {
            b.append(e.getKey()).append(' ').append(e.getValue()).append('\n');
        }
        for (Topology.Entry e : topology.entries()) {
            b.append('\n');
            for (String ev : e.evidence()) {
                b.append("# ").append(ev.replace('\n', ' ').replace('\r', ' ')).append('\n');
            }
            b.append(e.role().name()).append(' ').append(e.block()).append('\n');
        }
        return b.toString();
    }
}
