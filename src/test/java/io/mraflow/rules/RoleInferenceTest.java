package io.mraflow.rules;

import io.mraflow.inspect.AppProto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Flow summaries of a synthetic MRA login and call, seen on the DMZ and inside, recover every role. */
class RoleInferenceTest {
    static final String JABBER_A = "198.51.100.7";
    static final String JABBER_B = "192.0.2.44";
    static final String EXPE_PUB = "203.0.113.5";
    static final String EXPE_PRIV = "172.16.0.5";
    static final String EXPC = "10.0.0.5";
    static final String UCM = "10.0.1.10";
    static final String IMP = "10.0.1.20";
    static final String CUC = "10.0.1.30";
    static final String PHONE = "10.20.3.4";

    private static RoleInference.Observation flow(int proto, String o, int op, String r, int rp) {
        return flow(proto, o, op, r, rp, true);
    }

    private static RoleInference.Observation flow(int proto, String o, int op, String r, int rp, boolean answered) {
        final long[] a = new long[2];
        final long[] b = new long[2];
        AddressBlock.parseAddress(o, a);
        AddressBlock.parseAddress(r, b);
        return new RoleInference.Observation(proto, a[0], a[1], op, b[0], b[1], rp, 10, answered ? 10 : 0, answered,
                answered ? appOf(proto, rp) : AppProto.UNKNOWN);
    }

    /** What a real flow to that port carries: XMPP on 5222, SIP on 5060, SSH on 2222, STUN on 3478, RTP on UDP, else TLS. */
    private static int appOf(int proto, int port) {
        if (proto == 17) {
            return port == 3478 ? AppProto.STUN : AppProto.RTP;
        }
        return switch (port) {
            case 5222 -> AppProto.XMPP;
            case 5060 -> AppProto.SIP;
            case 2222 -> AppProto.SSH;
            default -> AppProto.TLS;
        };
    }

    /** A login (edge config, UDS, XMPP, SIP register, voicemail) by one Jabber and a call to an on-premises phone. */
    static List<RoleInference.Observation> mraLoginAndCall() {
        final List<RoleInference.Observation> f = new ArrayList<>();
        // traversal zone and SSH tunnel, opened from the inside
        f.add(flow(6, EXPC, 30011, EXPE_PRIV, 2222));
        f.add(flow(6, EXPC, 25011, EXPE_PRIV, 7001));
        f.add(flow(6, EXPC, 30012, EXPE_PRIV, 7400));
        f.add(flow(17, EXPC, 36000, EXPE_PRIV, 36001));
        // the client's login on the public side
        f.add(flow(6, JABBER_A, 51000, EXPE_PUB, 8443));
        f.add(flow(6, JABBER_A, 51001, EXPE_PUB, 5222));
        f.add(flow(6, JABBER_A, 51002, EXPE_PUB, 5061));
        f.add(flow(17, JABBER_A, 51003, EXPE_PUB, 3478));
        // the C's requests on behalf of the client
        f.add(flow(6, EXPC, 30020, UCM, 8443));
        f.add(flow(6, EXPC, 30021, UCM, 6972));
        f.add(flow(6, EXPC, 25020, UCM, 5061));
        f.add(flow(6, EXPC, 25021, UCM, 5091));
        f.add(flow(6, UCM, 5091, EXPC, 5061));
        f.add(flow(6, EXPC, 30022, IMP, 7400));
        f.add(flow(6, EXPC, 30023, IMP, 8443));
        f.add(flow(6, EXPC, 30024, CUC, 7443));
        f.add(flow(6, EXPC, 30025, CUC, 443));
        // the call: media Jabber <-> E, C <-> E traversal, C <-> phone
        f.add(flow(17, JABBER_A, 51010, EXPE_PUB, 36004));
        f.add(flow(17, EXPE_PUB, 36005, JABBER_A, 51011));
        f.add(flow(17, EXPC, 36010, PHONE, 20000));
        f.add(flow(17, PHONE, 20001, EXPC, 36011));
        // noise: another internet host touching the E once, the E reaching the cloud
        f.add(flow(6, JABBER_B, 40000, EXPE_PUB, 8443));
        f.add(flow(6, EXPE_PUB, 30100, "52.0.0.9", 443));
        return f;
    }

