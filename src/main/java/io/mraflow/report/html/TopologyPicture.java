package io.mraflow.report.html;

import io.mraflow.flow.FlowRecord;
import io.mraflow.report.AddressFormat;
import io.mraflow.rules.FindingCode;
import io.mraflow.rules.Topology;
import io.mraflow.rules.Verdict;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The topology as a picture (inline SVG): the roles as boxes laid out as the DMZ is (outside | DMZ |
 * inside), each with its addresses, and the flows between them as arrows, one per (opener role,
 * responder role, row) with its count: green when none of its flows has a finding, amber when
 * some have findings, red when some failed (no answer, reset, unreachable, TLS alert, one-way
 * media); flows no row fits are dashed red arrows named by their finding. Fed every verdict,
 * it keeps only counts per arrow and a few addresses per box: bounded whatever the capture. One thread.
 */
final class TopologyPicture {
    /** Findings that say the flow did not work (the rest say it is not as documented, or imperfect). */
    private static final Set<FindingCode> FAILED = EnumSet.of(FindingCode.TCP_UNANSWERED, FindingCode.TCP_RESET,
            FindingCode.ICMP_UNREACHABLE, FindingCode.TLS_ALERT, FindingCode.ONE_WAY_MEDIA);
    /** Addresses written in a box; the box says when there are more. */
    private static final int ADDRESSES_SHOWN = 4;

    private static final int BOX_W = 136;
    private static final int GAP = 150;
    private static final int MARGIN = 16;
    /** Room left of the first column for the loop of a flow between two off-premises hosts and its label. */
    private static final int LEFT = 84;
    private static final int BOX_GAP = 28;
    private static final int TOP = 48;
    private static final int LANE = 20;
    private static final int LINE = 14;
    private static final int COLUMNS = 5;
    private static final Pattern DIGITS = Pattern.compile("\\d+");

    /** The boxes, in the column of the DMZ picture they stand in: 0 outside, 1-2 DMZ, 3-4 inside. */
    enum Box {
        OFFPREM("off-premises clients", 0),
        CLOUD("Webex cloud", 0),
        EXPE_PUBLIC("Expressway-E, public", 1),
        EXPE_PRIVATE("Expressway-E, private", 2),
        EXPC("Expressway-C", 3),
        UCM("Unified CM", 4),
        IMP("IM and Presence", 4),
        CUC("Unity Connection", 4),
        ONPREM_MEDIA("on-premises media", 4);

        final String title;
        final int column;

        Box(final String title, final int column) {
            this.title = title;
            this.column = column;
        }

        boolean inside() {
            return column >= 3;
        }
    }

    private record ArrowKey(Box opener, Box responder, String label) {
    }

    /** What one arrow stands for: its flows and how they fared. */
    private static final class ArrowFlows {
        final boolean documented;
        final String purpose;
        long flows;
        long failed;
        long withFindings;
        final Map<FindingCode, Long> byCode = new EnumMap<>(FindingCode.class);

        ArrowFlows(final boolean documented, final String purpose) {
            this.documented = documented;
            this.purpose = purpose;
        }

        Tone tone() {
            return !documented || failed > 0 ? Tone.HIGH : withFindings > 0 ? Tone.LOW : Tone.OK;
        }
    }

    /**
     * Addresses written in a box: the first few, and whether there were more. Hosts seen in flows
     * are compared as numbers and written as text only when kept: this runs for every flow.
     */
    private static final class Addresses {
        final List<String> shown = new ArrayList<>();
        private final long[] hosts = new long[2 * ADDRESSES_SHOWN];
        private int hostCount;
        boolean more;

        void add(final String address) {
            if (shown.contains(address)) {
                return;
            }
            if (shown.size() < ADDRESSES_SHOWN) {
                shown.add(address);
            } else {
                more = true;
            }
        }

