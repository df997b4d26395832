package io.mraflow.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.SerializableString;
import io.mraflow.flow.CommunityId;
import io.mraflow.flow.FlowRecord;
import io.mraflow.rules.FlowVerdict;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;

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

    static {
        for (ConnField f : ConnField.values()) {
            NAMES[f.ordinal()] = new SerializedString(f.jsonName());
        }
    }

    private final JsonGenerator json;
    private final CommunityId communityId = new CommunityId();
    private final char[] time = new char[EpochTime.MAX_CHARS];
    private final char[] address = new char[AddressFormat.MAX_CHARS];

    public FlowJsonWriter(OutputStream out) {
        try {
            JsonFactory factory = JsonFactory.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
            this.json = factory.createGenerator(out);
            json.setCharacterEscapes(AsciiOnly.INSTANCE);
            json.setRootValueSeparator(new SerializedString("\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void write(FlowVerdict v) {
        final FlowRecord f = v.flow();
        try {
            json.writeStartObject();
            writeTime(ConnField.TS, f.tsNanos());
            writeTime(ConnField.LAST_TS, f.lastTsNanos());
            writeTime(ConnField.DURATION, Math.max(0, f.lastTsNanos() - f.tsNanos()));
            writeString(ConnField.PROTO, f.ipProto() == 6 ? "tcp" : "udp");
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
            writeString(ConnField.COMMUNITY_ID, communityId.of(f));
            writeNumber(ConnField.ICMP_ERRORS, f.icmpErrors());
            writeString(ConnField.ICMP_LAST, f.icmpErrors() > 0
                    ? f.lastIcmpType() + "/" + f.lastIcmpCode() + " from " + AddressFormat.format(f.icmpFromHi(), f.icmpFromLo())
                    : null);
            writeString(ConnField.ROW, v.row());
            writeString(ConnField.PURPOSE, v.purpose());
            writeString(ConnField.BASIS, v.basis());
            writeString(ConnField.ORIG_ROLE, v.origRole());
            writeString(ConnField.RESP_ROLE, v.respRole());
            writeString(ConnField.APP_PROTO, v.appProto());
            writeString(ConnField.SNI, v.sni());
            writeFindings(ConnField.FINDINGS, v.findings());
            writeFindings(ConnField.ALLOWED, v.allowed());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A time or duration as a bare JSON number with a six-digit fraction ({@link EpochTime}). */
    private void writeTime(ConnField field, long nanos) throws IOException {
        json.writeFieldName(NAMES[field.ordinal()]);
        final int start = EpochTime.write(nanos, time);
        json.writeNumber(time, start, time.length - start);
    }

    /** An address as a JSON string, in {@link AddressFormat}'s form. */
    private void writeAddress(ConnField field, long hi, long lo) throws IOException {
        json.writeFieldName(NAMES[field.ordinal()]);
        json.writeString(address, 0, AddressFormat.write(hi, lo, address));
    }

    /** A string field; null writes JSON null. */
    private void writeString(ConnField field, String value) throws IOException {
        json.writeFieldName(NAMES[field.ordinal()]);
        json.writeString(value);
    }

    private void writeNumber(ConnField field, long value) throws IOException {
        json.writeFieldName(NAMES[field.ordinal()]);
        json.writeNumber(value);
    }

    private void writeFindings(ConnField field, List<FlowVerdict.Finding> findings) throws IOException {
        json.writeFieldName(NAMES[field.ordinal()]);
        json.writeStartArray();
        for (FlowVerdict.Finding x : findings) {
            json.writeStartObject();
            json.writeFieldName(CODE);
            json.writeString(x.code().name());
            json.writeFieldName(SEVERITY);
            json.writeString(x.severity().label());
            json.writeFieldName(ROW);
            json.writeString(x.row());
            json.writeFieldName(MESSAGE);
            json.writeString(x.message());
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    /** Ends the last line. With no flow written nothing is written at all: a blank line is no JSON object. */
    @Override
    public void close() {
        try {
            if (json.getOutputContext().getEntryCount() > 0) {
                json.writeRaw('\n');
            }
            json.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** JSON's mandatory escapes plus DEL, so no control character reaches a terminal raw. */
    private static final class AsciiOnly extends CharacterEscapes {
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
        public SerializableString getEscapeSequence(int ch) {
            return null; // let Jackson write \\uXXXX
        }
    }
}
