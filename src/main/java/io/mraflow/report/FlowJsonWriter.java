package io.mraflow.report;

import io.mraflow.decode.IpProto;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.SerializableString;
import io.mraflow.flow.FlowRecord;
import io.mraflow.inspect.RtpStream;
import io.mraflow.rules.FindingCode;
import io.mraflow.rules.Verdict;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Writes flows as JSON lines: one object per flow, one flow per line, fields as {@link ConnField}
 * documents them. Strings taken from packets go through Jackson's escaping, with every
 * non-ASCII and control character escaped so a line is always one printable ASCII line.
 */
public final class FlowJsonWriter implements AutoCloseable {
    /** Field names encoded once: Jackson copies their bytes instead of encoding 30 names a flow. */
    private static final SerializedString[] NAMES = new SerializedString[ConnField.values().length];
    private static final SerializedString CODE = new SerializedString("code");
    private static final SerializedString SEVERITY = new SerializedString("severity");
    private static final SerializedString ROW = new SerializedString("row");
    private static final SerializedString MESSAGE = new SerializedString("message");
    private static final SerializedString WIRESHARK_FILTER = new SerializedString("wireshark_filter");

    static {
        for (ConnField f : ConnField.values()) {
            NAMES[f.ordinal()] = new SerializedString(f.jsonName());
        }
    }

    private static final SerializedString FINDING = new SerializedString("finding");
    private static final SerializedString STREAMS = new SerializedString("streams");
    private static final SerializedString SSRC_CHANGES = new SerializedString("ssrc_changes");

    private final JsonGenerator json;
    private final StringBuilder plainFilter = new StringBuilder(512);
    private final StringBuilder icmpFilter = new StringBuilder(512);
    private char[] filterChars = new char[512];
    /** The sensor's name on every line ({@code watch}), or null ({@code analyze}: no sensor, no interface). */
    private final String sensor;
    private final CommunityId communityId = new CommunityId();
    private final char[] time = new char[EpochTime.MAX_CHARS];
    private final char[] address = new char[AddressFormat.MAX_CHARS];
    /** {@code --kafka}: each finished line is also handed here (null: lines go to {@code out} only). */
    private final EventSink eventSink;
    /** With an event sink: the line being written, copied to {@code out} and handed to the sink when it is whole. */
    private final LineBuffer line;
    /** Where lines go with an event sink (null: to the sink only). */
    private final OutputStream out;
    /** The Community ID of the flow of the line being written (null for other events). */
    private String lineCommunityId;

    /** Flow lines of {@code analyze}: {@code "event_type":"flow"}, no sensor or interface. */
    public FlowJsonWriter(final OutputStream out) {
        this(out, null);
    }

    /** Event lines of {@code watch}: every line names {@code sensor} and the interface. */
    public FlowJsonWriter(final OutputStream out, final String sensor) {
        this(out, sensor, null);
    }

