package io.mraflow.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Table-driven over {@code rules/mra-ports.tsv} itself: every row's own flows, the same flows
 * opened the other way, and ports one outside each range edge, with a topology and by ports
 * alone. Expected answers come from {@link ReferenceFlows}' set-based reading of the rows.
 */
class ReferenceTableTest {
    /** Every row compiled in, including the ones behind a boolean setting. */
    private static final CompiledReference REF = PortReference.load().compile(Settings.defaults().with("turn-tcp-443", "true"));
    private static final ReferenceFlows FLOWS = new ReferenceFlows(REF);
    private static final Topology TOPO = ReferenceFlows.topology();

    private static ClassifierResult classify(Topology t, FlowFacts f) {
        final ClassifierResult v = new ClassifierResult();
        new Classifier(REF, t).classify(f, v);
        return v;
    }

    private static String id(int row) {
        return row < 0 ? "-" : REF.row(row).id();
    }

    @Test
    void everyRowIsCompiledInWhenItsSettingIsOn() {
        for (ReferenceRow r : REF.reference().rows()) {
            assertTrue(REF.active(r.index()), r.id());
        }
    }

    @Test
    void everyRowsOwnFlowsAreThatRowWithATopology() {
        for (ReferenceFlows flows : List.of(FLOWS, new ReferenceFlows(REF, true))) {
            final Topology t = flows.flowTopology();
            for (ReferenceRow r : REF.reference().rows()) {
                for (FlowFacts f : flows.insideFlows(r.index())) {
                    final ClassifierResult v = classify(t, f);
                    assertEquals(r.id(), id(v.row), () -> f + " -> " + v);
                    assertEquals(0L, v.findings, () -> f + " -> " + v);
                    assertEquals(Basis.ROLES_PORTS, v.basis);
                }
            }
        }
    }