        /** A host seen in a flow, written as {@code name} when not null (a cloud service's SNI), else as its address. */
        void add(final long hi, final long lo, final String name) {
            for (int i = 0; i < hostCount; i++) {
                if (hosts[2 * i] == hi && hosts[2 * i + 1] == lo) {
                    return;
                }
            }
            if (shown.size() < ADDRESSES_SHOWN) {
                hosts[2 * hostCount] = hi;
                hosts[2 * hostCount + 1] = lo;
                hostCount++;
                shown.add(name == null ? AddressFormat.format(hi, lo) : name); // a box has room for one of them
            } else {
                more = true;
            }
        }
    }

    private final Map<ArrowKey, ArrowFlows> arrows = new LinkedHashMap<>();
    private final Map<Box, Addresses> addresses = new EnumMap<>(Box.class);
    private boolean rolesKnown;

    /** @param topology the roles held (given or inferred), or null when none are known */
    TopologyPicture(final Topology topology) {
        for (Box b : Box.values()) {
            addresses.put(b, new Addresses());
        }
        if (topology != null) {
            rolesKnown = true;
            for (Topology.Entry e : topology.entries()) {
                addresses.get(Box.valueOf(e.role().name())).add(e.block().toString());
            }
        }
    }

    void add(final Verdict v) {
        if (v.origRole() == null || v.respRole() == null) {
            return; // by ports alone: no roles to draw
        }
        rolesKnown = true;
        final FlowRecord f = v.flow();
        final boolean cloud = v.row() != null && v.row().startsWith("T5.");
        final Box opener = box(v.origRole(), v.respRole());
        final Box responder = cloud ? Box.CLOUD : box(v.respRole(), v.origRole());
        if (opener == Box.OFFPREM) {
            addresses.get(opener).add(f.origHi(), f.origLo(), null);
        }
        if (responder == Box.OFFPREM || responder == Box.CLOUD) {
            addresses.get(responder).add(f.respHi(), f.respLo(), cloud ? v.sni() : null);
        }
        final ArrowFlows a = arrows.computeIfAbsent(new ArrowKey(opener, responder, label(v)),
                k -> new ArrowFlows(v.row() != null, v.purpose()));
        a.flows++;
        if (!v.findings().isEmpty()) {
            a.withFindings++;
        }
        boolean failed = false;
        for (Verdict.Finding x : v.findings()) {
            a.byCode.merge(x.code(), 1L, Long::sum);
            failed |= FAILED.contains(x.code());
        }
        if (failed) {
            a.failed++;
        }
    }

    /**
     * The box of a role label ({@code EXPC}, {@code EXPE} for both Expressway-E addresses, {@code UCM+IMP}):
     * its first role, and for an Expressway-E with one address the side facing the peer.
     */
    private static Box box(final String roles, final String peerRoles) {
        if (roles.equals("EXPE")) {
            final Box peer = peerRoles.equals("EXPE") ? Box.OFFPREM : box(peerRoles, "EXPE");
            return peer.inside() ? Box.EXPE_PRIVATE : Box.EXPE_PUBLIC;
        }
        final String first = roles.split("\\+", 2)[0];
        for (Box b : Box.values()) {
            if (b.name().equals(first)) {
                return b;
            }
        }
        return first.startsWith("EXPE") ? Box.EXPE_PUBLIC : Box.OFFPREM; // "EXPE+..." or ANY
    }

    /** The arrow's label: its row, or for a flow no row fits, what it is instead (and the row it cites). */
    private static String label(final Verdict v) {
        if (v.row() != null) {
            return v.row();
        }
        for (Verdict.Finding x : v.findings()) {
            switch (x.code()) {
                case WRONG_DIRECTION:
                    return x.row() + " wrong way";
                case SOURCE_PORT_OUTSIDE_RANGE:
                    return x.row() + " source port";
                case UNDOCUMENTED:
                    return "undocumented";
                default:
                    break;
            }
        }
        return "no row";
    }

