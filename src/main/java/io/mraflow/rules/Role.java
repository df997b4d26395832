package io.mraflow.rules;

import java.util.Locale;
import java.util.StringJoiner;

/**
 * The roles an address can hold in an MRA deployment ({@code docs/MRA-PORTS.md}); immutable.
 * An address may hold several roles at once (a single-NIC Expressway-E is both
 * {@link #EXPE_PUBLIC} and {@link #EXPE_PRIVATE}), so the roles of an address travel as a
 * bitmask of {@link #bit()} values; an address no topology entry names is {@link #OFFPREM}.
 *
 * <p>{@code ANY}, {@code EXPE} and {@code CLOUD} of the spec are not roles an address holds:
 * {@code ANY} and {@code EXPE} are sets of these roles written in the port reference, and
 * {@code CLOUD} is recognised by the TLS server name, not by address.
 */
public enum Role {
    OFFPREM,
    EXPE_PUBLIC,
    EXPE_PRIVATE,
    EXPC,
    UCM,
    IMP,
    CUC,
    ONPREM_MEDIA;

    private static final Role[] VALUES = values();

    /** Every role: the set {@code ANY} of the port reference. */
    public static final int ALL_MASK = (1 << VALUES.length) - 1;

    /** {@code EXPE} of the port reference: either address of the Expressway-E. */
    public static final int EXPE_MASK = EXPE_PUBLIC.bit() | EXPE_PRIVATE.bit();

    /** Labels by mask, made on first use: two per flow at the report stage, from few distinct masks. */
    private static final String[] LABELS = new String[ALL_MASK + 1];

    /** This role's bit in a role mask. */
    public int bit() {
        return 1 << ordinal();
    }

    /** True when {@code mask} holds this role. */
    public boolean in(final int mask) {
        return (mask & bit()) != 0;
    }

    /**
     * The role named {@code name} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the valid roles
     */
    public static Role parse(final String name) {
        final String upper = name.trim().toUpperCase(Locale.ROOT);
        for (Role r : VALUES) {
            if (r.name().equals(upper)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role " + Quote.of(name) + ", expected one of " + validNames());
    }

    /** The valid role names, comma separated, for error messages. */
    public static String validNames() {
        final StringJoiner j = new StringJoiner(", ");
        for (Role r : VALUES) {
            j.add(r.name());
        }
        return j.toString();
    }

    /**
     * A role mask as text: {@code ANY} for every role, {@code EXPE} for both Expressway-E
     * addresses, otherwise the role names joined by {@code +}; {@code -} for an empty mask.
     */
    public static String label(final int mask) {
        if (mask >= 0 && mask <= ALL_MASK) {
            String l = LABELS[mask];
            if (l == null) {
                l = join(mask);
                LABELS[mask] = l; // a benign race: every thread computes the same immutable string
            }
            return l;
        }
        return join(mask);
    }

    private static String join(final int mask) {
        if (mask == 0) {
            return "-";
        }
        if ((mask & ALL_MASK) == ALL_MASK) {
            return "ANY";
        }
        final StringJoiner j = new StringJoiner("+");
        int rest = mask;
        if ((rest & EXPE_MASK) == EXPE_MASK) {
            j.add("EXPE");
            rest &= ~EXPE_MASK;
        }
        for (Role r : VALUES) {
            if (r.in(rest)) {
                j.add(r.name());
            }
        }
        return j.toString();
    }

    /** The role with this ordinal. */
    public static Role of(final int ordinal) {
        return VALUES[ordinal];
    }

    /** How many roles there are. */
    public static int count() {
        return VALUES.length;
    }
}
