package io.mraflow.kafka;

/**
 * One event on its way to Kafka: its type ({@code flow}, {@code finding}, {@code stats}, ...), its
 * record key (the flow's Community ID, or the sensor for events not about one flow) and its JSON line.
 */
public record Event(String type, String key, byte[] value) {
    /** Findings are the last events the spool gives up. */
    boolean isFinding() {
        return "finding".equals(type);
    }

    /** Bytes it takes in a spool file. */
    int spoolBytes() {
        return 2 + type.length() + 2 + key.length() + 4 + value.length;
    }
}