    /** The picture, or a sentence saying why there is none. */
    void writeTo(final StringBuilder out) {
        if (!rolesKnown) {
            out.append("<p class=\"note\">No roles are known (matched by ports alone, or no Expressway in the traffic):"
                    + " there is no topology to draw. <code>--topology FILE</code> names the roles.</p>\n");
            return;
        }
        final Map<Box, int[]> lanes = new EnumMap<>(Box.class); // per box: arrow ends on its left and right side
        for (Box b : Box.values()) {
            lanes.put(b, new int[2]);
        }
        final List<Arrow> drawn = new ArrayList<>();
        arrows.forEach((k, flows) -> {
            final Arrow a = new Arrow(k, flows);
            drawn.add(a);
            lanes.get(k.opener())[a.openerRight ? 1 : 0]++;
            lanes.get(k.responder())[a.responderRight ? 1 : 0]++;
        });
        // Boxes stacked in their columns, each tall enough for its lanes and its addresses; in each
        // column the box with the most arrow ends takes the room left, so that arrows between
        // neighbouring columns run level instead of fanning out.
        final Map<Box, double[]> at = new EnumMap<>(Box.class); // x, y, height
        final double[] columnHeight = new double[COLUMNS];
        final Box[] busiest = new Box[COLUMNS];
        for (Box b : Box.values()) {
            final int text = 2 + Math.max(1, addresses.get(b).shown.size()) + (addresses.get(b).more ? 1 : 0);
            final int[] l = lanes.get(b);
            final double h = Math.max(text * LINE + 10, Math.max(l[0], l[1]) * LANE + LANE);
            at.put(b, new double[]{x(b.column), 0, h});
            columnHeight[b.column] += h + BOX_GAP;
            if (busiest[b.column] == null || lanes(lanes, b) > lanes(lanes, busiest[b.column])) {
                busiest[b.column] = b;
            }
        }
        double tallest = 0;
        for (double h : columnHeight) {
            tallest = Math.max(tallest, h);
        }
        final double[] columnBottom = new double[COLUMNS];
        Arrays.fill(columnBottom, TOP + 12);
        for (Box b : Box.values()) {
            final double[] box = at.get(b);
            if (b == busiest[b.column]) {
                box[2] += tallest - columnHeight[b.column];
            }
            box[1] = columnBottom[b.column];
            columnBottom[b.column] += box[2] + BOX_GAP;
        }
        final double height = TOP + 12 + tallest;
        // Each side's arrow ends, in the order of the boxes at their other ends, spread over the side.
        final Map<String, List<End>> sides = new HashMap<>();
        for (Arrow a : drawn) {
            sides.computeIfAbsent(a.k.opener() + "/" + a.openerRight, s -> new ArrayList<>())
                    .add(new End(a, true, at.get(a.k.responder())[1]));
            sides.computeIfAbsent(a.k.responder() + "/" + a.responderRight, s -> new ArrayList<>())
                    .add(new End(a, false, at.get(a.k.opener())[1]));
        }
        for (List<End> ends : sides.values()) {
            ends.sort(Comparator.comparingDouble(End::otherY).thenComparing(e -> rowOrder(e.arrow().k.label()))
                    .thenComparing(End::opener));
            for (int i = 0; i < ends.size(); i++) {
                final End e = ends.get(i);
                final double[] box = at.get(e.opener() ? e.arrow().k.opener() : e.arrow().k.responder());
                final double y = box[1] + (i + 1) * box[2] / (ends.size() + 1);
                if (e.opener()) {
                    e.arrow().y1 = y;
                } else {
                    e.arrow().y2 = y;
                }
            }
        }
        final double width = x(COLUMNS - 1) + BOX_W + MARGIN;
        out.append("<svg class=\"topology\" role=\"img\" aria-label=\"topology\" viewBox=\"0 0 ")
                .append(Svg.n(width)).append(' ').append(Svg.n(height)).append("\" width=\"").append(Svg.n(width))
                .append("\" xmlns=\"http://www.w3.org/2000/svg\">\n");
        writeMarkers(out);
        writeZones(out, height);
        for (Box b : Box.values()) {
            writeBox(out, b, at.get(b), lanes.get(b)[0] + lanes.get(b)[1] > 0);
        }
        for (Arrow a : drawn) {
            a.writeTo(out, at);
        }
        out.append("</svg>\n");
        writeLegend(out);
    }

    private static double x(final int column) {
        return LEFT + column * (BOX_W + GAP);
    }

