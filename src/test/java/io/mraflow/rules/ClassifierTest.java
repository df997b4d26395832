package io.mraflow.rules;

import java.util.List;

import io.mraflow.inspect.AppProto;
import static io.mraflow.rules.Flows.app;
import static io.mraflow.rules.Flows.tcp;
import static io.mraflow.rules.Flows.udp;
import static io.mraflow.rules.ReferenceFlows.CLOUD;
import static io.mraflow.rules.ReferenceFlows.CUC;
import static io.mraflow.rules.ReferenceFlows.EXPC;
import static io.mraflow.rules.ReferenceFlows.EXPE_PRIVATE;
import static io.mraflow.rules.ReferenceFlows.EXPE_PUBLIC;
import static io.mraflow.rules.ReferenceFlows.IMP;
import static io.mraflow.rules.ReferenceFlows.OFFPREM_A;
import static io.mraflow.rules.ReferenceFlows.OFFPREM_B;
import static io.mraflow.rules.ReferenceFlows.ONPREM_MEDIA;
import static io.mraflow.rules.ReferenceFlows.UCM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The spec's worked examples and each rule of the Interpretation section, one test each. */
class ClassifierTest {
    private static final PortReference REFERENCE = PortReference.load();
    private static final CompiledReference REF = REFERENCE.compile(Settings.defaults());
    private static final Classifier WITH_ROLES = new Classifier(REF, ReferenceFlows.topology());
    private static final Classifier BY_PORTS = new Classifier(REF, null);

    private static ClassifierResult run(Classifier c, FlowFacts f) {
        final ClassifierResult v = new ClassifierResult();
        c.classify(f, v);
        return v;
    }

    private static int row(String id) {
        return REFERENCE.indexOf(id);
    }

    private static void assertRow(String id, ClassifierResult v) {
        assertEquals(id, v.row < 0 ? "-" : REF.row(v.row).id(), v::toString);
    }

    private static void assertOnly(FindingCode code, String citedRow, ClassifierResult v) {
        assertEquals(code.bit(), v.findings, v::toString);
        assertEquals(citedRow == null ? -1 : row(citedRow), v.rowOf(code), v::toString);
    }

    @Test
    void ucmFrom5091ToExpc5061IsT46NotT44() {
        assertRow("T4.6", run(WITH_ROLES, tcp(UCM, 5091, EXPC, 5061)));
        assertRow("T4.6", run(BY_PORTS, tcp(UCM, 5091, EXPC, 5061)));
        assertRow("T4.4", run(WITH_ROLES, tcp(UCM, 41234, EXPC, 5061)));
    }

    @Test
    void roleBoundRowBeatsAnyWithRolesButNotByPortsAlone() {
        assertRow("T3.5", run(WITH_ROLES, app(udp(EXPC, 40000, EXPE_PRIVATE, 3478), AppProto.STUN)));
        assertRow("T2.6", run(WITH_ROLES, app(udp(OFFPREM_A, 40000, EXPE_PUBLIC, 3478), AppProto.STUN)));
        assertRow("T2.6", run(WITH_ROLES, app(udp(UCM, 40000, EXPE_PUBLIC, 3478), AppProto.STUN))); // ANY: any address the server does not know
        assertRow("T2.6", run(BY_PORTS, udp(EXPC, 5000, EXPE_PRIVATE, 3478))); // roles ignored: table order
        assertRow("T2.4", run(BY_PORTS, udp(EXPC, 40000, EXPE_PRIVATE, 3478))); // by ports, media-range source is narrower
        assertRow("T3.5", run(BY_PORTS, tcp(EXPC, 40000, EXPE_PRIVATE, 3478))); // only T3.5 is TCP
    }

