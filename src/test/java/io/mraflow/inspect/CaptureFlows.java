package io.mraflow.inspect;

import io.mraflow.capture.CaptureFrames;
import io.mraflow.golden.Goldens;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Test harness: runs every TCP/UDP payload of a capture through one {@link PayloadInspector},
 * one {@link FlowInspection} per bidirectional 5-tuple, orig = the side seen first.
 */
final class CaptureFlows {

    static final Path CAPTURES = Paths.get("src/test/resources/captures");

    static final class Flow {
        final String key;
        final String orig;
        final FlowInspection state;
        int packets;

        Flow(final String key, final String orig, final FlowInspection state) {
            this.key = key;
            this.orig = orig;
            this.state = state;
        }
    }

    private CaptureFlows() {
    }

    /** Flow key as the golden files write it: {@code TCP<TAB>a<TAB>b}, endpoints in string order. */
    static String key(final String transport, final String x, final String y) {
        final String a = normalize(x);
        final String b = normalize(y);
        return a.compareTo(b) <= 0 ? transport + "\t" + a + "\t" + b : transport + "\t" + b + "\t" + a;
    }

    /** {@code host:port} or {@code [v6]:port} in java.net's spelling, whatever the input spelling. */
    static String normalize(final String endpoint) {
        final int colon = endpoint.lastIndexOf(':');
        String host = endpoint.substring(0, colon);
        final String port = endpoint.substring(colon + 1);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            final InetAddress a = InetAddress.getByName(host);
            final String h = a.getHostAddress();
            return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + port;
        } catch (UnknownHostException e) {
            return endpoint;
        }
    }

    /** An address in java.net's spelling, whatever the input spelling. */
    static String normalizeAddress(final String address) {
        try {
            return InetAddress.getByName(address).getHostAddress();
        } catch (UnknownHostException e) {
            return address;
        }
    }

    static Map<String, Flow> run(final String capture) {
        return run(capture, new PayloadInspector());
    }

    static Map<String, Flow> run(final String capture, final PayloadInspector inspector) {
        final Map<String, Flow> flows = new LinkedHashMap<>();
        for (final CaptureFrames.Frame f : frames(capture)) {
            final TestPackets.Decoded d = TestPackets.decode(f.linkType(), f.data());
            if (d == null) {
                continue;
            }
            final String transport = d.ipProto == 6 ? "TCP" : "UDP";
            final String src = normalize(d.srcEndpoint());
            final String dst = normalize(d.dstEndpoint());
            final String k = key(transport, src, dst);
            final Flow flow = flows.computeIfAbsent(k, x -> new Flow(x, src,
                new FlowInspection(d.ipProto, FlowInspection.isDnsPort(d.srcPort, d.dstPort))));
            flow.packets++;
            final int len = Math.min(d.payloadLength, f.data().length - d.payloadOffset);
            if (len > 0) {
                inspector.inspect(flow.state, src.equals(flow.orig), new UnsafeBuffer(f.data()), d.payloadOffset, len, f.tsNanos());
            }
        }
        return flows;
    }

    /** A capture of the list ({@link #CAPTURES}), or one of the project's own, {@code pcaps/...}. */
    static List<CaptureFrames.Frame> frames(final String capture) {
        try {
            return CaptureFrames.read(capture.startsWith("pcaps/") ? Paths.get(capture) : CAPTURES.resolve(capture));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every captured TCP/UDP payload of a capture, as its own array. */
    static List<byte[]> payloads(final String capture) {
        final List<byte[]> out = new ArrayList<>();
        for (final CaptureFrames.Frame f : frames(capture)) {
            final TestPackets.Decoded d = TestPackets.decode(f.linkType(), f.data());
            if (d != null) {
                final int len = Math.min(d.payloadLength, f.data().length - d.payloadOffset);
                if (len > 0) {
                    final byte[] p = new byte[len];
                    System.arraycopy(f.data(), d.payloadOffset, p, 0, len);
                    out.add(p);
                }
            }
        }
        return out;
    }

    /** Non-comment lines of a tshark table of {@code golden/inspect/} (flows, sni, stun, dns, rtp), split on tabs. */
    static List<String[]> golden(final String name) {
        return tsv(Goldens.table(Goldens.Kind.INSPECT, name));
    }

    /** Non-comment lines of a hand-kept file of {@code golden/hand-kept/}, split on tabs. */
    static List<String[]> handKept(final String name) {
        return tsv(Goldens.handKept(name));
    }

    private static List<String[]> tsv(final Path file) {
        try {
            final List<String[]> rows = new ArrayList<>();
            for (final String line : Files.readAllLines(file)) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    rows.add(line.split("\t", -1));
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> captureList() {
        final List<String> out = new ArrayList<>();
        for (final String[] row : handKept("inspect-captures.txt")) {
            out.add(row[0].trim());
        }
        return out;
    }
}