    /** A label whose numbers sort as numbers: T4.2 before T4.10. */
    private static String rowOrder(final String label) {
        final StringBuilder b = new StringBuilder();
        final Matcher m = DIGITS.matcher(label);
        int last = 0;
        while (m.find()) {
            b.append(label, last, m.start()).append("0".repeat(Math.max(0, 6 - m.group().length()))).append(m.group());
            last = m.end();
        }
        return b.append(label.substring(last)).toString();
    }

    private static int lanes(final Map<Box, int[]> lanes, final Box b) {
        return lanes.get(b)[0] + lanes.get(b)[1];
    }

    private static void writeMarkers(final StringBuilder out) {
        out.append("<defs>");
        for (Tone t : Tone.values()) {
            out.append("<marker id=\"head-").append(t.label).append("\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\"")
                    .append(" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"")
                    .append(t.colour).append("\"/></marker>");
        }
        out.append("</defs>\n");
    }

    /** The three zones and the firewalls between them. */
    private static void writeZones(final StringBuilder out, final double height) {
        final double dmzStart = x(1) - GAP / 2.0;
        final double insideStart = x(3) - GAP / 2.0;
        final double end = x(COLUMNS - 1) + BOX_W + MARGIN;
        zone(out, 0, dmzStart, height, "#f3f6fa", "outside (internet)");
        zone(out, dmzStart, insideStart, height, "#fdf6e7", "DMZ");
        zone(out, insideStart, end, height, "#eef7f0", "inside (enterprise)");
        for (double fw : new double[]{dmzStart, insideStart}) {
            out.append("<line x1=\"").append(Svg.n(fw)).append("\" y1=\"30\" x2=\"").append(Svg.n(fw)).append("\" y2=\"")
                    .append(Svg.n(height)).append("\" stroke=\"#8a6d3b\" stroke-width=\"3\" stroke-dasharray=\"8 4\"/>\n");
        }
    }

    private static void zone(final StringBuilder out, final double from, final double to, final double height,
                             final String fill, final String title) {
        out.append("<rect x=\"").append(Svg.n(from)).append("\" y=\"0\" width=\"").append(Svg.n(to - from))
                .append("\" height=\"").append(Svg.n(height)).append("\" fill=\"").append(fill).append("\"/>")
                .append("<text class=\"zone\" x=\"").append(Svg.n((from + to) / 2)).append("\" y=\"22\" text-anchor=\"middle\">")
                .append(HtmlEscape.of(title)).append("</text>\n");
    }

    private void writeBox(final StringBuilder out, final Box b, final double[] at, final boolean hasFlows) {
        final Addresses a = addresses.get(b);
        final boolean seen = hasFlows || !a.shown.isEmpty();
        final boolean expressway = b == Box.EXPE_PUBLIC || b == Box.EXPE_PRIVATE || b == Box.EXPC;
        out.append("<g class=\"box").append(seen ? "" : " absent").append("\"><title>").append(HtmlEscape.of(b.name()))
                .append(": ").append(HtmlEscape.of(b.title)).append(seen ? "" : " (not seen)").append("</title>")
                .append("<rect x=\"").append(Svg.n(at[0])).append("\" y=\"").append(Svg.n(at[1])).append("\" width=\"")
                .append(BOX_W).append("\" height=\"").append(Svg.n(at[2])).append("\" rx=\"6\" fill=\"")
                .append(!seen ? "#f7f7f7" : expressway ? "#e3eefb" : "#ffffff").append("\" stroke=\"")
                .append(seen ? "#44505c" : "#b8bec5").append("\" stroke-width=\"1.5\"")
                .append(seen ? "" : " stroke-dasharray=\"4 3\"").append("/>");
        double y = at[1] + 17;
        text(out, at[0] + 8, y, "role", b.name());
        y += LINE;
        text(out, at[0] + 8, y, "boxtitle", b.title);
        for (String address : a.shown) {
            y += LINE;
            text(out, at[0] + 8, y, "addr", address);
        }
        if (a.more) {
            y += LINE;
            text(out, at[0] + 8, y, "addr", "and more");
        }
        if (!seen) {
            y += LINE;
            text(out, at[0] + 8, y, "addr", "not seen");
        }
        out.append("</g>\n");
    }

    private static void text(final StringBuilder out, final double x, final double y, final String cls, final String s) {
        out.append("<text class=\"").append(cls).append("\" x=\"").append(Svg.n(x)).append("\" y=\"").append(Svg.n(y))
                .append("\">").append(HtmlEscape.of(s)).append("</text>");
    }

    private static void writeLegend(final StringBuilder out) {
        out.append("<p class=\"legend\"><span class=\"key tone-ok\"></span>documented, no finding"
                + " <span class=\"key tone-low\"></span>documented, with findings"
                + " <span class=\"key tone-high\"></span>documented, failed (no answer, reset, unreachable, TLS alert, one-way media)"
                + " <span class=\"key dashed\"></span>no row fits (undocumented, wrong way, source port)"
                + " &middot; each arrow: one row between two roles, from the side that opened its flows;"
                + " &times;n: n flows, &#x2717;n: n of them failed</p>\n");
    }

    /** One end of an arrow on a box's side, with the top of the box at its other end (the order of the ends). */
    private record End(Arrow arrow, boolean opener, double otherY) {
    }

    /** One arrow: where its ends attach and how it is drawn. */
    private static final class Arrow {
        final ArrowKey k;
        final ArrowFlows flows;
        final boolean openerRight;
        final boolean responderRight;
        double y1;
        double y2;

        Arrow(final ArrowKey k, final ArrowFlows flows) {
            this.k = k;
            this.flows = flows;
            final int from = k.opener().column;
            final int to = k.responder().column;
            if (from == to) {
                openerRight = responderRight = from != 0; // a loop on the outer side of the column
            } else {
                openerRight = from < to;
                responderRight = !openerRight;
            }
        }

        void writeTo(final StringBuilder out, final Map<Box, double[]> at) {
            final double x1 = at.get(k.opener())[0] + (openerRight ? BOX_W : 0);
            final double x2 = at.get(k.responder())[0] + (responderRight ? BOX_W : 0);
            final Tone tone = flows.tone();
            out.append("<g class=\"arrow\"><title>").append(HtmlEscape.of(title())).append("</title><path d=\"M")
                    .append(Svg.n(x1)).append(',').append(Svg.n(y1));
            if (k.opener().column == k.responder().column) {
                final double bulge = openerRight ? 56 : -56;
                out.append(" C").append(Svg.n(x1 + bulge)).append(',').append(Svg.n(y1)).append(' ')
                        .append(Svg.n(x2 + bulge)).append(',').append(Svg.n(y2)).append(' ');
            } else {
                out.append(" L");
            }
            out.append(Svg.n(x2)).append(',').append(Svg.n(y2)).append("\" fill=\"none\" stroke=\"").append(tone.colour)
                    .append("\" stroke-width=\"").append(flows.documented ? "2" : "2.5").append('"')
                    .append(flows.documented ? "" : " stroke-dasharray=\"6 4\"")
                    .append(" marker-end=\"url(#head-").append(tone.label).append(")\"/>");
            final boolean labelRight = openerRight;
            out.append("<text class=\"arrowlabel\" x=\"").append(Svg.n(x1 + (labelRight ? 6 : -6))).append("\" y=\"")
                    .append(Svg.n(y1 - 4)).append("\" text-anchor=\"").append(labelRight ? "start" : "end")
                    .append("\" fill=\"").append(tone == Tone.OK ? "#1f6b3e" : tone.colour).append("\">")
                    .append(HtmlEscape.of(k.label() + " \u00d7" + flows.flows + (flows.failed > 0 ? " \u2717" + flows.failed : "")))
                    .append("</text></g>\n");
        }

        private String title() {
            final StringBuilder t = new StringBuilder(k.label());
            if (flows.purpose != null) {
                t.append(" (").append(flows.purpose).append(')');
            }
            t.append(": ").append(flows.flows).append(flows.flows == 1 ? " flow " : " flows ")
                    .append(k.opener()).append(" \u2192 ").append(k.responder());
            flows.byCode.forEach((code, n) -> t.append("; ").append(code).append(" \u00d7").append(n));
            return t.toString();
        }
    }
}