    @Test
    void expeOpeningTowardsExpc7001IsWrongDirection() {
        final FlowFacts f = app(tcp(EXPE_PRIVATE, 31000, EXPC, 7001), AppProto.TLS);
        final ClassifierResult v = run(WITH_ROLES, f);
        assertRow("-", v);
        assertOnly(FindingCode.WRONG_DIRECTION, "T3.2", v);
        final String text = WITH_ROLES.explain(FindingCode.WRONG_DIRECTION, f, v);
        assertTrue(text.startsWith("EXPE_PRIVATE 172.16.0.5:31000 opened TCP towards EXPC 10.0.0.5:7001: T3.2"), text);
        assertTrue(text.contains("opened by EXPC towards EXPE_PRIVATE:7001"), text);
    }

    @Test
    void expe7001OpeningTowardsExpcEphemeralIsWrongDirectionEvenByPortsAlone() {
        for (Classifier c : new Classifier[] {WITH_ROLES, BY_PORTS}) {
            final ClassifierResult v = run(c, tcp(EXPE_PRIVATE, 7001, EXPC, 25124));
            assertOnly(FindingCode.WRONG_DIRECTION, "T3.2", v);
        }
    }

    @Test
    void traversalFromOutsideItsSourceRangeIsSourcePortOutsideRange() {
        final FlowFacts f = tcp(EXPC, 40000, EXPE_PRIVATE, 7001);
        final ClassifierResult v = run(WITH_ROLES, f);
        assertOnly(FindingCode.SOURCE_PORT_OUTSIDE_RANGE, "T3.2", v);
        assertEquals("EXPC 10.0.0.5 opened T3.2's port 7001 (SIP signalling (traversal)) from port 40000: T3.2 documents source ports"
                + " 25000-29999", WITH_ROLES.explain(FindingCode.SOURCE_PORT_OUTSIDE_RANGE, f, v));
        assertOnly(FindingCode.SOURCE_PORT_OUTSIDE_RANGE, "T3.2", run(BY_PORTS, f));
    }

    @Test
    void cleartextSipOn5061TowardsUcmIsNotRecommendedAndTowardsExpeIsAMismatch() {
        final ClassifierResult toUcm = run(WITH_ROLES, app(tcp(EXPC, 26000, UCM, 5061), AppProto.SIP));
        assertRow("T4.3", toUcm);
        assertOnly(FindingCode.NOT_RECOMMENDED, "T4.3", toUcm);
        final ClassifierResult toExpe = run(WITH_ROLES, app(tcp(OFFPREM_A, 51000, EXPE_PUBLIC, 5061), AppProto.SIP));
        assertRow("T2.2", toExpe);
        assertOnly(FindingCode.PROTOCOL_MISMATCH, "T2.2", toExpe);
        assertEquals(0L, run(WITH_ROLES, app(tcp(EXPC, 26000, UCM, 5061), AppProto.TLS)).findings);
    }

    @Test
    void sipTrunkPeersOnUcmLineSidePortsAreNotRecommended() {
        final ClassifierResult imp5060 = run(WITH_ROLES, app(tcp(IMP, 45000, UCM, 5060), AppProto.SIP));
        assertTrue(imp5060.has(FindingCode.UNDOCUMENTED));
        assertEquals(row("T4.1"), imp5060.rowOf(FindingCode.NOT_RECOMMENDED));
        final ClassifierResult ucm5061 = run(WITH_ROLES, app(tcp(UCM, 45000, UCM.replace(".10", ".11"), 5061), AppProto.TLS));
        assertEquals(-1, ucm5061.rowOf(FindingCode.NOT_RECOMMENDED)); // 10.0.1.11 is not a bound UCM
        final ClassifierResult cuc5061 = run(WITH_ROLES, tcp(CUC, 45000, UCM, 5061));
        assertEquals(row("T4.3"), cuc5061.rowOf(FindingCode.NOT_RECOMMENDED));
        assertFalse(run(WITH_ROLES, app(tcp(EXPC, 26000, UCM, 5060), AppProto.SIP)).has(FindingCode.NOT_RECOMMENDED));
        assertFalse(run(WITH_ROLES, app(tcp(IMP, 45000, UCM, 5060), AppProto.HTTP)).has(FindingCode.NOT_RECOMMENDED));
        assertFalse(run(BY_PORTS, app(tcp(IMP, 45000, UCM, 5060), AppProto.SIP)).has(FindingCode.NOT_RECOMMENDED));
    }

