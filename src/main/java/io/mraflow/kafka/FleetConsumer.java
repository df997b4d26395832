package io.mraflow.kafka;

import org.apache.kafka.clients.consumer.CloseOptions;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * {@code fleet}'s consumer: one member of a consumer group on the events topic (several share its
 * partitions), reading from the group's committed offsets (the earliest for a new group). Each
 * record is counted ({@link FleetCounts}) and handed to {@code onEvent}; offsets are committed after
 * each batch and before partitions are handed to another member, so that, in a clean run, every event
 * is counted once across the group.
 */
public final class FleetConsumer implements AutoCloseable {
    /** Handed every event consumed: its sensor (header), its parsed fields (null: not a JSON object) and its line. */
    public interface Listener {
        void event(String sensor, FleetCounts.Parsed parsed, byte[] line);
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final FleetCounts counts;
    private volatile boolean stop;

    public FleetConsumer(final String bootstrap, final String topic, final String group, final FleetCounts counts) {
        final Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "mraflow-fleet");
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        this.counts = counts;
        consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(final Collection<TopicPartition> partitions) {
                consumer.commitSync(); // what was counted is not counted again by the next owner
            }

            @Override
            public void onPartitionsAssigned(final Collection<TopicPartition> partitions) {
            }
        });
    }

    /**
     * Consumes until {@link #stop} or, with {@code idle} not null, until that long passes without an
     * event (counted from the start, then from the last event).
     */
    public void run(final Duration idle, final Listener listener) {
        long last = System.nanoTime();
        try {
            while (!stop) {
                final ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, byte[]> r : records) {
                    final String sensor = header(r, "sensor");
                    final FleetCounts.Parsed parsed = FleetCounts.parse(r.value());
                    counts.add(sensor, parsed != null ? parsed
                            : new FleetCounts.Parsed(header(r, "event_type"), null, null, null, null, null, java.util.Map.of(),
                            List.of(), false));
                    listener.event(sensor, parsed, r.value());
                }
                if (!records.isEmpty()) {
                    consumer.commitSync();
                    last = System.nanoTime();
                } else if (idle != null && System.nanoTime() - last > idle.toNanos()) {
                    break;
                }
            }
        } catch (WakeupException e) {
            // stop() from another thread
        }
    }

    private static String header(final ConsumerRecord<?, ?> r, final String name) {
        final Header h = r.headers().lastHeader(name);
        return h == null ? "unknown" : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Ends {@link #run} (any thread: a signal handler). */
    public void stop() {
        stop = true;
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }

    static long nanos(final long seconds) {
        return TimeUnit.SECONDS.toNanos(seconds);
    }
}