    @Test
    void aFullLoginAndCallRecoversEveryRole() throws Exception {
        final Topology t = RoleInference.infer(mraLoginAndCall(), Settings.defaults());
        assertTrue(t.inferred());
        assertEquals(Map.of(
                EXPC, "EXPC",
                EXPE_PRIV, "EXPE_PRIVATE",
                EXPE_PUB, "EXPE_PUBLIC",
                UCM, "UCM",
                IMP, "IMP",
                CUC, "CUC",
                PHONE, "ONPREM_MEDIA"), RoleInference.summary(t));
        for (Topology.Entry e : t.entries()) {
            assertTrue(!e.evidence().isEmpty(), e.toString());
        }

        final String text = TopologyFile.write(t, Settings.defaults());
        assertTrue(text.contains("# opened TCP to traversal SIP port 7001 (T3.2) on 172.16.0.5 (1 flow)\n"), text);
        assertTrue(text.contains("# accepted TCP 5061, 5222, 8443 from 2 outside hosts (T2.1/T2.2/T2.5)\nEXPE_PUBLIC 203.0.113.5\n"), text);
        assertTrue(text.contains("# opened TCP to the Expressway-C's 5061 from port 5091 (T4.2/T4.4/T4.6)\n"), text);
        final Topology back = TopologyFile.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "inferred").topology();
        assertEquals(RoleInference.summary(t), RoleInference.summary(back));
    }

    @Test
    void inferredRolesClassifyTheSameFlowsAsTheGivenTopology() {
        final CompiledReference ref = PortReference.load().compile(Settings.defaults());
        final Topology inferred = RoleInference.infer(mraLoginAndCall(), Settings.defaults());
        final Classifier byInference = new Classifier(ref, inferred);
        final Classifier given = new Classifier(ref, ReferenceFlows.topology());
        final ClassifierResult a = new ClassifierResult();
        final ClassifierResult b = new ClassifierResult();
        for (RoleInference.Observation s : mraLoginAndCall()) {
            final FlowFacts f = new FlowFacts().set(s.ipProto(), s.origHi(), s.origLo(), s.origPort(), s.respHi(), s.respLo(), s.respPort());
            byInference.classify(f, a);
            given.classify(f, b);
            assertEquals(b.row, a.row, f::toString);
            assertEquals(b.findings, a.findings, f::toString);
            assertEquals(Basis.INFERRED_ROLES_PORTS, a.basis);
        }
    }

    @Test
    void aSingleNicExpresswayEIsBothItsSides() {
        final List<RoleInference.Observation> f = new ArrayList<>();
        f.add(flow(6, EXPC, 25011, EXPE_PUB, 7001));
        f.add(flow(6, JABBER_A, 51000, EXPE_PUB, 8443));
        f.add(flow(6, JABBER_A, 51001, EXPE_PUB, 5061));
        final Topology t = RoleInference.infer(f, Settings.defaults());
        assertEquals("EXPE", RoleInference.summary(t).get(EXPE_PUB));
    }

    @Test
    void unansweredScansFromTheInternetDoNotMakeAnExpresswayE() {
        final List<RoleInference.Observation> f = new ArrayList<>();
        for (String scanner : new String[] {JABBER_A, JABBER_B, "192.0.2.99"}) {
            f.add(flow(6, scanner, 40000, "203.0.113.77", 5061, false));
            f.add(flow(6, scanner, 40001, "203.0.113.77", 8443, false));
        }
        assertEquals(Map.of(), RoleInference.summary(RoleInference.infer(f, Settings.defaults())));
        // nor do SYNs to the traversal and tunnel ports: a port scan sends them too
        f.add(flow(6, "192.0.2.66", 25011, EXPE_PRIV, 7001, false));
        f.add(flow(6, "192.0.2.66", 30011, EXPE_PRIV, 2222, false));
        assertEquals(Map.of(), RoleInference.summary(RoleInference.infer(f, Settings.defaults())));
        // TLS on 7001, answered, does
        f.add(flow(6, EXPC, 25011, EXPE_PRIV, 7001));
        assertEquals(Map.of(EXPC, "EXPC", EXPE_PRIV, "EXPE_PRIVATE"), RoleInference.summary(RoleInference.infer(f, Settings.defaults())));
    }

    @Test
    void aHostThatOnlySendsFromOrToHighPortsEarnsNoRole() {
        final List<RoleInference.Observation> f = new ArrayList<>();
        // a foreign call: TURN to one relay, media between high ports, HTTPS to a web host
        f.add(flow(17, JABBER_A, 51000, "203.0.113.50", 3478));
        f.add(flow(17, JABBER_A, 51002, "203.0.113.50", 40000));
        f.add(flow(17, JABBER_A, 51004, JABBER_B, 52000));
        f.add(flow(6, JABBER_A, 51006, "203.0.113.60", 443));
        assertEquals(Map.of(), RoleInference.summary(RoleInference.infer(f, Settings.defaults())));
    }

    @Test
    void hostsTheCReachesOnlyOn443Or8443AreLeftUnassigned() {
        final List<RoleInference.Observation> f = new ArrayList<>();
        f.add(flow(6, EXPC, 25011, EXPE_PRIV, 7001));
        f.add(flow(6, EXPC, 30001, "10.0.9.9", 8443));
        assertEquals(Map.of(EXPC, "EXPC", EXPE_PRIV, "EXPE_PRIVATE"), RoleInference.summary(RoleInference.infer(f, Settings.defaults())));
    }
}
