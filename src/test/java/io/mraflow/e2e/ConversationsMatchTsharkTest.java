package io.mraflow.e2e;

import io.mraflow.flow.FlowRecord;
import io.mraflow.flow.FlowTableConfig;
import io.mraflow.golden.Goldens;
import io.mraflow.pipeline.AnalysisResult;
import io.mraflow.pipeline.FileAnalysis;
import io.mraflow.report.AddressFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * For every capture under src/test/resources/captures/, the TCP and UDP flows mraflow reports
 * equal tshark's conversation list (saved by scripts/golden conversations from tshark 4.0):
 * the same address/port pairs, the same frames each way, the same whole-frame bytes each way
 * (tshark counts frames with their link-layer headers: mraflow's orig/resp_wire_bytes).
 *
 * <p>Where tshark and mraflow differ by design, {@link KnownDifference} says so, per capture,
 * with the reason; every other difference fails.
 */
class ConversationsMatchTsharkTest {
    static final Path CAPTURES = Path.of("src/test/resources/captures");

    /** Differences that are tshark's choice rather than an error, each with its reason. */
    enum KnownDifference {
        /**
         * tshark reassembles IP fragments: it counts a fragmented datagram once, in the frame
         * that completes it, and reads no transport header at all from a datagram it cannot
         * complete. mraflow counts every fragment to its flow (non-first fragments are
         * attributed to the flow of their first fragment) and takes the ports from the first
         * fragment, so its counts are higher by the other fragments, and an incomplete
         * datagram is still a flow. Allowed: more frames and bytes than tshark on shared
         * pairs, and extra pairs; every tshark pair must still be found.
         */
        COUNTS_FRAGMENTS,
        /**
         * tshark decapsulates GTP-U (UDP 2152, mobile-core tunnelling, not on any MRA path) and
         * lists a tunnelled frame in both the outer and the inner UDP conversation; mraflow does
         * not open GTP-U and reports the outer flow only. Allowed: tshark pairs absent here;
         * every mraflow flow must still equal tshark's.
         */
        GTP_U_NOT_DECAPSULATED,
    }

    static final Map<String, KnownDifference> KNOWN = new TreeMap<>(Map.of(
            "ndpi/dns_fragmented.pcap", KnownDifference.COUNTS_FRAGMENTS,
            "ndpi/ip_fragmented_garbage.pcap", KnownDifference.COUNTS_FRAGMENTS,
            "sngrep/ipv6frag.pcap", KnownDifference.COUNTS_FRAGMENTS,
            "suricata-verify/defrag/bug-6887-defrag-eth-vlan-ipv6-tcp/frag-eth-vlan-ipv6-tcp.pcap",
            KnownDifference.COUNTS_FRAGMENTS,
            "zeek/ipv4/fragmented-1.pcap", KnownDifference.COUNTS_FRAGMENTS,
            "zeek/ipv4/fragmented-3.pcap", KnownDifference.COUNTS_FRAGMENTS,
            "zeek/ipv6-fragmented-dns.pcap", KnownDifference.COUNTS_FRAGMENTS,
            "ndpi/dtls.pcap", KnownDifference.GTP_U_NOT_DECAPSULATED));

    static Stream<String> captures() {
        return Goldens.captures(Goldens.Kind.CONVERSATIONS).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void flowsEqualTsharkConversations(String capture) throws IOException {
        Map<String, TsharkConversations.Conversation> tshark =
                TsharkConversations.parse(Goldens.path(Goldens.Kind.CONVERSATIONS, capture));
        AnalysisResult result = new FileAnalysis(FlowTableConfig.defaults()).run(List.of(CAPTURES.resolve(capture)));
        Map<String, Ours> ours = aggregate(result.flows());
        KnownDifference known = KNOWN.get(capture);

        TreeSet<String> onlyTshark = new TreeSet<>(tshark.keySet());
        onlyTshark.removeAll(ours.keySet());
        TreeSet<String> onlyOurs = new TreeSet<>(ours.keySet());
        onlyOurs.removeAll(tshark.keySet());
        if (known != KnownDifference.GTP_U_NOT_DECAPSULATED) {
            assertEquals(Set.of(), onlyTshark, capture + ": tshark conversations mraflow does not report");
        }
        if (known != KnownDifference.COUNTS_FRAGMENTS) {
            assertEquals(Set.of(), onlyOurs, capture + ": mraflow flows tshark does not list");
        }
        List<String> mismatches = new ArrayList<>();
        for (TsharkConversations.Conversation t : tshark.values()) {
            Ours o = ours.get(t.key());
            if (o == null) {
                continue; // absent pairs were judged above
            }
            long oursAToB = o.framesFrom(t.a());
            long oursBToA = o.framesFrom(t.b());
            long bytesAToB = o.bytesFrom(t.a());
            long bytesBToA = o.bytesFrom(t.b());
            boolean equal = oursAToB == t.framesAToB() && oursBToA == t.framesBToA()
                    && t.bytesAToB().matches(bytesAToB) && t.bytesBToA().matches(bytesBToA);
            if (equal) {
                continue;
            }
            if (known == KnownDifference.COUNTS_FRAGMENTS
                    && oursAToB >= t.framesAToB() && oursBToA >= t.framesBToA()) {
                continue;
            }
            mismatches.add(t.key() + ": tshark " + t.a() + " -> " + t.framesAToB() + " frames " + t.bytesAToB()
                    + ", <- " + t.framesBToA() + " frames " + t.bytesBToA()
                    + "; mraflow -> " + oursAToB + " frames " + bytesAToB + " bytes, <- " + oursBToA
                    + " frames " + bytesBToA + " bytes");
        }
        if (!mismatches.isEmpty()) {
            fail(capture + ": " + mismatches.size() + " conversations differ from tshark's:\n  "
                    + String.join("\n  ", mismatches));
        }
        if (known != null) {
            assertTrue(!onlyTshark.isEmpty() || !onlyOurs.isEmpty() || !mismatches.isEmpty() || differsWithin(tshark, ours),
                    capture + " is declared " + known + " but now equals tshark exactly: remove the declaration");
        }
    }

    /** True when some shared pair's counts differ at all (an allowed difference is still a difference). */
    private static boolean differsWithin(Map<String, TsharkConversations.Conversation> tshark, Map<String, Ours> ours) {
        for (TsharkConversations.Conversation t : tshark.values()) {
            Ours o = ours.get(t.key());
            if (o != null && (o.framesFrom(t.a()) != t.framesAToB() || o.framesFrom(t.b()) != t.framesBToA())) {
                return true;
            }
        }
        return false;
    }

    /** mraflow's flows summed per 5-tuple, counts kept per sending endpoint. */
    private static Map<String, Ours> aggregate(Iterable<FlowRecord> flows) {
        Map<String, Ours> byKey = new TreeMap<>();
        for (FlowRecord f : flows) {
            String proto = f.ipProto() == 6 ? "tcp" : "udp";
            String orig = ConversationKey.endpoint(AddressFormat.format(f.origHi(), f.origLo()), f.origPort());
            String resp = ConversationKey.endpoint(AddressFormat.format(f.respHi(), f.respLo()), f.respPort());
            Ours o = byKey.computeIfAbsent(ConversationKey.of(proto, orig, resp), k -> new Ours());
            o.add(orig, f.origPkts(), f.origWireBytes());
            o.add(resp, f.respPkts(), f.respWireBytes());
        }
        return byKey;
    }

    private static final class Ours {
        private final Map<String, long[]> bySender = new TreeMap<>();

        void add(String sender, long frames, long bytes) {
            long[] c = bySender.computeIfAbsent(sender, k -> new long[2]);
            c[0] += frames;
            c[1] += bytes;
        }

        long framesFrom(String sender) {
            return bySender.getOrDefault(sender, new long[2])[0];
        }

        long bytesFrom(String sender) {
            return bySender.getOrDefault(sender, new long[2])[1];
        }
    }
}
