package io.mraflow.rules;

import io.mraflow.flow.FlowRecord;

import java.util.EnumMap;

/**
 * The media of a capture by leg of the MRA media path (client and Expressway-E outside, E and C in
 * the DMZ, C and the on-premises endpoint inside, and the direct ICE path between clients), counted
 * in each direction: "forward" is from the client's side towards the on-premises side. Where one
 * direction stops along the path is where its media is lost. Not thread-safe.
 */
final class MediaLegs {
    /** A leg of the media path, from the outside in. */
    enum Leg {
        OUTSIDE("OFFPREM", "the client", "the Expressway-E"),
        TRAVERSAL("EXPE", "the Expressway-E", "the Expressway-C"),
        INSIDE("EXPC", "the Expressway-C", "the on-premises endpoint"),
        DIRECT("OFFPREM", "one client", "the other client");

        /** The role of the leg's outer end (the client's side). */
        final String outerRole;
        final String outerName;
        final String innerName;

        Leg(final String outerRole, final String outerName, final String innerName) {
            this.outerRole = outerRole;
            this.outerName = outerName;
            this.innerName = innerName;
        }

        static Leg of(final String row) {
            return switch (row) {
                case "T2.3", "T2.4" -> OUTSIDE;
                case "T3.3" -> TRAVERSAL;
                case "T4.18" -> INSIDE;
                case "T1.1" -> DIRECT;
                default -> null;
            };
        }
    }

    /** One leg's counts, and the addresses of its first flow's ends. */
    static final class Tally {
        int flows;
        long forward;
        long backward;
        String outer;
        String inner;
    }

    final EnumMap<Leg, Tally> legs = new EnumMap<>(Leg.class);

    void add(final Verdict v) {
        final Leg leg = v.row() == null ? null : Leg.of(v.row());
        if (leg == null) {
            return;
        }
        final FlowRecord f = v.flow();
        final boolean origOuter = v.origRole() != null && v.origRole().contains(leg.outerRole)
                && (v.respRole() == null || !v.respRole().contains(leg.outerRole) || leg == Leg.DIRECT);
        final Tally t = legs.computeIfAbsent(leg, l -> new Tally());
        t.flows++;
        t.forward += origOuter ? f.origPkts() : f.respPkts();
        t.backward += origOuter ? f.respPkts() : f.origPkts();
        if (t.outer == null) {
            t.outer = AddressBlock.format(origOuter ? f.origHi() : f.respHi(), origOuter ? f.origLo() : f.respLo());
            t.inner = AddressBlock.format(origOuter ? f.respHi() : f.origHi(), origOuter ? f.respLo() : f.origLo());
        }
    }

    Tally leg(final Leg leg) {
        return legs.get(leg);
    }
}
