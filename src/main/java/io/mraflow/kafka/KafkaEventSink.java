package io.mraflow.kafka;

import io.mraflow.report.EventSink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code --kafka}: every JSON line, produced to a Kafka topic by kafka-clients' idempotent producer
 * ({@code acks=all}, lz4), keyed by the flow's Community ID (a flow's {@code finding} and {@code flow}
 * events stay in order on one partition) or, for other events, by the sensor; headers {@code sensor}
 * and {@code event_type}.
 *
 * <p>The writer's thread only copies the line into a bounded queue ({@link #event}); one sender
 * thread of its own takes it from there. {@code watch} never waits: a full queue drops the event,
 * counted. {@code analyze} (its report stage, after the packets) waits for room instead.
 *
 * <p>The sender hands events to the producer while the broker keeps up. When at most
 * {@link #MAX_UNACKED} events wait for their acknowledgement and none has come for
 * {@link #STALL_NANOS}, or the producer cannot reach the broker at all, the broker is taken for
 * unreachable: the events already in the producer stay there (it retries them, idempotently, in
 * order) and every new event goes to the {@link Spool} on disk, behind what it holds. Once the
 * producer has nothing unacknowledged, the spool is sent, oldest segment first, one segment at a
 * time; events go to the producer directly again only when the spool is empty. Events that fail in
 * flight (the producer gave up, or was closed at exit with the broker still away) go back to the
 * front of the spool. So per key the order is the order written, and what the broker acknowledged
 * is never sent again; what was left at exit is sent by the next run with the same spool.
 */
public final class KafkaEventSink implements EventSink, AutoCloseable {
    /** Events sent and not yet acknowledged before the sender stops handing the producer more. */
    static final int MAX_UNACKED = 8192;
    /** No acknowledgement for this long, with events waiting for one: the broker is taken for away. */
    static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** A send() that took this long waited for metadata the broker did not give: it is away. */
    static final long SLOW_SEND_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /** Between two attempts to send the spool while the broker is away. */
    static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final String topic;
    private final String sensor;
    private final byte[] sensorBytes;
    private final boolean waitWhenFull;
    private final ArrayBlockingQueue<Event> queue;
    private final KafkaProducer<String, byte[]> producer;
    private final Spool spool;
    private final Thread thread;
    private final ConcurrentLinkedQueue<long[]> completions = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Exception> errors = new ConcurrentLinkedQueue<>();
    private volatile boolean closing;
    private volatile long closeDeadline;
    private volatile boolean done;

    // Sender thread only.
    private final Map<Long, Event> inFlight = new HashMap<>();
    private final TreeMap<Long, Event> failedDirect = new TreeMap<>();
    private long nextId;
    private long lastProgress = System.nanoTime();
    private long nextReplay = System.nanoTime();
    /** The spool segment being sent: its events by id, and those that failed or were not sent. */
    private Map<Long, Integer> replayIds;
    private List<Event> replay;
    private final TreeMap<Integer, Event> replayLeft = new TreeMap<>();

    // Counters: written by the sender thread (and the queue's writer), read by any.
    private final AtomicLong produced = new AtomicLong();
    private final AtomicLong replayed = new AtomicLong();
    private final AtomicLong droppedQueueFull = new AtomicLong();
    private final AtomicLong deliveryErrors = new AtomicLong();
    private final AtomicLong spoolBytes = new AtomicLong();
    private final AtomicLong spoolEvents = new AtomicLong();
    private final AtomicLong spooledTotal = new AtomicLong();
    private volatile Map<String, Long> droppedSpoolFull = Map.of();
    private volatile String lastError;
    private volatile boolean brokerAway;
    /** When the first event was handed over, and when the latest acknowledgement came (the events rate). */
    private volatile long firstEventNanos;
    private volatile long lastAckNanos;

    /**
     * @param config       brokers, topic, spool
     * @param sensor       the {@code sensor} header, and the key of events not about one flow
     * @param waitWhenFull wait for room in the queue ({@code analyze}) instead of dropping ({@code watch})
     * @throws IOException the spool directory cannot be used (the message says why)
     */
    public KafkaEventSink(final KafkaConfig config, final String sensor, final boolean waitWhenFull) throws IOException {
        this.topic = config.topic();
        this.sensor = sensor;
        this.sensorBytes = sensor.getBytes(StandardCharsets.UTF_8);
        this.waitWhenFull = waitWhenFull;
        this.queue = new ArrayBlockingQueue<>(config.queueEvents());
        this.spool = new Spool(config.spoolDir(), config.spoolMaxBytes());
        this.producer = new KafkaProducer<>(producerProperties(config, sensor), new StringSerializer(), new ByteArraySerializer());
        publishSpool();
        this.thread = new Thread(this::run, "mraflow-kafka");
        thread.setDaemon(true);
        thread.start();
    }

    static Properties producerProperties(final KafkaConfig config, final String sensor) {
        final Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrap());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "mraflow-" + sensor.replaceAll("[^A-Za-z0-9._-]", "_"));
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(128 << 10));
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(32 << 20));
        // never blocks the sender long: without metadata (broker away at start) send() fails fast and the event is spooled
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000");
        p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
        return p;
    }

    @Override
    public void event(final String eventType, final String communityId, final byte[] line, final int offset, final int length) {
        if (firstEventNanos == 0) {
            firstEventNanos = System.nanoTime();
        }
        final byte[] copy = new byte[length];
        System.arraycopy(line, offset, copy, 0, length);
        final Event e = new Event(eventType, communityId != null ? communityId : sensor, copy);
        if (waitWhenFull) {
            try {
                while (!queue.offer(e, 100, TimeUnit.MILLISECONDS)) {
                    if (done) { // the sender stopped (its spool failed: lastError): nobody will take it
                        droppedQueueFull.incrementAndGet();
                        return;
                    }
                }
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
                droppedQueueFull.incrementAndGet();
            }
        } else if (!queue.offer(e)) {
            droppedQueueFull.incrementAndGet();
        }
    }

    private void run() {
        try {
            // metadata first (a new topic is created here, which a busy broker may take seconds to do): the
            // first send does not wait for it; events queue meanwhile
            for (int attempt = 0; attempt < 5 && !closing; attempt++) {
                try {
                    producer.partitionsFor(topic);
                    brokerAway = false;
                    break;
                } catch (KafkaException e) {
                    noteError(e);
                    brokerAway = true;
                }
            }
            while (true) {
                handleCompletions();
                final long now = System.nanoTime();
                if (!inFlight.isEmpty() && now - lastProgress > STALL_NANOS) {
                    brokerAway = true; // nothing acknowledged for a while: new events wait on disk
                }
                final boolean spooling = !spool.isEmpty() || replay != null || !failedDirect.isEmpty()
                        || (brokerAway && !inFlight.isEmpty());
                if (!spooling) {
                    if (inFlight.size() < MAX_UNACKED) {
                        Event e = queue.poll(20, TimeUnit.MILLISECONDS);
                        for (int i = 0; e != null && send(e) && i < 1024 && inFlight.size() < MAX_UNACKED; i++) {
                            e = queue.poll();
                        }
                    } else {
                        Thread.sleep(1); // the broker is behind: the queue waits (analyze) or fills (watch)
                    }
                } else {
                    toSpool(1000);
                    if (inFlight.isEmpty() && !failedDirect.isEmpty()) {
                        spool.prepend(new ArrayList<>(failedDirect.values()));
                        failedDirect.clear();
                    }
                    if (replay == null && inFlight.isEmpty() && now - nextReplay >= 0 && !spool.isEmpty()) {
                        startReplay();
                    }
                    publishSpool();
                    if (queue.isEmpty()) {
                        Thread.sleep(5);
                    }
                }
                if (closing) {
                    final boolean empty = queue.isEmpty() && inFlight.isEmpty() && spool.isEmpty() && replay == null
                            && failedDirect.isEmpty();
                    if (empty || System.nanoTime() - closeDeadline >= 0) {
                        break;
                    }
                }
            }
            shutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            lastError = "spool: " + e.getMessage();
        } catch (RuntimeException e) {
            lastError = "sender stopped: " + e;
            throw e;
        } finally {
            done = true;
        }
    }

    /** Hands {@code e} to the producer; when it cannot take it (no broker known), to the spool. False then. */
    private boolean send(final Event e) throws IOException {
        final long id = nextId++;
        try {
            final long t = System.nanoTime();
            if (inFlight.isEmpty()) {
                lastProgress = t;
            }
            inFlight.put(id, e);
            // the callback, not the Future, carries the outcome: complete() sees every error
            @SuppressWarnings("FutureReturnValueIgnored")
            final var unused = producer.send(record(e), (meta, x) -> complete(id, x));
            if (System.nanoTime() - t > SLOW_SEND_NANOS) {
                brokerAway = true; // it waited for metadata: what follows goes to the spool
                return false;
            }
            return true;
        } catch (KafkaException x) {
            inFlight.remove(id);
            noteError(x);
            brokerAway = true;
            spool.append(e);
            spool.flush();
            publishSpool();
            return false;
        }
    }

    private ProducerRecord<String, byte[]> record(final Event e) {
        final RecordHeaders h = new RecordHeaders();
        h.add(new RecordHeader("sensor", sensorBytes));
        h.add(new RecordHeader("event_type", e.type().getBytes(StandardCharsets.US_ASCII)));
        return new ProducerRecord<>(topic, null, e.key(), e.value(), h);
    }

    /** The producer's callback (its I/O thread): only queued for the sender. */
    private void complete(final long id, final Exception x) {
        completions.add(new long[] {id, x == null ? 0 : 1});
        if (x != null) {
            errors.add(x);
        }
    }

    private void handleCompletions() throws IOException {
        long[] c;
        while ((c = completions.poll()) != null) {
            final long id = c[0];
            final boolean failed = c[1] != 0;
            final Event e = inFlight.remove(id);
            if (e == null) {
                continue;
            }
            final Integer replayIndex = replayIds == null ? null : replayIds.remove(id);
            if (failed) {
                deliveryErrors.incrementAndGet();
                brokerAway = true;
                if (replayIndex != null) {
                    replayLeft.put(replayIndex, e);
                } else {
                    failedDirect.put(id, e);
                }
                nextReplay = System.nanoTime() + RETRY_NANOS;
            } else {
                lastProgress = System.nanoTime();
                lastAckNanos = lastProgress;
                produced.incrementAndGet();
                brokerAway = false;
                if (replayIndex != null) {
                    replayed.incrementAndGet();
                }
            }
        }
        Exception x;
        while ((x = errors.poll()) != null) {
            noteError(x);
        }
        if (replayIds != null && replayIds.isEmpty()) {
            spool.replaceHead(new ArrayList<>(replayLeft.values()));
            replay = null;
            replayIds = null;
            replayLeft.clear();
            publishSpool();
        }
    }

    /** Sends the spool's first segment; what the producer refuses stays in it. */
    private void startReplay() throws IOException {
        replay = spool.head();
        replayIds = new HashMap<>();
        replayLeft.clear();
        for (int i = 0; i < replay.size(); i++) {
            final Event e = replay.get(i);
            final long id = nextId++;
            replayIds.put(id, i);
            inFlight.put(id, e);
            final long t = System.nanoTime();
            try {
                // the callback, not the Future, carries the outcome: complete() sees every error
                @SuppressWarnings("FutureReturnValueIgnored")
                final var unused = producer.send(record(e), (meta, x) -> complete(id, x));
            } catch (KafkaException x) {
                replayIds.remove(id);
                inFlight.remove(id);
                noteError(x);
                brokerAway = true;
                for (int j = i; j < replay.size(); j++) {
                    replayLeft.put(j, replay.get(j));
                }
                nextReplay = System.nanoTime() + RETRY_NANOS;
                break;
            }
            if (System.nanoTime() - t > SLOW_SEND_NANOS && i + 1 < replay.size()) {
                // it waited for metadata: the broker is still away; the rest of the segment waits too
                brokerAway = true;
                for (int j = i + 1; j < replay.size(); j++) {
                    replayLeft.put(j, replay.get(j));
                }
                nextReplay = System.nanoTime() + RETRY_NANOS;
                break;
            }
        }
        lastProgress = System.nanoTime();
        if (replayIds.isEmpty()) {
            spool.replaceHead(new ArrayList<>(replayLeft.values()));
            replay = null;
            replayIds = null;
            replayLeft.clear();
        }
        publishSpool();
    }

    /** Moves up to {@code max} queued events to the spool. */
    private void toSpool(final int max) throws IOException {
        for (int i = 0; i < max; i++) {
            final Event e = queue.poll();
            if (e == null) {
                break;
            }
            spool.append(e);
        }
        spool.flush();
    }

    /** At the deadline: whatever is left goes to the spool, in order, for the next run. */
    private void shutdown() throws IOException, InterruptedException {
        toSpool(Integer.MAX_VALUE);
        producer.close(Duration.ZERO); // aborts what the broker has not taken: their callbacks fail
        for (int i = 0; i < 500 && completions.size() < inFlight.size(); i++) {
            Thread.sleep(10); // the producer's thread calls the last callbacks
        }
        handleCompletions();
        if (!failedDirect.isEmpty()) {
            spool.prepend(new ArrayList<>(failedDirect.values()));
            failedDirect.clear();
        }
        publishSpool();
        spool.close();
    }

    private void publishSpool() {
        spoolBytes.set(spool.bytes());
        spoolEvents.set(spool.events());
        spooledTotal.set(spool.spooledTotal());
        droppedSpoolFull = new TreeMap<>(spool.dropped());
    }

    private void noteError(final Exception x) {
        lastError = x.getClass().getSimpleName() + ": " + x.getMessage();
    }

    /**
     * Sends what is queued and spooled, waiting at most {@code wait} for the broker; what is left then
     * stays in the spool for the next run. Returns the events left in the spool.
     */
    public long close(final Duration wait) {
        closeDeadline = System.nanoTime() + wait.toNanos();
        closing = true;
        try {
            thread.join(wait.toMillis() + 10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return spoolEvents.get();
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    /** The sender has stopped (closed, or its spool failed: {@link #lastError}). */
    public boolean stopped() {
        return done;
    }

    /** What the {@code stats} events and the metrics show of it. */
    public Map<String, Object> stats() {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("topic", topic);
        m.put("produced", produced.get());
        m.put("broker_reachable", !brokerAway);
        m.put("queued", (long) queue.size());
        m.put("spooled", spooledTotal.get());
        m.put("spool_events", spoolEvents.get());
        m.put("spool_bytes", spoolBytes.get());
        m.put("replayed_from_spool", replayed.get());
        m.put("dropped_queue_full", droppedQueueFull.get());
        m.put("dropped_spool_full", droppedSpoolFull);
        m.put("delivery_errors", deliveryErrors.get());
        m.put("last_error", lastError);
        return m;
    }

    /** Seconds from the first event handed over to the latest acknowledgement (0 before one). */
    public double producingSeconds() {
        final long first = firstEventNanos;
        final long last = lastAckNanos;
        return first == 0 || last <= first ? 0 : (last - first) / 1e9;
    }

    public long produced() {
        return produced.get();
    }

    public long spooledTotal() {
        return spooledTotal.get();
    }

    public long spoolBytes() {
        return spoolBytes.get();
    }

    public long spoolEvents() {
        return spoolEvents.get();
    }

    public long replayed() {
        return replayed.get();
    }

    public long droppedQueueFull() {
        return droppedQueueFull.get();
    }

    public Map<String, Long> droppedSpoolFull() {
        return droppedSpoolFull;
    }

    public boolean brokerReachable() {
        return !brokerAway;
    }

    public String lastError() {
        return lastError;
    }
}
