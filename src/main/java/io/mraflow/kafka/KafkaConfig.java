package io.mraflow.kafka;

import java.nio.file.Path;

/**
 * Where and how a sensor sends its events: the brokers ({@code --kafka}), the topic, the spool's
 * directory and bound, how long to wait for the broker at exit, and the sender's queue in events.
 * The command line's options are checked in {@code cli/KafkaOptions}.
 */
public record KafkaConfig(String bootstrap, String topic, Path spoolDir, long spoolMaxBytes, int waitSeconds, int queueEvents) {
    public static final int DEFAULT_SPOOL_MAX_MB = 256;
}