    @Test
    void sshTunnelAcceptsSshOrTlsAndNothingElse() {
        assertEquals(0L, run(WITH_ROLES, app(tcp(EXPC, 30500, EXPE_PRIVATE, 2222), AppProto.SSH)).findings);
        assertEquals(0L, run(WITH_ROLES, app(tcp(EXPC, 30500, EXPE_PRIVATE, 2222), AppProto.TLS)).findings);
        assertEquals(0L, run(WITH_ROLES, app(tcp(EXPC, 30500, EXPE_PRIVATE, 2222), AppProto.UNKNOWN)).findings);
        final ClassifierResult http = run(WITH_ROLES, app(tcp(EXPC, 30500, EXPE_PRIVATE, 2222), AppProto.HTTP));
        assertRow("T3.1", http);
        assertOnly(FindingCode.PROTOCOL_MISMATCH, "T3.1", http);
    }

    @Test
    void iceMediaBetweenOffPremisesEndpointsNeedsEvidenceAndBothEndsOffPremises() {
        final FlowFacts f = app(udp(OFFPREM_A, 61000, OFFPREM_B, 62000), AppProto.RTP);
        assertOnly(FindingCode.UNDOCUMENTED, null, run(WITH_ROLES, f));
        assertOnly(FindingCode.UNDOCUMENTED, null, run(BY_PORTS, f));
        f.iceEvidence = true;
        assertRow("T1.1", run(WITH_ROLES, f));
        assertRow("T1.1", run(BY_PORTS, f));
        final FlowFacts onprem = app(udp(ONPREM_MEDIA, 61000, OFFPREM_B, 62000), AppProto.RTP);
        onprem.iceEvidence = true;
        assertOnly(FindingCode.UNDOCUMENTED, null, run(WITH_ROLES, onprem));
        assertRow("T1.1", run(BY_PORTS, onprem)); // by ports alone there is no "on-premises"
        final FlowFacts toExpe = app(udp(OFFPREM_A, 61000, EXPE_PUBLIC, 40000), AppProto.RTP);
        toExpe.iceEvidence = true;
        assertRow("T2.3", run(WITH_ROLES, toExpe)); // a narrower row wins over eph->eph
        assertRow("T2.3", run(BY_PORTS, toExpe));
    }

    @Test
    void cloudRowsAreRecognisedByServerName() {
        final FlowFacts f = app(tcp(EXPE_PUBLIC, 30001, CLOUD, 443), AppProto.TLS);
        for (String sni : new String[] {"fos-a.wbx2.com", "FOS-A.WBX2.COM", "eu.fos-a.wbx2.com"}) {
            f.sni = sni;
            assertRow("T5.1", run(WITH_ROLES, f));
            assertRow("T5.1", run(BY_PORTS, f));
        }
        f.sni = "idbroker.webex.com";
        assertRow("T5.2", run(WITH_ROLES, f));
        f.sni = "IdBroker-B-US.Webex.com";
        assertOnly(FindingCode.UNDOCUMENTED, null, run(WITH_ROLES, f));
        for (String sni : new String[] {null, "www.example.com", "evilidbroker.webex.com", "idbroker.webex.com.example.net"}) {
            f.sni = sni;
            assertOnly(FindingCode.UNDOCUMENTED, null, run(WITH_ROLES, f));
        }
        f.sni = "idbroker.webex.com";
        final FlowFacts fromC = app(tcp(EXPC, 30001, CLOUD, 443), AppProto.TLS);
        fromC.sni = "idbroker.webex.com";
        assertOnly(FindingCode.UNDOCUMENTED, null, run(WITH_ROLES, fromC)); // Table 5 is opened by the E
    }

