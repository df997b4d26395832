package io.mraflow.rules;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The deployment settings that shape the port reference (sizes and configurable port ranges);
 * immutable, so one instance may be shared by every thread.
 *
 * <p>Keys, the same in profiles ({@code rules/profiles/NAME.properties}), in topology files and
 * in {@link #with(String, String)}:
 * <pre>
 * size                small | medium | large     TURN control 3478, or 3478-3483 when large
 * media-range         36000-59999                Expressway media ports (T2.3, T2.4, T3.3, T4.18)
 * turn-relay-range    24000-29999                TURN relay ports (T2.7)
 * traversal-media     2776-2777|36000-36011      traversal media on the Expressway-E (T3.3)
 * onprem-media-range  16384-32767                on-premises media destinations (T4.18)
 * zones               1                          traversal zones: SIP ports 7001 .. 7000+zones (T3.2)
 * turn-tcp-443        false                      TURN also accepted on TCP 443 of the Expressway-E
 * profile             default                    start again from a named profile
 * </pre>
 *
 * <p>The port reference names port sets by {@code ${name}}: the range keys above, plus the derived
 * {@code turn-ports} (from {@code size}) and {@code traversal-sip} (from {@code zones}); see
 * {@link #ports(String)}. Boolean keys are read by {@link #flag(String)}.
 */
public final class Settings {

    /** Deployment size (T2.6, T3.5). */
    public enum Size {
        SMALL, MEDIUM, LARGE
    }

    /** Every key accepted by {@link #with(String, String)}, in documentation order. */
    public static final List<String> KEYS = List.of(
            "size", "media-range", "turn-relay-range", "traversal-media", "onprem-media-range", "zones",
            "turn-tcp-443", "profile");

    /** Port-set names the port reference may use in {@code ${...}}. */
    public static final List<String> PORT_NAMES = List.of(
            "media-range", "turn-relay-range", "traversal-media", "onprem-media-range", "turn-ports", "traversal-sip");

    /** Boolean names a reference row may depend on ({@code when=NAME}). */
    public static final List<String> FLAG_NAMES = List.of("turn-tcp-443");

    private static final String PROFILE_DIR = "/rules/profiles/";

    private static final Settings DEFAULTS = new Settings(Size.SMALL, PortSet.range(36000, 59999),
            PortSet.range(24000, 29999), PortSet.parse("2776-2777|36000-36011"), PortSet.range(16384, 32767), 1, false);

    private final Size size;
    private final PortSet mediaRange;
    private final PortSet turnRelayRange;
    private final PortSet traversalMedia;
    private final PortSet onpremMediaRange;
    private final int zones;
    private final boolean turnTcp443;

    private Settings(final Size size, final PortSet mediaRange, final PortSet turnRelayRange, final PortSet traversalMedia,
            final PortSet onpremMediaRange, final int zones, final boolean turnTcp443) {
        this.size = size;
        this.mediaRange = mediaRange;
        this.turnRelayRange = turnRelayRange;
        this.traversalMedia = traversalMedia;
        this.onpremMediaRange = onpremMediaRange;
        this.zones = zones;
        this.turnTcp443 = turnTcp443;
    }

    /** The documented defaults (the {@code default} profile). */
    public static Settings defaults() {
        return DEFAULTS;
    }

    /** Names of the profiles shipped in {@code rules/profiles/}, from its {@code profiles.list}. */
    public static List<String> profileNames() {
        final List<String> names = new ArrayList<>();
        try (InputStream in = Settings.class.getResourceAsStream(PROFILE_DIR + "profiles.list")) {
            if (in == null) {
                throw new IllegalStateException("resource " + PROFILE_DIR + "profiles.list is missing");
            }
            final BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null;) {
                final String t = line.strip();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    names.add(t);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + PROFILE_DIR + "profiles.list", e);
        }
        return names;
    }

    /**
     * The named profile: the defaults with the profile's keys applied.
     *
     * @throws IllegalArgumentException naming the valid profiles, or the profile line that is wrong
     */
    public static Settings profile(final String name) {
        final String n = name.trim().toLowerCase(Locale.ROOT);
        final List<String> names = profileNames();
        if (!names.contains(n)) {
            throw new IllegalArgumentException("unknown profile " + Quote.of(name) + ", expected one of " + String.join(", ", names));
        }
        final String resource = PROFILE_DIR + n + ".properties";
        Settings s = DEFAULTS;
        try (InputStream in = Settings.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " is missing");
            }
            final BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            int lineNo = 0;
            for (String line; (line = r.readLine()) != null;) {
                lineNo++;
                final String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                final int eq = t.indexOf('=');
                if (eq < 0) {
                    throw new RulesFormatException(resource, lineNo, "expected key=value with key one of " + KEYS);
                }
                final String key = t.substring(0, eq).trim();
                if (key.equals("profile")) {
                    throw new RulesFormatException(resource, lineNo, "a profile cannot name another profile");
                }
                try {
                    s = s.with(key, t.substring(eq + 1).trim());
                } catch (IllegalArgumentException e) {
                    throw new RulesFormatException(resource, lineNo, e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
        return s;
    }

    /**
     * A copy with one key changed ({@link #KEYS}); {@code profile NAME} replaces every value by the
     * profile's, so it belongs before other keys.
     *
     * @throws IllegalArgumentException naming the valid keys or the expected value
     */
    public Settings with(final String key, final String value) {
        final String k = key.trim().toLowerCase(Locale.ROOT);
        final String v = value.trim();
        switch (k) {
            case "size":
                final Size sz;
                try {
                    sz = Size.valueOf(v.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("size " + Quote.of(v) + ": expected small, medium or large");
                }
                return new Settings(sz, mediaRange, turnRelayRange, traversalMedia, onpremMediaRange, zones, turnTcp443);
            case "media-range":
                return new Settings(size, rangeValue(k, v), turnRelayRange, traversalMedia, onpremMediaRange, zones, turnTcp443);
            case "turn-relay-range":
                return new Settings(size, mediaRange, rangeValue(k, v), traversalMedia, onpremMediaRange, zones, turnTcp443);
            case "traversal-media":
                return new Settings(size, mediaRange, turnRelayRange, rangeValue(k, v), onpremMediaRange, zones, turnTcp443);
            case "onprem-media-range":
                return new Settings(size, mediaRange, turnRelayRange, traversalMedia, rangeValue(k, v), zones, turnTcp443);
            case "zones":
                final int z;
                try {
                    z = Integer.parseInt(v);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("zones " + Quote.of(v) + ": expected a number of traversal zones, 1..100");
                }
                if (z < 1 || z > 100) {
                    throw new IllegalArgumentException("zones " + z + ": expected a number of traversal zones, 1..100");
                }
                return new Settings(size, mediaRange, turnRelayRange, traversalMedia, onpremMediaRange, z, turnTcp443);
            case "turn-tcp-443":
                if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                    throw new IllegalArgumentException("turn-tcp-443 " + Quote.of(v) + ": expected true or false");
                }
                return new Settings(size, mediaRange, turnRelayRange, traversalMedia, onpremMediaRange, zones,
                        Boolean.parseBoolean(v));
            case "profile":
                return profile(v);
            default:
                throw new IllegalArgumentException("unknown setting " + Quote.of(key) + ", expected one of " + String.join(", ", KEYS));
        }
    }

    private static PortSet rangeValue(final String key, final String v) {
        try {
            return PortSet.parse(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " " + Quote.of(v) + ": " + e.getMessage());
        }
    }

    /**
     * The port set a port reference names {@code ${name}} ({@link #PORT_NAMES}).
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public PortSet ports(final String name) {
        switch (name) {
            case "media-range":
                return mediaRange;
            case "turn-relay-range":
                return turnRelayRange;
            case "traversal-media":
                return traversalMedia;
            case "onprem-media-range":
                return onpremMediaRange;
            case "turn-ports":
                return size == Size.LARGE ? PortSet.range(3478, 3483) : PortSet.range(3478, 3478);
            case "traversal-sip":
                return PortSet.range(7001, 7000 + zones);
            default:
                throw new IllegalArgumentException("unknown port setting '${" + name + "}', expected one of "
                        + String.join(", ", PORT_NAMES));
        }
    }

    /**
     * A boolean setting ({@link #FLAG_NAMES}).
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public boolean flag(final String name) {
        if (name.equals("turn-tcp-443")) {
            return turnTcp443;
        }
        throw new IllegalArgumentException("unknown boolean setting '" + name + "', expected one of " + String.join(", ", FLAG_NAMES));
    }

    public Size size() {
        return size;
    }

    public int zones() {
        return zones;
    }

    /**
     * Every key except {@code profile} with its value, in {@link #KEYS} order: what a topology file
     * writes so that reading it back gives these settings.
     */
    public Map<String, String> asMap() {
        final Map<String, String> m = new LinkedHashMap<>();
        m.put("size", size.name().toLowerCase(Locale.ROOT));
        m.put("media-range", mediaRange.toString());
        m.put("turn-relay-range", turnRelayRange.toString());
        m.put("traversal-media", traversalMedia.toString());
        m.put("onprem-media-range", onpremMediaRange.toString());
        m.put("zones", Integer.toString(zones));
        m.put("turn-tcp-443", Boolean.toString(turnTcp443));
        return m;
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof Settings && asMap().equals(((Settings) o).asMap());
    }

    @Override
    public int hashCode() {
        return asMap().hashCode();
    }

    @Override
    public String toString() {
        return asMap().toString();
    }
}
