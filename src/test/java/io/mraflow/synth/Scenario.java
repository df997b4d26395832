package io.mraflow.synth;

import io.mraflow.synth.MraSteps.Leg;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The MRA failure scenarios of {@code pcaps/scenarios/}: each one's file name, where it was
 * "captured" (the legs written), what it shows, the first MRA stage a diagnosis should find
 * failing (a {@code rules.Stage} label, or {@code none}) with the cause in one sentence, and
 * the story that plays it. Names are fixed: tests of the diagnosis refer to them.
 */
enum Scenario {

    FIREWALL_DROPS_5061("firewall-drops-5061", "2026-03-09T08:30:00Z", EnumSet.of(Leg.OUTSIDE),
        "on the internet side of the outside firewall, where the test clients' traffic passes",
        "Three clients resolve _collab-edge, sign in on 8443 and open XMPP on 5222; their SIP connections to"
            + " the Expressway-E on 5061 are never answered (SYN and retransmissions, two tries each).",
        "sip-registration",
        "The outside firewall does not forward TCP 5061 to the Expressway-E, so SIP registration never"
            + " reaches it while 8443 and 5222 do.",
        ScenarioStories::firewallDrops5061),
    SSH_TUNNEL_REFUSED("ssh-tunnel-refused", "2026-03-10T07:15:00Z", EnumSet.of(Leg.DMZ, Leg.INSIDE),
        "on the Expressway-E's DMZ interface and on the Expressway-C (no client traffic)",
        "The Expressway-C brings up the traversal zone on 7001 (TLS, SIP keepalives), XMPP on 7400 and its"
            + " connections inside; each of its eight SSH tunnel attempts to 172.16.10.10:2222 is answered by"
            + " RST-ACK.",
        "traversal",
        "The Expressway-E refuses the SSH tunnel on 2222 (nothing listening there, or a rule rejecting the"
            + " C), so sign-in and configuration requests cannot be proxied to the C.",
        ScenarioStories::sshTunnelRefused),
    ONE_WAY_AUDIO("one-way-audio", "2026-03-11T13:40:00Z", EnumSet.allOf(Leg.class),
        "on every leg: the Expressway-E outside and DMZ interfaces and the Expressway-C",
        "A normal login and a call from a client to a desk phone; the client's audio passes every leg"
            + " (client to E, E to C, C to the phone) but nothing comes back from the phone on any leg.",
        "media",
        "Return media is lost between the phone and the Expressway-C: the inside firewall drops the"
            + " phone's RTP to the C (16384-32767 to 36000-59999), so every leg is one-way.",
        ScenarioStories::oneWayAudio),
    TURN_RELAY_BLOCKED("turn-relay-blocked", "2026-03-12T10:05:00Z", EnumSet.of(Leg.OUTSIDE),
        "on the Expressway-E's outside interface (the clients' side)",
        "Two clients log in and call each other; their TURN allocations on 3478 succeed (401, then success),"
            + " but the media each sends to the other's relay port is answered by ICMP port unreachable from"
            + " the Expressway-E.",
        "turn",
        "The TURN relay range 24000-29999 is blocked at the Expressway-E's outside interface while the"
            + " TURN request port 3478 is open, so relayed media cannot flow.",
        ScenarioStories::turnRelayBlocked),
    CERTIFICATE_REJECTED("certificate-rejected", "2026-03-13T08:50:00Z", EnumSet.of(Leg.OUTSIDE),
        "on the clients' side of the internet, in front of the Expressway-E's public address",
        "Two clients resolve _collab-edge and connect to 8443; each TLS handshake ends with a fatal"
            + " unknown_ca alert from the client right after the Expressway-E's certificate flight, twice per"
            + " client.",
        "edge-config",
        "The clients do not trust the Expressway-E's certificate (signed by an internal CA they do not"
            + " know): it needs a public CA, or that CA in the clients' trust store, with the edge name in"
            + " its SAN.",
        ScenarioStories::certificateRejected),
    CISCO_UDS_OUTSIDE("cisco-uds-outside", "2026-03-16T09:20:00Z", EnumSet.of(Leg.OUTSIDE),
        "on the client's side of the internet",
        "The public resolver answers the client's _cisco-uds SRV (cucm1.example.com:8443, A 10.10.30.10), so"
            + " the client first tries 10.10.30.10:8443 directly (SYNs never answered), then falls back to"
            + " _collab-edge and signs in through the edge.",
        "dns",
        "The _cisco-uds._tcp SRV record is published in public DNS: it must resolve only inside the"
            + " enterprise, so outside clients go straight to the edge.",
        ScenarioStories::ciscoUdsOutside),
    CLIENT_BANNED("client-banned", "2026-03-17T14:10:00Z", EnumSet.of(Leg.OUTSIDE),
        "on the Expressway-E's outside interface",
        "Four clients sign in, register on 5061 and open XMPP on 5222; a fifth signs in five times with a"
            + " rejected password (the E closes each TLS session after its 401) and from then on its SYNs to"
            + " 8443 and 5061 are never answered.",
        "edge-config",
        "Intrusion protection on the Expressway-E banned that client's address after repeated failed"
            + " sign-ins: its connections are dropped while every other client works.",
        ScenarioStories::clientBanned),
    HEALTHY_CALL("healthy-call", "2026-03-18T11:00:00Z", EnumSet.allOf(Leg.class),
        "on every leg: the Expressway-E outside and DMZ interfaces and the Expressway-C",
        "The C connects (SSH tunnel 2222, traversal 7001, XMPP 7400, TURN), two clients discover, sign in,"
            + " register and open XMPP, one calls a desk phone (media both ways on every leg), then the two"
            + " call each other: TURN relay, ICE checks, media straight between them.",
        "none",
        "Nothing fails: every stage is healthy (a few TCP segments are retransmitted, as on any internet path).",
        ScenarioStories::healthyCall);

    private final String fileName;
    private final long startNanos;
    @SuppressWarnings("ImmutableEnumChecker") // set once from the enum constant's arguments, never modified
    private final Set<Leg> legs;
    private final String capturedAt;
    private final String shows;
    private final String firstFailing;
    private final String cause;
    @SuppressWarnings("ImmutableEnumChecker") // a method reference to a static story, stateless
    private final Consumer<MraSteps> story;

    Scenario(final String fileName, final String start, final Set<Leg> legs, final String capturedAt,
             final String shows, final String firstFailing, final String cause, final Consumer<MraSteps> story) {
        this.fileName = fileName;
        this.startNanos = Instant.parse(start).getEpochSecond() * 1_000_000_000L;
        this.legs = legs;
        this.capturedAt = capturedAt;
        this.shows = shows;
        this.firstFailing = firstFailing;
        this.cause = cause;
        this.story = story;
    }

    /** The base name of its files: {@code NAME.pcapng}, {@code NAME.flows.tsv}, {@code NAME.topology}. */
    String fileName() {
        return fileName;
    }

    long startNanos() {
        return startNanos;
    }

    /** Each scenario its own seed, so that changing one story leaves the others' bytes alone. */
    long seed() {
        return MraSampleCapture.SEED + 1 + ordinal();
    }

    Set<Leg> legs() {
        return legs;
    }

    String capturedAt() {
        return capturedAt;
    }

    String shows() {
        return shows;
    }

    /** The label of the first stage that should be failing, or {@code none}. */
    String firstFailing() {
        return firstFailing;
    }

    String cause() {
        return cause;
    }

    void play(final MraSteps steps) {
        story.accept(steps);
    }
}