    @Test
    void anUnansweredSynIsClassifiedByWhoSentIt() {
        // FlowFacts carries no "answered" state: the SYN's sender is the opener, answered or not.
        assertRow("T3.2", run(WITH_ROLES, tcp(EXPC, 27000, EXPE_PRIVATE, 7001)));
        assertOnly(FindingCode.WRONG_DIRECTION, "T3.2", run(WITH_ROLES, tcp(EXPE_PRIVATE, 27000, EXPC, 7001)));
    }

    @Test
    void otherIpProtocolsAreUndocumented() {
        assertOnly(FindingCode.UNDOCUMENTED, null, run(WITH_ROLES, Flows.of(1, EXPC, 0, EXPE_PRIVATE, 0)));
    }

    @Test
    void unknownOrSingleNicAddressesAndIpv6() {
        final Topology v6 = Topology.builder().add(Role.EXPE_PUBLIC, "2001:db8:1::5").add(Role.EXPE_PRIVATE, "2001:db8:1::5")
                .add(Role.EXPC, "2001:db8:2::/64").build();
        final Classifier c = new Classifier(REF, v6);
        assertRow("T3.2", run(c, tcp("2001:db8:2::77", 27000, "2001:db8:1::5", 7001)));
        assertRow("T2.2", run(c, tcp("2001:db8:ffff::1", 50000, "2001:db8:1::5", 5061)));
        final ClassifierResult v = run(c, tcp("2001:db8:2::77", 27000, "2001:db8:1::5", 7001));
        assertEquals(Role.EXPC.bit(), v.origRoles);
        assertEquals(Role.EXPE_MASK, v.respRoles);
    }

    @Test
    void aMediaRowNeedsMediaOnTheFlowWhenRolesAreKnown() {
        // UDP from an off-premises client to the E's media port: only RTP, RTCP, STUN or DTLS make it T2.3
        assertOnly(FindingCode.UNDOCUMENTED, null, run(WITH_ROLES, udp(OFFPREM_A, 61000, EXPE_PUBLIC, 40000)));
        assertOnly(FindingCode.UNDOCUMENTED, null, run(WITH_ROLES, app(udp(OFFPREM_A, 61000, EXPE_PUBLIC, 40000), AppProto.SIP)));
        for (int media : new int[] {AppProto.RTP, AppProto.RTCP, AppProto.STUN, AppProto.DTLS}) {
            assertRow("T2.3", run(WITH_ROLES, app(udp(OFFPREM_A, 61000, EXPE_PUBLIC, 40000), media)));
        }
        assertRow("T2.3", run(BY_PORTS, udp(OFFPREM_A, 61000, EXPE_PUBLIC, 40000))); // --ports-only: ports decide
    }

    @Test
    void withoutRolesNoFlowGetsARowButSshOnATlsPortIsAMismatch() {
        final Classifier none = Classifier.withoutRoles(REF);
        for (FlowFacts f : List.of(app(udp(OFFPREM_A, 61000, EXPE_PUBLIC, 40000), AppProto.RTP),
                app(udp(OFFPREM_A, 40000, EXPE_PUBLIC, 3478), AppProto.STUN),
                app(tcp(OFFPREM_A, 51000, EXPE_PUBLIC, 5061), AppProto.TLS),
                app(tcp(OFFPREM_A, 5060, EXPE_PUBLIC, 8888), AppProto.HTTP))) {
            final ClassifierResult v = run(none, f);
            assertRow("-", v);
            assertOnly(FindingCode.UNDOCUMENTED, null, v);
            assertEquals(Basis.NO_ROLES, v.basis);
        }
        final ClassifierResult ssh = run(none, app(tcp(OFFPREM_A, 51000, EXPE_PUBLIC, 5061), AppProto.SSH));
        assertRow("-", ssh);
        assertTrue(ssh.has(FindingCode.UNDOCUMENTED) && ssh.has(FindingCode.PROTOCOL_MISMATCH), ssh::toString);
    }

