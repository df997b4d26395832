package io.mraflow.rules;

/** On what a verdict's row rests; immutable. */
public enum Basis {
    /** Roles from a topology the user gave, and ports. */
    ROLES_PORTS,
    /** Ports alone: no topology, roles ignored. */
    PORTS,
    /** Roles inferred from the traffic ({@link RoleInference}), and ports. */
    INFERRED_ROLES_PORTS,
    /** No Expressway known (none given, none inferred): no row is given by ports alone. */
    NO_ROLES;

    /** Lower-case form for outputs: {@code roles+ports}, {@code ports}, {@code inferred-roles+ports}, {@code none}. */
    public String label() {
        return switch (this) {
            case ROLES_PORTS -> "roles+ports";
            case PORTS -> "ports";
            case INFERRED_ROLES_PORTS -> "inferred-roles+ports";
            case NO_ROLES -> "none";
        };
    }
}
