package io.mraflow.kafka;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;

/**
 * {@code fleet --metrics-port}: the fleet's counts in the Prometheus text format, every metric with
 * a {@code sensor} label, served as {@code watch} serves its own (the Prometheus Java client, callbacks).
 *
 * <pre>
 * mraflow_fleet_events_total{sensor,event_type}     events consumed
 * mraflow_fleet_flows_total{sensor,row}             flow events by row ("none": no row fits)
 * mraflow_fleet_findings_total{sensor,code}         finding events by code
 * mraflow_fleet_sensor_stat{sensor,field}           the numbers of each sensor's latest stats event
 * </pre>
 */
public final class FleetMetrics implements AutoCloseable {
    private final HTTPServer server;

    private FleetMetrics(final HTTPServer server) {
        this.server = server;
    }

    public static FleetMetrics serve(final FleetCounts counts, final String bind, final int port) throws IOException {
        final PrometheusRegistry registry = new PrometheusRegistry();
        CounterWithCallback.builder().name("mraflow_fleet_events_total").help("Events consumed, by sensor and event type")
                .labelNames("sensor", "event_type")
                .callback(cb -> counts.events().forEach((s, m) -> m.forEach((t, n) -> cb.call(n, s, t))))
                .register(registry);
        CounterWithCallback.builder().name("mraflow_fleet_flows_total").help("Flow events, by sensor and row")
                .labelNames("sensor", "row")
                .callback(cb -> counts.flowsByRow().forEach((s, m) -> m.forEach((r, n) -> cb.call(n, s, r))))
                .register(registry);
        CounterWithCallback.builder().name("mraflow_fleet_findings_total").help("Finding events, by sensor and code")
                .labelNames("sensor", "code")
                .callback(cb -> counts.findingsByCode().forEach((s, m) -> m.forEach((c, n) -> cb.call(n, s, c))))
                .register(registry);
        GaugeWithCallback.builder().name("mraflow_fleet_sensor_stat")
                .help("The numbers of each sensor's latest stats event (nested objects joined with _)")
                .labelNames("sensor", "field")
                .callback(cb -> counts.latestStats().forEach((s, m) -> m.forEach((f, v) -> cb.call(v, s, f))))
                .register(registry);
        return new FleetMetrics(HTTPServer.builder().hostname(bind).port(port).registry(registry).buildAndStart());
    }

    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        server.close();
    }
}
