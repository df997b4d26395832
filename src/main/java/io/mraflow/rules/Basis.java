package io.mraflow.rules;

/** On what a verdict's row rests; immutable. */
public enum Basis {
    /** Roles from a topology the user gave, and ports. */
    ROLES_PORTS,
    /** Ports alone: no topology, roles ignored. */
    PORTS,
    /** Roles inferred from the traffic ({@link RoleInference}), and ports. */
    INFERRED_ROLES_PORTS;

    /** Lower-case form for outputs: {@code roles+ports}, {@code ports}, {@code inferred-roles+ports}. */
    public String label() {
        switch (this) {
            case ROLES_PORTS:
                return "roles+ports";
            case PORTS:
                return "ports";
            default:
                return "inferred-roles+ports";
        }
    }
}
