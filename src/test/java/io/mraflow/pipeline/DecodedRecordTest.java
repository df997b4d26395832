package io.mraflow.pipeline;

import io.mraflow.capture.CaptureFiles;
import io.mraflow.capture.CapturedPacket;
import io.mraflow.capture.PacketSource;
import io.mraflow.decode.PacketDecoder;
import io.mraflow.decode.PacketView;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A decoded record gives the worker the view the capture thread decoded: every public field of
 * {@link PacketView} but its buffer (found by reflection, so a field added later is checked too),
 * for every packet of captures with tunnels, fragments, ICMP errors and IPv6, and over a record
 * whose fields were set to other values before.
 */
class DecodedRecordTest {
    private static final List<Path> CAPTURES = List.of(Path.of("pcaps/mra-sample.pcapng"),
            Path.of("src/test/resources/captures/ndpi/dns_fragmented.pcap"),
            Path.of("src/test/resources/captures/zeek/icmp/icmp-destunreach-udp.pcap"),
            Path.of("src/test/resources/captures/heplify/erspan_sip_ipv4_udp.pcapng"),
            Path.of("src/test/resources/captures/heplify/sip_ipv6_udp.pcap"));

    @Test
    void everyFieldCrossesOverForEveryPacket() throws Exception {
        final PacketDecoder decoder = new PacketDecoder();
        final PacketView decoded = new PacketView();
        final PacketView read = new PacketView();
        final UnsafeBuffer record = new UnsafeBuffer(ByteBuffer.allocateDirect(DecodedRecord.MAX_LENGTH + 8));
        final CapturedPacket p = new CapturedPacket();
        long packets = 0;
        long quoted = 0;
        for (Path capture : CAPTURES) {
            try (PacketSource s = CaptureFiles.open(capture)) {
                while (s.next(p)) {
                    decoder.decode(p, decoded);
                    final int length = DecodedRecord.write(decoded, 4711, record, 8);
                    assertEquals(length, DecodedRecord.read(record, 8, read));
                    assertEquals(4711, DecodedRecord.packetOffset(record, 8));
                    assertSame(decoded, read, capture + " packet " + packets);
                    quoted += length == DecodedRecord.QUOTED_LENGTH ? 1 : 0;
                    packets++;
                }
            }
        }
        assertTrue(packets > 1000 && quoted > 0, packets + " packets, " + quoted + " with a quoted packet");
    }

    private static void assertSame(final PacketView expected, final PacketView actual, final String what)
            throws IllegalAccessException {
        for (Field f : PacketView.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) || f.getName().equals("buffer")) {
                continue;
            }
            assertEquals(f.get(expected), f.get(actual), what + ": " + f.getName());
        }
    }
}