    @Test
    void wrongDirectionOnlyWhenThePayloadFitsTheReversedRow() {
        // HTTP from a client whose port happens to be 5060, to 8888: not SIP opened backwards
        final ClassifierResult http = run(BY_PORTS, app(tcp(OFFPREM_A, 5060, EXPE_PUBLIC, 8888), AppProto.HTTP));
        assertFalse(http.has(FindingCode.WRONG_DIRECTION), http::toString);
        final ClassifierResult sip = run(BY_PORTS, app(tcp(UCM, 5060, EXPC, 30000), AppProto.SIP));
        assertTrue(sip.has(FindingCode.WRONG_DIRECTION), sip::toString);
    }

    @Test
    void settingsChangeTheCompiledResult() {
        final FlowFacts turn = app(udp(OFFPREM_A, 40000, EXPE_PUBLIC, 3481), AppProto.STUN);
        assertOnly(FindingCode.UNDOCUMENTED, null, run(WITH_ROLES, turn));
        final Classifier large = new Classifier(REFERENCE.compile(Settings.profile("large")), ReferenceFlows.topology());
        assertRow("T2.6", run(large, turn));

        final FlowFacts zone2 = tcp(EXPC, 27000, EXPE_PRIVATE, 7002);
        assertOnly(FindingCode.UNDOCUMENTED, null, run(WITH_ROLES, zone2));
        assertRow("T3.2", run(new Classifier(REFERENCE.compile(Settings.defaults().with("zones", "2")), ReferenceFlows.topology()),
                zone2));

        final FlowFacts turn443 = app(tcp(OFFPREM_A, 40000, EXPE_PUBLIC, 443), AppProto.STUN);
        assertOnly(FindingCode.UNDOCUMENTED, null, run(WITH_ROLES, turn443));
        assertRow("X.TURN443", run(new Classifier(REFERENCE.compile(Settings.defaults().with("turn-tcp-443", "true")),
                ReferenceFlows.topology()), turn443));

        final FlowFacts phone = app(udp(EXPC, 40000, ONPREM_MEDIA, 40000), AppProto.RTP);
        assertOnly(FindingCode.UNDOCUMENTED, null, run(WITH_ROLES, phone));
        assertRow("T4.18", run(new Classifier(REFERENCE.compile(Settings.defaults().with("onprem-media-range", "16384-32767|40000")),
                ReferenceFlows.topology()), phone));
    }

    @Test
    void theBasisSaysWhereRolesCameFrom() {
        final FlowFacts f = tcp(EXPC, 27000, EXPE_PRIVATE, 7001);
        assertEquals(Basis.ROLES_PORTS, run(WITH_ROLES, f).basis);
        assertEquals(Basis.PORTS, run(BY_PORTS, f).basis);
        final Topology inferred = Topology.builder().inferred(true).add(Role.EXPC, EXPC).add(Role.EXPE_PRIVATE, EXPE_PRIVATE).build();
        final ClassifierResult v = run(new Classifier(REF, inferred), f);
        assertEquals(Basis.INFERRED_ROLES_PORTS, v.basis);
        assertRow("T3.2", v);
    }

    @Test
    void undocumentedExplanationNamesTheEnds() {
        final FlowFacts f = tcp(OFFPREM_A, 50000, EXPE_PUBLIC, 22);
        final ClassifierResult v = run(WITH_ROLES, f);
        assertOnly(FindingCode.UNDOCUMENTED, null, v);
        assertEquals("OFFPREM 198.51.100.7:50000 opened TCP towards EXPE_PUBLIC 203.0.113.5:22: no row of the MRA port reference"
                + " fits this flow", WITH_ROLES.explain(FindingCode.UNDOCUMENTED, f, v));
    }
}
