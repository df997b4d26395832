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
    private final JsonGenerator json;
    private final CommunityId communityId = new CommunityId();

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
            json.writeFieldName(ConnField.TS.jsonName());
            json.writeNumber(EpochTime.seconds(f.tsNanos()));
            json.writeFieldName(ConnField.LAST_TS.jsonName());
            json.writeNumber(EpochTime.seconds(f.lastTsNanos()));
            json.writeFieldName(ConnField.DURATION.jsonName());
            json.writeNumber(EpochTime.duration(f.lastTsNanos() - f.tsNanos()));
            json.writeStringField(ConnField.PROTO.jsonName(), f.ipProto() == 6 ? "tcp" : "udp");
            json.writeStringField(ConnField.ORIG_H.jsonName(), AddressFormat.format(f.origHi(), f.origLo()));
            json.writeNumberField(ConnField.ORIG_P.jsonName(), f.origPort());
            json.writeStringField(ConnField.RESP_H.jsonName(), AddressFormat.format(f.respHi(), f.respLo()));
            json.writeNumberField(ConnField.RESP_P.jsonName(), f.respPort());
            json.writeNumberField(ConnField.ORIG_PKTS.jsonName(), f.origPkts());
            json.writeNumberField(ConnField.RESP_PKTS.jsonName(), f.respPkts());
            json.writeNumberField(ConnField.ORIG_IP_BYTES.jsonName(), f.origIpBytes());
            json.writeNumberField(ConnField.RESP_IP_BYTES.jsonName(), f.respIpBytes());
            json.writeNumberField(ConnField.ORIG_BYTES.jsonName(), f.origBytes());
            json.writeNumberField(ConnField.RESP_BYTES.jsonName(), f.respBytes());
            json.writeNumberField(ConnField.ORIG_WIRE_BYTES.jsonName(), f.origWireBytes());
            json.writeNumberField(ConnField.RESP_WIRE_BYTES.jsonName(), f.respWireBytes());
            json.writeStringField(ConnField.CONN_STATE.jsonName(), f.connState());
            json.writeStringField(ConnField.HISTORY.jsonName(), f.history());
            json.writeStringField(ConnField.COMMUNITY_ID.jsonName(), communityId.of(f));
            json.writeNumberField(ConnField.ICMP_ERRORS.jsonName(), f.icmpErrors());
            if (f.icmpErrors() > 0) {
                json.writeStringField(ConnField.ICMP_LAST.jsonName(), f.lastIcmpType() + "/" + f.lastIcmpCode()
                        + " from " + AddressFormat.format(f.icmpFromHi(), f.icmpFromLo()));
            } else {
                json.writeNullField(ConnField.ICMP_LAST.jsonName());
            }
            json.writeStringField(ConnField.ROW.jsonName(), v.row());
            json.writeStringField(ConnField.PURPOSE.jsonName(), v.purpose());
            json.writeStringField(ConnField.BASIS.jsonName(), v.basis());
            json.writeStringField(ConnField.ORIG_ROLE.jsonName(), v.origRole());
            json.writeStringField(ConnField.RESP_ROLE.jsonName(), v.respRole());
            json.writeStringField(ConnField.APP_PROTO.jsonName(), v.appProto());
            json.writeStringField(ConnField.SNI.jsonName(), v.sni());
            writeFindings(ConnField.FINDINGS, v.findings());
            writeFindings(ConnField.ALLOWED, v.allowed());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeFindings(ConnField field, List<FlowVerdict.Finding> findings) throws IOException {
        json.writeArrayFieldStart(field.jsonName());
        for (FlowVerdict.Finding x : findings) {
            json.writeStartObject();
            json.writeStringField("code", x.code().name());
            json.writeStringField("severity", x.severity().label());
            json.writeStringField("row", x.row());
            json.writeStringField("message", x.message());
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    @Override
    public void close() {
        try {
            json.writeRaw('\n');
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
