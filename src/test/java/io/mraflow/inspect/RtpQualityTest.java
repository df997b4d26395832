package io.mraflow.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Per RTP stream (one SSRC one way), packets, loss, the largest and mean arrival spacing and the
 * largest and mean jitter against tshark's {@code rtp,streams} ({@code golden/inspect/rtp.tsv}, made by
 * {@code scripts/golden inspect} over every capture of {@code golden/hand-kept/inspect-captures.txt}
 * and of {@code pcaps/}).
 * Timing is compared with Wireshark's definitions ({@code ui/tap-rtp-analysis.c}, see
 * {@link RtpStream}); jitter only where tshark knew the clock rate (its min jitter is -1 where it
 * did not: dynamic payload types without SDP), and then mraflow must have known it too.
 *
 * <p>Where tshark counts differently for a reason, the row is named here with the reason:
 * <ul>
 *   <li>RTP over TCP (TURN ChannelData over TCP in {@code ndpi/stun_dtls_rtp.pcapng}): mraflow
 *       follows RTP on UDP only (MRA media is UDP); the test checks those rows are TCP flows, and
 *       would compare them if they were followed.</li>
 *   <li>Duplicates before probation (tshark's lost negative: {@code ndpi/crynet.pcap},
 *       {@code ndpi/skinny.pcap}): tshark counts from a source's first packet, RFC 3550 A.1 from
 *       the packet that ends probation, so a duplicate before then is received for tshark only;
 *       mraflow's loss may be less negative by at most the packets before probation.</li>
 *   <li>{@link #DECODED_OTHERWISE}: packets tshark decoded as another protocol by the SDP
 *       (its packet count and mean delta leave them out; loss, max delta and jitter still agree).</li>
 * </ul>
 */
class RtpQualityTest {

    /** Streams some of whose packets tshark decodes as another payload by the session description. */
    static final Map<String, String> DECODED_OTHERWISE = Map.of(
        "ndpi/FAX-Call-t38-CA-TDM-SIP-FB-1.pcap 10.35.60.100:15580>10.23.1.52:16756 0x0EAF0EAF",
        "the re-INVITE moves the port to image/t38: tshark decodes the source's last 27 packets as T.38");

    /** What tshark's figures are compared within: 1 % or 0.1 ms, whichever is wider. */
    static boolean close(final double ours, final double tshark) {
        return Math.abs(ours - tshark) <= Math.max(0.1, Math.abs(tshark) * 0.01);
    }

    @Test
    void everyStreamAgreesWithTshark() {
        final Map<String, Map<String, CaptureFlows.Flow>> runs = new HashMap<>();
        final List<String> wrong = new ArrayList<>();
        int checked = 0;
        int jitter = 0;
        for (final String[] r : CaptureFlows.golden("rtp.tsv")) {
            final Map<String, CaptureFlows.Flow> flows = runs.computeIfAbsent(r[0], CaptureFlows::run);
            final CaptureFlows.Flow udp = flows.get(CaptureFlows.key("UDP", r[1], r[2]));
            final CaptureFlows.Flow f = udp != null ? udp : flows.get(CaptureFlows.key("TCP", r[1], r[2]));
            final String row = r[0] + " " + r[1] + ">" + r[2] + " " + r[3];
            final RtpSources src = f == null ? null : f.state.rtpSources(CaptureFlows.normalize(r[1]).equals(f.orig));
            final RtpStream s = src == null ? null : src.find(Long.parseLong(r[3].substring(2), 16));
            if (s == null) {
                if (udp != null || f == null) {
                    wrong.add(row + ": not followed");
                }
                continue; // RTP over TCP: not followed, the documented exception
            }
            checked++;
            final long packets = Long.parseLong(r[4]);
            final long lost = Long.parseLong(r[5]);
            final double maxDelta = Double.parseDouble(r[6]);
            final double meanDelta = Double.parseDouble(r[7]);
            final boolean clock = !r[8].equals("-1.000");
            final double meanJitter = Double.parseDouble(r[9]);
            final double maxJitter = Double.parseDouble(r[10]);
            final String ours = String.format(Locale.ROOT, "packets %d lost %d delta max %.3f mean %.3f jitter max %.3f mean %.3f",
                s.packets, s.lost(), s.maxDeltaMs(), s.meanDeltaMs(), s.maxJitterMs(), s.meanJitterMs());
            final String theirs = String.format(Locale.ROOT, "packets %d lost %d delta max %.3f mean %.3f jitter max %.3f mean %.3f",
                packets, lost, maxDelta, meanDelta, maxJitter, meanJitter);
            jitter += clock ? 1 : 0;
            final boolean otherwise = DECODED_OTHERWISE.containsKey(row);
            final boolean lossAgrees = lost >= 0 ? s.lost() == lost
                : s.lost() <= 0 && s.lost() >= lost && s.lost() - lost <= s.packets - s.received();
            if (!otherwise && (s.packets != packets || !close(s.meanDeltaMs(), meanDelta))
                || otherwise && s.packets <= packets
                || !lossAgrees || !close(s.maxDeltaMs(), maxDelta)
                || clock && (!close(s.maxJitterMs(), maxJitter) || !close(s.meanJitterMs(), meanJitter))
                || clock != (s.clockRate() != 0)) {
                wrong.add(row + "\n  ours   " + ours + " clock " + s.clockRate() + "\n  tshark " + theirs);
            }
        }
        System.out.println("RTP streams compared with tshark: " + checked + ", " + jitter + " of them with jitter");
        assertTrue(checked >= 60, "checked " + checked);
        assertEquals("", String.join("\n", wrong));
    }
}
