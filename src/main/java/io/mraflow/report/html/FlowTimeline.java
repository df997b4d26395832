package io.mraflow.report.html;

import io.mraflow.decode.IpProto;
import io.mraflow.flow.FlowRecord;
import io.mraflow.report.AddressFormat;
import io.mraflow.rules.Severity;
import io.mraflow.rules.Verdict;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A timeline of the capture's flows (inline SVG): one bar per flow from its first to its last
 * packet, coloured by its verdict ({@link Tone}). At most {@link #BARS} bars: the flows with
 * findings first, worst first, then the others by time; the page says how many were left out.
 * One thread.
 */
final class FlowTimeline {
    /** Bars drawn at most: a few hundred keep the page readable and bounded. */
    static final int BARS = 300;

    private static final DateTimeFormatter UTC =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final int LABEL_W = 400;
    private static final int PLOT_W = 820;
    private static final int BAR_H = 16;
    private static final int TOP = 28;

    /** One bar: a flow kept for drawing; its texts are made only for the bars drawn. */
    private record Bar(long ts, long lastTs, Severity worst, Verdict verdict) {
        String flow() {
            final FlowRecord f = verdict.flow();
            return (f.ipProto() == IpProto.TCP ? "tcp " : "udp ") + endpoint(f.origHi(), f.origLo(), f.origPort())
                    + " \u2192 " + endpoint(f.respHi(), f.respLo(), f.respPort());
        }

        String label() {
            return String.format(Locale.ROOT, "%-6s %s", verdict.row() == null ? "-" : verdict.row(), flow());
        }

        /**
         * The tooltip, one line each: the flow with its row, state, payload protocol and SNI; every
         * finding. Escaped line by line (the escape would make a line break visible as {@code \x0a}).
         */
        String title() {
            final StringBuilder t = new StringBuilder(flow()).append(", ").append(verdict.row() == null ? "no row" : verdict.row())
                    .append(", ").append(verdict.flow().connState()).append(", ").append(verdict.appProto());
            if (verdict.sni() != null) {
                t.append(", sni ").append(verdict.sni());
            }
            final StringBuilder lines = new StringBuilder(HtmlEscape.of(t.toString()));
            for (Verdict.Finding x : verdict.findings()) {
                lines.append('\n').append(HtmlEscape.of(x.severity().label() + " " + x.code() + ": " + x.message()));
            }
            return lines.toString();
        }
    }

    /** Findings first (worst first), then by first packet. */
    private static final Comparator<Bar> ORDER = Comparator
            .comparing((Bar b) -> b.worst() == null ? -1 : b.worst().ordinal(), Comparator.reverseOrder())
            .thenComparingLong(Bar::ts);

    private final BoundedSelection<Bar> bars = new BoundedSelection<>(BARS, ORDER);
    private long first = Long.MAX_VALUE;
    private long last = Long.MIN_VALUE;

    void add(final Verdict v) {
        final FlowRecord f = v.flow();
        first = Math.min(first, f.tsNanos());
        last = Math.max(last, f.lastTsNanos());
        bars.offer(new Bar(f.tsNanos(), f.lastTsNanos(), v.worst(), v));
    }

    static String endpoint(final long hi, final long lo, final int port) {
        final String a = AddressFormat.format(hi, lo);
        return (AddressFormat.isV4(hi, lo) ? a : "[" + a + "]") + ":" + port;
    }

    void writeTo(final StringBuilder out) {
        final List<Bar> drawn = bars.inOrder();
        if (drawn.isEmpty()) {
            out.append("<p class=\"note\">No flows.</p>\n");
            return;
        }
        final double span = Math.max(1, last - first);
        final double height = TOP + drawn.size() * BAR_H + 8;
        final double width = LABEL_W + PLOT_W + 16;
        out.append("<p class=\"caption\">From ").append(HtmlEscape.of(UTC.format(Instant.ofEpochSecond(0, first))))
                .append(" UTC, ").append(HtmlEscape.of(seconds(last - first))).append(" s; ")
                .append(drawn.size()).append(" of ").append(bars.offered()).append(" flows, those with findings first.</p>\n");
        out.append("<svg class=\"timeline\" role=\"img\" aria-label=\"timeline\" viewBox=\"0 0 ").append(Svg.n(width)).append(' ')
                .append(Svg.n(height)).append("\" width=\"").append(Svg.n(width)).append("\" xmlns=\"http://www.w3.org/2000/svg\">\n");
        for (int tick = 0; tick <= 4; tick++) {
            final double x = LABEL_W + PLOT_W * tick / 4.0;
            out.append("<line x1=\"").append(Svg.n(x)).append("\" y1=\"").append(TOP - 6).append("\" x2=\"").append(Svg.n(x))
                    .append("\" y2=\"").append(Svg.n(height)).append("\" stroke=\"#dde1e6\"/>")
                    .append("<text class=\"tick\" x=\"").append(Svg.n(x)).append("\" y=\"").append(TOP - 10)
                    .append("\" text-anchor=\"").append(tick == 0 ? "start" : tick == 4 ? "end" : "middle").append("\">+")
                    .append(HtmlEscape.of(seconds((long) (span * tick / 4)))).append(" s</text>\n");
        }
        for (int i = 0; i < drawn.size(); i++) {
            final Bar b = drawn.get(i);
            final double y = TOP + i * BAR_H;
            final double x = LABEL_W + PLOT_W * (b.ts() - first) / span;
            final double w = Math.max(3, PLOT_W * (b.lastTs() - b.ts()) / span);
            out.append("<g><title>").append(b.title()).append("</title>");
            if (i % 2 == 0) {
                out.append("<rect x=\"0\" y=\"").append(Svg.n(y)).append("\" width=\"").append(Svg.n(width)).append("\" height=\"")
                        .append(BAR_H).append("\" fill=\"#f6f7f9\"/>");
            }
            out.append("<text class=\"flowlabel\" x=\"4\" y=\"").append(Svg.n(y + BAR_H - 4)).append("\" fill=\"")
                    .append(b.worst() == null ? "#2b333b" : Tone.of(b.verdict()).colour).append("\">").append(HtmlEscape.of(b.label()))
                    .append("</text><rect x=\"").append(Svg.n(Math.min(x, LABEL_W + PLOT_W - w))).append("\" y=\"").append(Svg.n(y + 3))
                    .append("\" width=\"").append(Svg.n(w)).append("\" height=\"").append(BAR_H - 6).append("\" rx=\"2\" fill=\"")
                    .append(Tone.of(b.verdict()).colour).append("\"/></g>\n");
        }
        out.append("</svg>\n");
        if (bars.leftOut() > 0) {
            out.append("<p class=\"more\">").append(bars.leftOut()).append(" more flows not drawn: the timeline keeps at most " + BARS + ", those with findings first.</p>\n");
        }
    }

    private static String seconds(final long nanos) {
        return String.format(Locale.ROOT, nanos >= 10_000_000_000L ? "%.0f" : "%.2f", nanos / 1e9);
    }
}
