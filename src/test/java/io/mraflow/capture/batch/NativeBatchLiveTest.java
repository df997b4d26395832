package io.mraflow.capture.batch;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The live half of the C library, on the loopback interface (needs root or CAP_NET_RAW, else skipped). */
class NativeBatchLiveTest {
    private static final byte[] MARKER = "mraflow-batch-live-test".getBytes(StandardCharsets.US_ASCII);

    @BeforeEach
    void nativeLibraryBuilt() {
        assumeTrue(NativeBatch.isAvailable(), () -> "native batch reader not built: " + NativeBatch.unavailableReason());
    }

    @Test
    void capturesDatagramsSentOnLoopbackAndStopsOnBreakloop() throws Exception {
        final byte[] errbuf = new byte[NativeBatch.ERRBUF_SIZE];
        final long handle = NativeBatch.mfb_open_live("lo", 65535, 0, 50, 0, errbuf);
        assumeTrue(handle != 0, () -> "cannot capture on lo: " + NativeBatch.errbufMessage(errbuf));
        final ByteBuffer memory = ByteBuffer.allocateDirect(BatchFileSource.DEFAULT_CAPACITY);
        final UnsafeBuffer batch = new UnsafeBuffer(memory);
        final ByteBuffer status = ByteBuffer.allocateDirect(NativeBatch.RESULT_LENGTH).order(ByteOrder.nativeOrder());
        final long statusAddress = BufferUtil.address(status);
        try (DatagramSocket socket = new DatagramSocket()) {
            assertEquals(1, NativeBatch.mfb_datalink(handle), "lo is LINKTYPE_ETHERNET on Linux");
            final long sentAt = System.currentTimeMillis() * 1_000_000L;
            for (int i = 0; i < 3; i++) {
                socket.send(new DatagramPacket(MARKER, MARKER.length, InetAddress.getLoopbackAddress(), 9));
            }
            int seen = 0;
            final long deadline = System.nanoTime() + 5_000_000_000L;
            while (seen < 3 && System.nanoTime() < deadline) {
                final int count = NativeBatch.mfb_next_batch(handle, batch.addressOffset(), batch.capacity(),
                    Integer.MAX_VALUE, statusAddress);
                final int st = status.getInt(NativeBatch.RESULT_STATUS_OFFSET);
                assertTrue(st == NativeBatch.STATUS_OK || st == NativeBatch.STATUS_TIMEOUT, "status " + st);
                int offset = 0;
                for (int i = 0; i < count; i++) {
                    final int capLen = batch.getInt(BatchRecordDescriptor.capturedLengthOffset(offset));
                    final int expectedLength = 14 + 20 + 8 + MARKER.length;
                    if (capLen == expectedLength && endsWithMarker(batch, BatchRecordDescriptor.dataOffset(offset), capLen)) {
                        seen++;
                        assertEquals(expectedLength, batch.getInt(BatchRecordDescriptor.wireLengthOffset(offset)));
                        assertEquals(1, batch.getInt(BatchRecordDescriptor.linkTypeOffset(offset)));
                        final long ts = batch.getLong(BatchRecordDescriptor.timestampOffset(offset));
                        assertTrue(Math.abs(ts - sentAt) < 5_000_000_000L, "timestamp " + ts + " vs sent " + sentAt);
                    }
                    offset += batch.getInt(BatchRecordDescriptor.recordLengthOffset(offset));
                }
            }
            assertEquals(3, seen, "marked datagrams captured");
            NativeBatch.mfb_breakloop(handle);
            NativeBatch.mfb_next_batch(handle, batch.addressOffset(), batch.capacity(), Integer.MAX_VALUE, statusAddress);
            assertEquals(NativeBatch.STATUS_BREAK, status.getInt(NativeBatch.RESULT_STATUS_OFFSET));
            assertEquals(-1L, NativeBatch.mfb_file_offset(handle), "no file behind a live capture");
        } finally {
            NativeBatch.mfb_close(handle);
        }
    }

    private static boolean endsWithMarker(final UnsafeBuffer batch, final int data, final int capLen) {
        final int start = data + capLen - MARKER.length;
        for (int i = 0; i < MARKER.length; i++) {
            if (batch.getByte(start + i) != MARKER[i]) {
                return false;
            }
        }
        return true;
    }
}