    /**
     * As above, and each finished line is also handed to {@code eventSink} (when not null); {@code out}
     * may then be null (the lines go to the sink only). The lines written to {@code out} are the same.
     */
    public FlowJsonWriter(final OutputStream out, final String sensor, final EventSink eventSink) {
        this.sensor = sensor;
        this.eventSink = eventSink;
        this.out = out;
        this.line = eventSink == null ? null : new LineBuffer();
        try {
            JsonFactory factory = JsonFactory.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
            this.json = factory.createGenerator(eventSink == null ? out : line);
            json.setCharacterEscapes(AsciiOnly.INSTANCE);
            // Lines of analyze are separated as they are written; events end their line at flush().
            // With an event sink every line is ended as it is finished (endLine).
            json.setRootValueSeparator(new SerializedString(sensor == null && eventSink == null ? "\n" : ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A flow line ({@code "event_type":"flow"}). */
    public void write(final Verdict v) {
        write(v, "flow", null, null);
    }

    /**
     * An event about a flow: {@code eventType} ("flow" or "finding"), the interface it was seen on
     * (with a sensor), and for a finding event the finding it earned (also among its findings).
     */
    public void write(final Verdict v, final String eventType, final String iface, final Verdict.Finding finding) {
        final FlowRecord f = v.flow();
        try {
            startEvent(eventType, iface);
            writeTime(ConnField.TS, f.tsNanos());
            writeTime(ConnField.LAST_TS, f.lastTsNanos());
            writeTime(ConnField.DURATION, Math.max(0, f.lastTsNanos() - f.tsNanos()));
            writeString(ConnField.PROTO, f.ipProto() == IpProto.TCP ? "tcp" : "udp");
            writeAddress(ConnField.ORIG_H, f.origHi(), f.origLo());
            writeNumber(ConnField.ORIG_P, f.origPort());
            writeAddress(ConnField.RESP_H, f.respHi(), f.respLo());
            writeNumber(ConnField.RESP_P, f.respPort());
            writeNumber(ConnField.ORIG_PKTS, f.origPkts());
            writeNumber(ConnField.RESP_PKTS, f.respPkts());
            writeNumber(ConnField.ORIG_IP_BYTES, f.origIpBytes());
            writeNumber(ConnField.RESP_IP_BYTES, f.respIpBytes());
            writeNumber(ConnField.ORIG_BYTES, f.origBytes());
            writeNumber(ConnField.RESP_BYTES, f.respBytes());
            writeNumber(ConnField.ORIG_WIRE_BYTES, f.origWireBytes());
            writeNumber(ConnField.RESP_WIRE_BYTES, f.respWireBytes());
            writeString(ConnField.CONN_STATE, f.connState());
            writeString(ConnField.HISTORY, f.history());
            writeString(ConnField.ENDED, f.ended().label());
            lineCommunityId = communityId.of(f);
            writeString(ConnField.COMMUNITY_ID, lineCommunityId);
            writeNumber(ConnField.ICMP_ERRORS, f.icmpErrors());
            writeString(ConnField.ICMP_LAST, f.icmpErrors() > 0
                    ? f.lastIcmpType() + "/" + f.lastIcmpCode() + " from " + AddressFormat.format(f.icmpFromHi(), f.icmpFromLo())
                    : null);
            writeString(ConnField.ROW, v.row());
            writeString(ConnField.PURPOSE, v.purpose());
            writeString(ConnField.BASIS, v.basis());
            writeString(ConnField.ORIG_ROLE, v.origRole());
            writeString(ConnField.RESP_ROLE, v.respRole());
            writeString(ConnField.CONFIDENCE, v.confidence());
            writeString(ConnField.APP_PROTO, v.appProto());
            writeStrings(ConnField.APP_PROTOS, v.appProtos());
            writeString(ConnField.SNI, v.sni());
            writeString(ConnField.SERVER_NAME, v.serverName());
            writeString(ConnField.DNS_QUERY, v.dnsQuery());
            writeStrings(ConnField.DNS_ANSWERS, v.dnsAnswers());
            writeRtp(v);
            writeFindings(ConnField.FINDINGS, v.findings(), f);
            writeFindings(ConnField.ALLOWED, v.allowed(), f);
            if (finding != null) {
                json.writeFieldName(FINDING);
                writeFinding(finding, WiresharkFilter.of(f, finding.code() == FindingCode.ICMP_UNREACHABLE));
            }
            json.writeEndObject();
            endLine(eventType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens a line: its event type, and with a sensor the sensor and the interface. */
    private void startEvent(final String eventType, final String iface) throws IOException {
        json.writeStartObject();
        writeString(ConnField.EVENT_TYPE, eventType);
        if (sensor != null) {
            writeString(ConnField.SENSOR, sensor);
            writeString(ConnField.IFACE, iface);
        }
    }

    /** A time or duration as a bare JSON number with a six-digit fraction ({@link EpochTime}). */
    private void writeTime(final ConnField field, final long nanos) throws IOException {
        json.writeFieldName(NAMES[field.ordinal()]);
        final int start = EpochTime.write(nanos, time);
        json.writeNumber(time, start, time.length - start);
    }

    /** An address as a JSON string, in {@link AddressFormat}'s form. */
    private void writeAddress(final ConnField field, final long hi, final long lo) throws IOException {
        json.writeFieldName(NAMES[field.ordinal()]);
        json.writeString(address, 0, AddressFormat.write(hi, lo, address));
    }

    /** A string field; null writes JSON null. */
    private void writeString(final ConnField field, final String value) throws IOException {
        json.writeFieldName(NAMES[field.ordinal()]);
        json.writeString(value);
    }

    /** A list of strings as a JSON array (strings from the wire are escaped by the generator). */
    private void writeStrings(final ConnField field, final List<String> values) throws IOException {
        json.writeFieldName(NAMES[field.ordinal()]);
        json.writeStartArray();
        for (String x : values) {
            json.writeString(x);
        }
        json.writeEndArray();
    }

    private void writeNumber(final ConnField field, final long value) throws IOException {
        json.writeFieldName(NAMES[field.ordinal()]);
        json.writeNumber(value);
    }

    /**
     * The flow's RTP streams ({@link RtpRows}), or null. Each stream's fields are documented in the
     * README's "RTP quality"; figures in ms are rounded to the microsecond, null where they need a
     * clock rate that was not known (a dynamic payload type without {@code --rtp-clock}).
     */
    private void writeRtp(final Verdict v) throws IOException {
        json.writeFieldName(NAMES[ConnField.RTP.ordinal()]);
        final List<RtpRows.Row> rows = RtpRows.of(v);
        if (rows.isEmpty()) {
            json.writeNull();
            return;
        }
        json.writeStartObject();
        json.writeFieldName(STREAMS);
        json.writeStartArray();
        for (RtpRows.Row row : rows) {
            final RtpStream s = row.stream();
            final boolean clock = s.clockRate() != 0;
            json.writeStartObject();
            json.writeStringField("direction", row.direction());
            json.writeStringField("ssrc", RtpRows.ssrc(s));
            json.writeNumberField("payload_type", s.payloadType());
            writeNumberOrNull("clock_rate", clock, s.clockRate());
            json.writeNumberField("packets", s.packets);
            json.writeNumberField("expected", s.expected());
            json.writeNumberField("lost", s.lost());
            json.writeNumberField("seq_errors", s.seqErrors());
            json.writeNumberField("duplicates", s.duplicates());
            json.writeNumberField("max_delta_ms", RtpRows.round(s.maxDeltaMs()));
            json.writeNumberField("mean_delta_ms", RtpRows.round(s.meanDeltaMs()));
            writeNumberOrNull("jitter_ms", clock, s.jitterMs());
            writeNumberOrNull("jitter_max_ms", clock, s.maxJitterMs());
            writeNumberOrNull("jitter_mean_ms", clock, s.meanJitterMs());
            writeNumberOrNull("jitter_p50_ms", clock, s.jitterPercentileMs(50));
            writeNumberOrNull("jitter_p95_ms", clock, s.jitterPercentileMs(95));
            writeNumberOrNull("jitter_p99_ms", clock, s.jitterPercentileMs(99));
            json.writeFieldName("rtcp");
            if (s.rtcpSeen()) {
                json.writeStartObject();
                json.writeNumberField("fraction_lost", s.rtcpFractionLost());
                json.writeNumberField("cumulative_lost", s.rtcpCumulativeLost());
                writeNumberOrNull("jitter_ms", clock, s.rtcpJitterMs());
                json.writeEndObject();
            } else {
                json.writeNull();
            }
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeFieldName(SSRC_CHANGES);
        json.writeNumber(RtpRows.ssrcChanges(v));
        json.writeEndObject();
    }

    private void writeNumberOrNull(final String name, final boolean present, final double ms) throws IOException {
        json.writeFieldName(name);
        if (present && !Double.isNaN(ms)) {
            json.writeNumber(RtpRows.round(ms));
        } else {
            json.writeNull();
        }
    }

    private void writeNumberOrNull(final String name, final boolean present, final int value) throws IOException {
        json.writeFieldName(name);
        if (present) {
            json.writeNumber(value);
        } else {
            json.writeNull();
        }
    }

    private void writeFindings(final ConnField field, final List<Verdict.Finding> findings, final FlowRecord flow) throws IOException {
        json.writeFieldName(NAMES[field.ordinal()]);
        json.writeStartArray();
        // one filter per flow (and one with its ICMP errors), built in reused buffers: most flagged
        // flows have two findings or more, and a filter is a few hundred characters
        plainFilter.setLength(0);
        icmpFilter.setLength(0);
        for (Verdict.Finding x : findings) {
            final boolean icmp = x.code() == FindingCode.ICMP_UNREACHABLE;
            final StringBuilder filter = icmp ? icmpFilter : plainFilter;
            if (filter.length() == 0) {
                WiresharkFilter.appendTo(filter, flow, icmp);
            }
            writeFinding(x, filter);
        }
        json.writeEndArray();
    }

    /** A finding object: code, severity, row, message, and the filter that opens its flow in Wireshark. */
    private void writeFinding(final Verdict.Finding x, final CharSequence wiresharkFilter) throws IOException {
        json.writeStartObject();
        json.writeFieldName(CODE);
        json.writeString(x.code().name());
        json.writeFieldName(SEVERITY);
        json.writeString(x.severity().label());
        json.writeFieldName(ROW);
        json.writeString(x.row());
        json.writeFieldName(MESSAGE);
        json.writeString(x.message());
        json.writeFieldName(WIRESHARK_FILTER);
        final int n = wiresharkFilter.length();
        if (filterChars.length < n) {
            filterChars = new char[Math.max(n, 2 * filterChars.length)];
        }
        for (int i = 0; i < n; i++) {
            filterChars[i] = wiresharkFilter.charAt(i);
        }
        json.writeString(filterChars, 0, n);
        json.writeEndObject();
    }

    /**
     * An event that is not about one flow ({@code stats}, {@code interface}): {@code event_type},
     * {@code ts} (now), the sensor and interface, then {@code fields} in their order: strings,
     * numbers, booleans, nulls, and maps and lists of them, encoded by Jackson.
     */
    public void writeEvent(final String eventType, final long tsNanos, final String iface, final Map<String, ?> fields) {
        try {
            startEvent(eventType, iface);
            writeTime(ConnField.TS, tsNanos);
            for (Map.Entry<String, ?> e : fields.entrySet()) {
                json.writeFieldName(e.getKey());
                writeValue(e.getValue());
            }
            json.writeEndObject();
            lineCommunityId = null;
            endLine(eventType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeValue(final Object v) throws IOException {
        if (v == null) {
            json.writeNull();
        } else if (v instanceof String s) {
            json.writeString(s);
        } else if (v instanceof Long || v instanceof Integer) {
            json.writeNumber(((Number) v).longValue());
        } else if (v instanceof Number n) {
            json.writeNumber(n.doubleValue());
        } else if (v instanceof Boolean b) {
            json.writeBoolean(b);
        } else if (v instanceof Map<?, ?> m) {
            json.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                json.writeFieldName(String.valueOf(e.getKey()));
                writeValue(e.getValue());
            }
            json.writeEndObject();
        } else if (v instanceof Iterable<?> list) {
            json.writeStartArray();
            for (Object x : list) {
                writeValue(x);
            }
            json.writeEndArray();
        } else {
            json.writeString(v.toString());
        }
    }

    /** Ends an event's line and hands it to the stream ({@code watch}: flushed per event, so a reader sees whole lines). */
    public void flush() {
        try {
            if (eventSink != null) {
                if (out != null) {
                    out.flush(); // the line is already ended (endLine); an event file rotates here
                }
                return;
            }
            json.writeRaw('\n');
            json.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** With an event sink: the finished line goes to the sink and, with its newline, to {@code out}. */
    private void endLine(final String eventType) throws IOException {
        if (eventSink == null) {
            return;
        }
        json.flush(); // into the line buffer only
        eventSink.event(eventType, lineCommunityId, line.bytes(), 0, line.size());
        if (out != null) {
            line.write('\n');
            out.write(line.bytes(), 0, line.size());
        }
        line.reset();
    }

    @Override
    public void close() {
        try {
            if (eventSink != null) {
                json.close();
                if (out != null) {
                    out.close();
                }
                return;
            }
            // Jackson separates root values; the last line's newline is ours, and without a line
            // there is none to end (the root context counts the objects written). Events end
            // their own lines at flush().
            if (sensor == null && json.getOutputContext().getEntryCount() > 0) {
                json.writeRaw('\n');
            }
            json.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A reusable line buffer whose bytes are read in place. */
    private static final class LineBuffer extends java.io.ByteArrayOutputStream {
        LineBuffer() {
            super(4096);
        }

        byte[] bytes() {
            return buf;
        }
    }

    /** JSON's mandatory escapes plus DEL, so no control character reaches a terminal raw. */
    private static final class AsciiOnly extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        static final AsciiOnly INSTANCE = new AsciiOnly();
        private final int[] table;

        private AsciiOnly() {
            table = standardAsciiEscapesForJSON();
            table[0x7f] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return table;
        }

        @Override
        public SerializableString getEscapeSequence(final int ch) {
            return null; // let Jackson write \\uXXXX
        }
    }
}
