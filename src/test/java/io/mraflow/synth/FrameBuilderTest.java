package io.mraflow.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FrameBuilderTest {

    private static final byte[] V6_A = {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    private static final byte[] V6_B = {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};

    private static byte[] copy(final FrameBuilder fb, final int len) {
        return Arrays.copyOf(fb.frame(), len);
    }

    @Test
    void ipv4UdpFrameHasKnownLayoutAndValidChecksums() {
        final FrameBuilder fb = new FrameBuilder();
        final byte[] payload = TextPayloads.ascii("hello");
        final int len = fb.udp(Ip.bytes(Ip.v4("10.0.0.1")), 5000, Ip.bytes(Ip.v4("10.0.0.2")), 6000, payload, 0, 5);
        assertEquals(14 + 20 + 8 + 5, len);
        new FrameChecker().check(1, copy(fb, len));
    }

    @Test
    void ipv6TcpAndUdpFramesHaveValidChecksums() {
        final FrameBuilder fb = new FrameBuilder();
        final FrameChecker checker = new FrameChecker();
        final byte[] p = new byte[333];
        new SplittableRandom(7).nextBytes(p);
        checker.check(1, copy(fb, fb.udp(V6_A, 3478, V6_B, 40000, p, 0, p.length)));
        checker.check(2, copy(fb, fb.tcp(V6_A, 50000, V6_B, 5061, 1000, 0, FrameBuilder.SYN, null, 0, 0)));
        checker.check(3, copy(fb, fb.tcp(V6_B, 5061, V6_A, 50000, 7000, 1001, FrameBuilder.SYN | FrameBuilder.ACK,
            null, 0, 0)));
        checker.check(4, copy(fb, fb.tcp(V6_A, 50000, V6_B, 5061, 1001, 7001, FrameBuilder.ACK | FrameBuilder.PSH,
            p, 0, 101)));
        assertEquals(3, checker.tcp);
    }

    @Test
    void oddLengthPayloadsChecksumCorrectly() {
        final FrameBuilder fb = new FrameBuilder();
        final FrameChecker checker = new FrameChecker();
        for (int n = 0; n < 40; n++) {
            final byte[] p = new byte[n];
            Arrays.fill(p, (byte) 0xFF);
            checker.check(n + 1, copy(fb, fb.udp(Ip.bytes(0xC0000201), 1, Ip.bytes(0xC0000202), 2, p, 0, n)));
        }
        assertTrue(checker.udp == 40);
    }
}
