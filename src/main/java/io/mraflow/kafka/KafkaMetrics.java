package io.mraflow.kafka;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * {@code watch --kafka --metrics-port}: the sender's counters beside {@code watch}'s own.
 *
 * <pre>
 * mraflow_kafka_produced_total                    events the broker acknowledged
 * mraflow_kafka_spooled_total                     events written to the spool (broker unreachable)
 * mraflow_kafka_spool_bytes, _spool_events        what the spool holds now
 * mraflow_kafka_dropped_total{reason,event_type}  reason = queue_full (any type), spool_full (by type)
 * mraflow_kafka_broker_reachable                  1 while the broker acknowledges, 0 while events spool
 * </pre>
 */
public final class KafkaMetrics {
    private KafkaMetrics() {
    }

    public static void register(final PrometheusRegistry registry, final KafkaEventSink sink) {
        CounterWithCallback.builder().name("mraflow_kafka_produced_total").help("Events the Kafka broker acknowledged")
                .callback(cb -> cb.call(sink.produced())).register(registry);
        CounterWithCallback.builder().name("mraflow_kafka_spooled_total")
                .help("Events written to the spool on disk while the broker was unreachable")
                .callback(cb -> cb.call(sink.spooledTotal())).register(registry);
        GaugeWithCallback.builder().name("mraflow_kafka_spool_bytes").help("Bytes the spool holds now")
                .callback(cb -> cb.call(sink.spoolBytes())).register(registry);
        GaugeWithCallback.builder().name("mraflow_kafka_spool_events").help("Events the spool holds now")
                .callback(cb -> cb.call(sink.spoolEvents())).register(registry);
        CounterWithCallback.builder().name("mraflow_kafka_dropped_total")
                .help("Events dropped: the sender's queue full, or the spool past its bound (findings last)")
                .labelNames("reason", "event_type")
                .callback(cb -> {
                    cb.call(sink.droppedQueueFull(), "queue_full", "any");
                    sink.droppedSpoolFull().forEach((type, n) -> cb.call(n, "spool_full", type));
                }).register(registry);
        GaugeWithCallback.builder().name("mraflow_kafka_broker_reachable")
                .help("1 while the broker acknowledges events, 0 while they go to the spool")
                .callback(cb -> cb.call(sink.brokerReachable() ? 1 : 0)).register(registry);
    }
}
