package io.mraflow.report.html;

import io.mraflow.flow.FlowRecord;
import io.mraflow.inspect.FlowInspection;
import io.mraflow.inspect.RtpSources;
import io.mraflow.inspect.RtpStream;
import io.mraflow.inspect.RtpTimeline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Jitter and loss plots, one per RTP stream (inline SVG): packets received and lost over time,
 * and the worst jitter over time. At most {@link #PLOTS} streams, the worst loss first; the page
 * says how many more there were. One thread.
 */
final class RtpPlots {
    /** Streams plotted at most. */
    static final int PLOTS = 24;

    private static final int W = 380;
    private static final int PANEL_H = 40;
    private static final int LEFT = 34;

    private static final Comparator<RtpSeries> WORST_FIRST = Comparator.comparingDouble(RtpSeries::lossRatio).reversed()
            .thenComparing(s -> s.bucketStartNanos().length == 0 ? 0 : s.bucketStartNanos()[0]);

    private final BoundedSelection<RtpSeries> streams = new BoundedSelection<>(PLOTS, WORST_FIRST);

    /** @param raw the flow as the flow table ended it (its originator the side the table saw first) */
    void add(final FlowRecord raw, final String row) {
        for (RtpSeries s : seriesOf(raw, row)) {
            streams.offer(s);
        }
    }

    /**
     * The streams of a flow, one per source (SSRC) and direction that passed probation, from their
     * timelines ({@link RtpTimeline}: packets, lost and the worst jitter per bucket). Jitter is NaN
     * (not measured) where the stream's clock rate is unknown.
     */
    static List<RtpSeries> seriesOf(final FlowRecord raw, final String row) {
        final FlowInspection in = raw.inspection();
        final List<RtpSeries> out = new ArrayList<>(2);
        if (in == null) {
            return out;
        }
        for (boolean fromOrig : new boolean[]{true, false}) {
            final RtpSources sources = in.rtpSources(fromOrig);
            for (int k = 0; sources != null && k < sources.count(); k++) {
                final RtpStream s = sources.stream(k);
                final RtpTimeline t = s == null || !s.valid ? null : s.timeline();
                if (t == null || t.buckets() == 0) {
                    continue;
                }
                final String from = fromOrig ? FlowTimeline.endpoint(raw.origHi(), raw.origLo(), raw.origPort())
                        : FlowTimeline.endpoint(raw.respHi(), raw.respLo(), raw.respPort());
                final String to = fromOrig ? FlowTimeline.endpoint(raw.respHi(), raw.respLo(), raw.respPort())
                        : FlowTimeline.endpoint(raw.origHi(), raw.origLo(), raw.origPort());
                final String label = (row == null ? "no row" : row) + "  " + from + " \u2192 " + to
                        + String.format(Locale.ROOT, "  SSRC 0x%08x", s.ssrc);
                final int n = t.buckets();
                final long[] start = new long[n];
                final long[] packets = new long[n];
                final long[] lost = new long[n];
                final double[] jitter = new double[n];
                for (int i = 0; i < n; i++) {
                    start[i] = t.bucketStartNanos(i);
                    packets[i] = t.packets(i);
                    lost[i] = t.lost(i);
                    jitter[i] = s.clockRate() == 0 ? Double.NaN : t.maxJitterMs(i);
                }
                out.add(new RtpSeries(label, start, start[n - 1] + t.bucketWidthNanos(), packets, lost, jitter));
            }
        }
        return out;
    }

    void writeTo(final StringBuilder out) {
        final List<RtpSeries> plotted = streams.inOrder();
        if (plotted.isEmpty()) {
            out.append("<p class=\"note\">No RTP stream in the capture.</p>\n");
            return;
        }
        out.append("<div class=\"plots\">\n");
        for (RtpSeries s : plotted) {
            writePlot(out, s);
        }
        out.append("</div>\n");
        if (streams.leftOut() > 0) {
            out.append("<p class=\"more\">").append(streams.leftOut()).append(" more RTP streams not plotted: at most ")
                    .append(PLOTS).append(", the worst loss first.</p>\n");
        }
    }

    private static void writePlot(final StringBuilder out, final RtpSeries s) {
        final double loss = s.lossRatio();
        final Tone tone = loss >= 0.05 ? Tone.HIGH : loss > 0 ? Tone.LOW : Tone.OK;
        final double jitter = s.maxJitter();
        out.append("<figure class=\"rtp\"><figcaption><span class=\"chip tone-").append(tone.label).append("\">")
                .append(HtmlEscape.of(String.format(Locale.ROOT, "%.1f %% lost", loss * 100))).append("</span> ")
                .append(HtmlEscape.of(s.label())).append("<br><span class=\"sub\">")
                .append(s.totalPackets()).append(" received, ").append(s.totalLost()).append(" lost, max jitter ")
                .append(HtmlEscape.of(Double.isNaN(jitter) ? "not measured" : String.format(Locale.ROOT, "%.1f ms", jitter)))
                .append("</span></figcaption>\n");
        final int n = s.bucketStartNanos().length;
        final long start = n == 0 ? 0 : s.bucketStartNanos()[0];
        final double span = Math.max(1, s.endNanos() - start);
        final double plotW = W - LEFT - 8;
        final double h = 2 * PANEL_H + 36;
        out.append("<svg class=\"rtpplot\" role=\"img\" aria-label=\"RTP loss and jitter\" viewBox=\"0 0 ").append(W).append(' ')
                .append(Svg.n(h)).append("\" width=\"").append(W).append("\" xmlns=\"http://www.w3.org/2000/svg\">\n");
        // Panel 1: packets per bucket, received (green) under lost (red).
        long top = 1;
        for (int i = 0; i < n; i++) {
            top = Math.max(top, s.packets()[i] + s.lost()[i]);
        }
        panel(out, 4, "packets", Long.toString(top));
        for (int i = 0; i < n; i++) {
            final double x0 = LEFT + plotW * (s.bucketStartNanos()[i] - start) / span;
            final double x1 = LEFT + plotW * ((i + 1 < n ? s.bucketStartNanos()[i + 1] : s.endNanos()) - start) / span;
            final double w = Math.max(2, x1 - x0 - 1);
            final double received = PANEL_H * s.packets()[i] / (double) top;
            final double lost = PANEL_H * s.lost()[i] / (double) top;
            bar(out, x0, 4 + PANEL_H - received, w, received, Tone.OK, s.packets()[i] + " received");
            bar(out, x0, 4 + PANEL_H - received - lost, w, lost, Tone.HIGH, s.lost()[i] + " lost");
        }
        // Panel 2: the worst jitter per bucket, as a line.
        final double y2 = 4 + PANEL_H + 14;
        final double jitterTop = Double.isNaN(jitter) ? 1 : Math.max(1, jitter);
        panel(out, y2, "jitter ms", Double.isNaN(jitter) ? "" : String.format(Locale.ROOT, "%.0f", jitterTop));
        if (Double.isNaN(jitter)) {
            out.append("<text class=\"tick\" x=\"").append(Svg.n(LEFT + plotW / 2)).append("\" y=\"").append(Svg.n(y2 + PANEL_H / 2.0 + 4))
                    .append("\" text-anchor=\"middle\">jitter not measured for this stream</text>\n");
        } else {
            final StringBuilder points = new StringBuilder();
            for (int i = 0; i < n; i++) {
                if (!Double.isNaN(s.maxJitterMs()[i])) {
                    final double x = LEFT + plotW * (s.bucketStartNanos()[i] - start) / span;
                    points.append(Svg.n(x)).append(',').append(Svg.n(y2 + PANEL_H - PANEL_H * s.maxJitterMs()[i] / jitterTop)).append(' ');
                }
            }
            out.append("<polyline points=\"").append(points).append("\" fill=\"none\" stroke=\"#3d6fb6\" stroke-width=\"1.5\"/>\n");
        }
        out.append("<text class=\"tick\" x=\"").append(LEFT).append("\" y=\"").append(Svg.n(h - 4)).append("\">+0 s</text>")
                .append("<text class=\"tick\" x=\"").append(Svg.n(LEFT + plotW)).append("\" y=\"").append(Svg.n(h - 4))
                .append("\" text-anchor=\"end\">+").append(HtmlEscape.of(String.format(Locale.ROOT, "%.1f", span / 1e9)))
                .append(" s</text>\n</svg></figure>\n");
    }

    /** A panel's frame and its axis labels. */
    private static void panel(final StringBuilder out, final double y, final String name, final String top) {
        out.append("<rect x=\"").append(LEFT).append("\" y=\"").append(Svg.n(y)).append("\" width=\"").append(W - LEFT - 8)
                .append("\" height=\"").append(PANEL_H).append("\" fill=\"#fafbfc\" stroke=\"#dde1e6\"/>")
                .append("<text class=\"tick\" x=\"").append(LEFT - 4).append("\" y=\"").append(Svg.n(y + 10))
                .append("\" text-anchor=\"end\">").append(HtmlEscape.of(top)).append("</text>")
                .append("<text class=\"tick\" x=\"").append(W - 12).append("\" y=\"").append(Svg.n(y + 10))
                .append("\" text-anchor=\"end\">").append(HtmlEscape.of(name)).append("</text>\n");
    }

    private static void bar(final StringBuilder out, final double x, final double y, final double w, final double h,
                            final Tone tone, final String title) {
        if (h <= 0) {
            return;
        }
        out.append("<rect x=\"").append(Svg.n(x)).append("\" y=\"").append(Svg.n(y)).append("\" width=\"").append(Svg.n(w))
                .append("\" height=\"").append(Svg.n(h)).append("\" fill=\"").append(tone.colour).append("\"><title>")
                .append(HtmlEscape.of(title)).append("</title></rect>\n");
    }
}
