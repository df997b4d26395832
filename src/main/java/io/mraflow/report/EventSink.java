package io.mraflow.report;

/**
 * Where each finished JSON line also goes ({@code --kafka}): {@link FlowJsonWriter} hands it every
 * line it completes, {@code analyze}'s and {@code watch}'s alike, with the line's event type and,
 * for an event about a flow, the flow's Community ID. The bytes are the line without its newline,
 * valid only during the call (the writer reuses its buffer): an implementation copies what it keeps.
 */
public interface EventSink {
    /**
     * @param eventType   {@code flow}, {@code finding}, {@code stats}, {@code summary}, ...
     * @param communityId the flow's Community ID, or null for an event not about one flow
     */
    void event(String eventType, String communityId, byte[] line, int offset, int length);
}
