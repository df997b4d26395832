package io.mraflow.rules;

/**
 * The stages an MRA client goes through, in the order it goes through them: the diagnosis
 * ({@link Diagnosis}) says of each whether the capture shows it healthy, failing, absent or out
 * of sight. {@link #label()} is the stable name used in every output.
 */
public enum Stage {
    /** Service discovery: the {@code _collab-edge._tls.<domain>} SRV pointing at Expressway-E:8443. */
    DNS("dns", "service discovery (DNS)"),
    /** Client to Expressway-E on 8443: configuration and sign-in (T2.1). */
    EDGE_CONFIG("edge-config", "client to Expressway-E on 8443 (configuration, sign-in)"),
    /** SIP registration on 5061 (T2.2). */
    SIP_REGISTRATION("sip-registration", "SIP registration on 5061"),
    /** XMPP on 5222 (T2.5). */
    XMPP("xmpp", "XMPP on 5222"),
    /** Expressway-C to E: the SSH tunnel on 2222 and the traversal zones on 7001+ (Table 3). */
    TRAVERSAL("traversal", "Expressway-C to Expressway-E (SSH tunnel 2222, traversal 7001+)"),
    /** Expressway-C to Unified CM, IM and Presence, Unity Connection (Table 4 signalling). */
    ON_PREM("on-prem", "Expressway-C to Unified CM, IM and Presence, Unity Connection"),
    /** TURN allocations on the Expressway-E (T2.6, T2.7, T3.5). */
    TURN("turn", "TURN allocations"),
    /** Media both ways: client and E, E and C, C and on-premises endpoints. */
    MEDIA("media", "media both ways");

    private final String label;
    private final String title;

    Stage(final String label, final String title) {
        this.label = label;
        this.title = title;
    }

    /** Stable lower-case name ({@code sip-registration}). */
    public String label() {
        return label;
    }

    /**
     * The stage labelled {@code label} ({@code sip-registration}).
     *
     * @throws IllegalArgumentException naming the valid labels
     */
    public static Stage parse(final String label) {
        for (Stage s : values()) {
            if (s.label.equals(label)) {
                return s;
            }
        }
        final StringBuilder b = new StringBuilder();
        for (Stage s : values()) {
            b.append(b.length() == 0 ? "" : ", ").append(s.label);
        }
        throw new IllegalArgumentException("stage " + Quote.of(label) + ": expected one of " + b);
    }

    /** What the stage is, for a person. */
    public String title() {
        return title;
    }

    /** What the diagnosis says of one stage. */
    public enum Status {
        /** Its flows are in the capture and none failed. */
        HEALTHY("healthy"),
        /** At least one of its flows failed: the findings and flows are the evidence. */
        FAILING("failing"),
        /** Expected (the capture shows where its flows would pass) but none is there. */
        ABSENT("absent"),
        /** The capture cannot show it (e.g. only the outside interface was captured). */
        NOT_APPLICABLE("n/a");

        private final String label;

        Status(final String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }
}