    @Test
    void everyRoleCombinationOfEveryRowAgreesWithTheReference() {
        for (ReferenceFlows flows : List.of(FLOWS, new ReferenceFlows(REF, true))) {
            final Topology t = flows.flowTopology();
            for (ReferenceRow r : REF.reference().rows()) {
                for (int o = 0; o < Role.count(); o++) {
                    for (int p = 0; p < Role.count(); p++) {
                        if (!Role.of(o).in(r.openerRoles()) || !Role.of(p).in(r.responderRoles())) {
                            continue;
                        }
                        for (int op : ReferenceFlows.inside(REF.openerPorts(r.index()))) {
                            for (int rp : ReferenceFlows.inside(REF.responderPorts(r.index()))) {
                                final FlowFacts f = flows.flow(r.index(), Role.of(o), Role.of(p), op, rp);
                                if (f == null) {
                                    continue; // both roles on one host
                                }
                                final ClassifierResult v = classify(t, f);
                                assertEquals(FLOWS.expect(f, t), ReferenceFlows.actual(v), () -> r.id() + ": " + f + " -> " + v);
                                assertTrue(v.row >= 0, () -> r.id() + ": " + f + " -> " + v);
                                assertTrue(FLOWS.fits(f, t).contains(r.index()), () -> r.id() + " should fit " + f);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void byPortsAloneEveryFlowGetsTheMostSpecificFittingRowAndOnlyTheSharedPortRowsAreShadowed() {
        final Set<String> won = new TreeSet<>();
        for (ReferenceRow r : REF.reference().rows()) {
            for (FlowFacts f : FLOWS.insideFlows(r.index())) {
                final ClassifierResult v = classify(null, f);
                assertEquals(Basis.PORTS, v.basis);
                assertEquals(0, v.origRoles);
                assertEquals(FLOWS.expect(f, null), ReferenceFlows.actual(v), () -> f + " -> " + v);
                assertTrue(v.row >= 0, () -> r.id() + ": " + f + " fits by ports alone");
                if (v.row == r.index()) {
                    won.add(r.id());
                }
            }
        }
        final Set<String> shadowed = new TreeSet<>();
        REF.reference().rows().forEach(r -> shadowed.add(r.id()));
        shadowed.removeAll(won);
        // Same ports, same source range as an earlier or narrower row: only roles tell them apart.
        // T4.11 (EXPC->IMP:7400) is T3.4 (EXPC->EXPE:7400) by ports; T4.14 (CUC 443|8443) is T4.10 (UCM 443|8443).
        assertEquals(Set.of("T4.11", "T4.14"), shadowed);
    }

    @Test
    void theSameFlowOpenedTheOtherWayIsWrongDirectionUnlessTheReferenceDocumentsThatDirectionToo() {
        for (Topology t : java.util.Arrays.asList(TOPO, null)) {
            for (ReferenceRow r : REF.reference().rows()) {
                for (FlowFacts f : FLOWS.insideFlows(r.index())) {
                    final FlowFacts back = ReferenceFlows.reversed(f);
                    final ClassifierResult v = classify(t, back);
                    final ReferenceFlows.Expected e = FLOWS.expect(back, t);
                    assertEquals(e, ReferenceFlows.actual(v), () -> "reversed " + r.id() + ": " + back + " -> " + v);
                    if (v.row < 0) {
                        assertTrue(v.has(FindingCode.WRONG_DIRECTION), () -> "reversed " + r.id() + ": " + back + " -> " + v);
                        assertTrue(FLOWS.fits(f, t).contains(v.rowOf(FindingCode.WRONG_DIRECTION)));
                    } else {
                        assertTrue(FLOWS.fits(back, t).contains(v.row));
                    }
                }
            }
        }
    }

    @Test
    void rowsNotDocumentedBothWaysAreWrongDirectionWhenReversedWithATopology() {
        // Only T1.1 (off-premises both ends) and T2.3/T2.4 (each other's reverse) are documented both ways.
        final Set<String> bothWays = new TreeSet<>();
        for (ReferenceRow r : REF.reference().rows()) {
            final FlowFacts back = ReferenceFlows.reversed(FLOWS.insideFlows(r.index()).get(0));
            final ClassifierResult v = classify(TOPO, back);
            if (v.row >= 0) {
                bothWays.add(r.id());
            } else {
                assertEquals(r.id(), id(v.rowOf(FindingCode.WRONG_DIRECTION)), () -> back + " -> " + v);
            }
        }
        assertEquals(Set.of("T1.1", "T2.3", "T2.4"), bothWays);
    }

    @Test
    void anOpenerPortOneOutsideARangeEdgeIsFlagged() {
        for (Topology t : java.util.Arrays.asList(TOPO, null)) {
            for (ReferenceRow r : REF.reference().rows()) {
                final PortSet rp = REF.responderPorts(r.index());
                for (int op : ReferenceFlows.outside(REF.openerPorts(r.index()))) {
                    final FlowFacts f = FLOWS.flow(r.index(), op, rp.low(0));
                    final ClassifierResult v = classify(t, f);
                    assertEquals(FLOWS.expect(f, t), ReferenceFlows.actual(v), () -> r.id() + ": " + f + " -> " + v);
                    assertNotEquals(r.index(), v.row, () -> r.id() + ": " + f + " -> " + v);
                    if (v.row < 0 && t != null) {
                        assertTrue(v.has(FindingCode.SOURCE_PORT_OUTSIDE_RANGE) || v.has(FindingCode.WRONG_DIRECTION),
                                () -> r.id() + ": " + f + " -> " + v);
                    }
                }
            }
        }
        // with a topology, the roles single out the row: every such flow cites it
        final List<String> notCiting = new ArrayList<>();
        for (ReferenceRow r : REF.reference().rows()) {
            for (int op : ReferenceFlows.outside(REF.openerPorts(r.index()))) {
                final FlowFacts f = FLOWS.flow(r.index(), op, REF.responderPorts(r.index()).low(0));
                final ClassifierResult v = classify(TOPO, f);
                if (v.row < 0 && v.rowOf(FindingCode.SOURCE_PORT_OUTSIDE_RANGE) != r.index()) {
                    notCiting.add(r.id() + "@" + op + " " + v);
                }
            }
        }
        assertEquals(List.of(), notCiting);
    }

    @Test
    void aResponderPortOneOutsideARangeEdgeIsNotThatRow() {
        for (Topology t : java.util.Arrays.asList(TOPO, null)) {
            for (ReferenceRow r : REF.reference().rows()) {
                final PortSet op = REF.openerPorts(r.index());
                for (int rp : ReferenceFlows.outside(REF.responderPorts(r.index()))) {
                    final FlowFacts f = FLOWS.flow(r.index(), op.high(op.rangeCount() - 1), rp);
                    final ClassifierResult v = classify(t, f);
                    assertEquals(FLOWS.expect(f, t), ReferenceFlows.actual(v), () -> r.id() + ": " + f + " -> " + v);
                    assertNotEquals(r.index(), v.row, () -> r.id() + ": " + f + " -> " + v);
                    if (v.row >= 0) {
                        assertTrue(FLOWS.fits(f, t).contains(v.row)); // legitimately another documented row
                    } else {
                        assertFalse(v.findings == 0);
                    }
                }
            }
        }
    }
}
