package io.mraflow.report;

import io.mraflow.inspect.FlowInspection;
import io.mraflow.inspect.RtpSources;
import io.mraflow.inspect.RtpStream;
import io.mraflow.rules.Verdict;

import java.util.ArrayList;
import java.util.List;

/**
 * The RTP streams of a flow as the reports list them, one row per SSRC and direction (tshark's
 * {@code rtp,streams} rows): the sources that passed RFC 3550 probation, the originator's first,
 * each direction named as the verdict's flow has it ({@code orig} sent by its originator).
 * Report time only: allocates.
 */
final class RtpRows {

    /** One stream and which side of the written flow sent it: {@code orig} or {@code resp}. */
    record Row(String direction, RtpStream stream) {
    }

    private RtpRows() {
    }

    /** The rows of {@code v}'s flow; empty when it carried no valid RTP source. */
    static List<Row> of(final Verdict v) {
        final FlowInspection in = v.flow().inspection();
        final List<Row> rows = new ArrayList<>(2);
        if (in == null) {
            return rows;
        }
        // the inspection's orig is the verdict's resp when the verdict turned the flow round
        add(rows, in.rtpSources(!v.flipped()), "orig");
        add(rows, in.rtpSources(v.flipped()), "resp");
        return rows;
    }

    /** Sources that appeared after each direction's first one (see {@link RtpSources#ssrcChanges()}), both directions. */
    static int ssrcChanges(final Verdict v) {
        final FlowInspection in = v.flow().inspection();
        int n = 0;
        for (boolean orig : new boolean[] {true, false}) {
            final RtpSources s = in == null ? null : in.rtpSources(orig);
            n += s == null ? 0 : s.ssrcChanges();
        }
        return n;
    }

    private static void add(final List<Row> rows, final RtpSources sources, final String direction) {
        for (int i = 0; sources != null && i < sources.count(); i++) {
            if (sources.stream(i).valid) {
                rows.add(new Row(direction, sources.stream(i)));
            }
        }
    }

    /** {@code ms} to a microsecond: what the reports print. */
    static double round(final double ms) {
        return Math.round(ms * 1000) / 1000.0;
    }

    /** The SSRC as tshark writes it. */
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    static String ssrc(final RtpStream s) {
        // by hand, not String.format: one per stream of every flow line
        final char[] c = {'0', 'x', '0', '0', '0', '0', '0', '0', '0', '0'};
        for (int i = 9, v = (int) s.ssrc; i >= 2; i--, v >>>= 4) {
            c[i] = HEX[v & 0xf];
        }
        return new String(c);
    }
}
