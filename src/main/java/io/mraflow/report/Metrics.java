package io.mraflow.report;

import io.mraflow.pipeline.LiveAnalysis;
import io.mraflow.rules.FindingCode;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.SummaryWithCallback;
import io.prometheus.metrics.model.snapshots.Quantiles;
import org.HdrHistogram.Histogram;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.Map;

/**
 * {@code watch --metrics-port}: the counters of a live analysis in the Prometheus text format,
 * served by the Prometheus Java client's HTTP server. Every metric is a callback: a scrape reads
 * the counters the capture threads, the workers and the event stage publish in fields of their
 * own, so nothing on the packet path takes a lock or does any work for the metrics.
 *
 * <pre>
 * mraflow_packets_total{iface}                     packets read
 * mraflow_dropped_packets_total{iface,where}       where = kernel, interface (libpcap), ring (mraflow)
 * mraflow_flows_total{row}                         flows ended, by row ("none": no row fits)
 * mraflow_findings_total{code,severity}            finding events
 * mraflow_active_flows{iface}                      flows open now
 * mraflow_flows_evicted_total{iface}               flows ended early because the table was full
 * mraflow_batch_latency_seconds{quantile}          ring wait of packet batches (HdrHistogram, since start)
 * </pre>
 */
public final class Metrics implements AutoCloseable {
    private final HTTPServer server;

    private Metrics(final HTTPServer server) {
        this.server = server;
    }

    /** Serves {@code live}'s metrics on {@code bind}:{@code port} (port 0 picks a free one). */
    public static Metrics serve(final LiveAnalysis live, final String bind, final int port) throws IOException {
        return serve(live, bind, port, r -> { });
    }

    /** As above, with the metrics {@code more} registers beside them ({@code --kafka}'s). */
    public static Metrics serve(final LiveAnalysis live, final String bind, final int port,
                                final java.util.function.Consumer<PrometheusRegistry> more) throws IOException {
        final PrometheusRegistry registry = new PrometheusRegistry();
        more.accept(registry);
        CounterWithCallback.builder().name("mraflow_packets_total").help("Packets read from each interface")
                .labelNames("iface")
                .callback(cb -> live.counters().forEach(c -> cb.call(c.packets(), c.iface())))
                .register(registry);
        CounterWithCallback.builder().name("mraflow_dropped_packets_total")
                .help("Packets lost before analysis: by the kernel and the interface (libpcap's counters), at a full ring (mraflow)")
                .labelNames("iface", "where")
                .callback(cb -> live.counters().forEach(c -> {
                    if (c.libpcap() != null) {
                        cb.call(c.libpcap()[1], c.iface(), "kernel");
                        cb.call(c.libpcap()[2], c.iface(), "interface");
                    }
                    cb.call(c.ringDrops(), c.iface(), "ring");
                }))
                .register(registry);
        CounterWithCallback.builder().name("mraflow_flows_total").help("Flows ended, by the row of the MRA port reference they are")
                .labelNames("row")
                .callback(cb -> live.events().flowsByRow().forEach((row, n) -> cb.call(n, row)))
                .register(registry);
        CounterWithCallback.builder().name("mraflow_findings_total").help("Finding events, by code")
                .labelNames("code", "severity")
                .callback(cb -> {
                    for (Map.Entry<FindingCode, Long> e : live.events().findingsByCode().entrySet()) {
                        cb.call(e.getValue(), e.getKey().name(), e.getKey().severity().label());
                    }
                })
                .register(registry);
        GaugeWithCallback.builder().name("mraflow_active_flows").help("Flows open now")
                .labelNames("iface")
                .callback(cb -> live.counters().forEach(c -> cb.call(c.activeFlows(), c.iface())))
                .register(registry);
        CounterWithCallback.builder().name("mraflow_flows_evicted_total")
                .help("Flows ended early because the flow table was full")
                .labelNames("iface")
                .callback(cb -> live.counters().forEach(c -> cb.call(c.evicted(), c.iface())))
                .register(registry);
        SummaryWithCallback.builder().name("mraflow_batch_latency_seconds")
                .help("Time a batch of packets waited in a ring, from the capture thread's commit to a worker taking it")
                .callback(cb -> {
                    final Histogram h = live.batchLatency();
                    final Quantiles.Builder q = Quantiles.builder();
                    for (double p : new double[] {0.5, 0.9, 0.99, 0.999}) {
                        q.quantile(p, h.getValueAtPercentile(p * 100) / 1e9);
                    }
                    cb.call(h.getTotalCount(), h.getMean() * h.getTotalCount() / 1e9, q.build());
                })
                .register(registry);
        return new Metrics(HTTPServer.builder().hostname(bind).port(port).registry(registry).buildAndStart());
    }

    /** The port served (the one chosen when 0 was asked). */
    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        server.close();
    }
}
