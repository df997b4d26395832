package io.mraflow.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The one-block SHA-1 against the JDK's {@code MessageDigest}, the independent reference. */
class Sha1BlockTest {

    @Test
    void matchesMessageDigestForEveryLengthItTakes() throws Exception {
        final MessageDigest jdk = MessageDigest.getInstance("SHA-1");
        final Sha1Block sha1 = new Sha1Block();
        final Random random = new Random(20261126L);
        final byte[] out = new byte[Sha1Block.DIGEST_LENGTH];
        for (int length = 0; length <= Sha1Block.MAX_MESSAGE; length++) {
            for (int round = 0; round < 50; round++) {
                final byte[] in = new byte[Sha1Block.MAX_MESSAGE];
                random.nextBytes(in);
                if (round == 0) {
                    Arrays.fill(in, (byte) 0xff); // every bit set: sign extension would show
                }
                sha1.digest(in, length, out);
                assertArrayEquals(jdk.digest(Arrays.copyOf(in, length)), out, "length " + length + " round " + round);
            }
        }
    }

    @Test
    void refusesWhatDoesNotFitOneBlock() {
        final Sha1Block sha1 = new Sha1Block();
        assertThrows(IllegalArgumentException.class, () -> sha1.digest(new byte[56], 56, new byte[20]));
    }
}
