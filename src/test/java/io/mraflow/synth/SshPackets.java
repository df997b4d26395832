package io.mraflow.synth;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * SSH transport packets before encryption (RFC 4253): identification lines, KEXINIT,
 * the curve25519 key exchange (RFC 8731) and NEWKEYS, then encrypted packets. Seeded; stateless.
 *
 * <pre>
 * | packet_length (4) | padding_length (1) | payload: msg code, fields ... | random padding |
 * </pre>
 */
public final class SshPackets {

    public static final int MSG_KEXINIT = 20;
    public static final int MSG_NEWKEYS = 21;
    public static final int MSG_KEX_ECDH_INIT = 30;
    public static final int MSG_KEX_ECDH_REPLY = 31;

    private SshPackets() {
    }

    /** The identification line, e.g. {@code SSH-2.0-OpenSSH_8.9}. */
    public static byte[] banner(final String softwareVersion) {
        return TextPayloads.sshBanner(softwareVersion);
    }

    public static byte[] kexInit(final SplittableRandom rng) {
        final ByteSink p = new ByteSink();
        p.u8(MSG_KEXINIT).random(rng, 16);
        final String[] lists = {
            "curve25519-sha256,ecdh-sha2-nistp256", "ssh-ed25519,rsa-sha2-512",
            "chacha20-poly1305@openssh.com,aes256-gcm@openssh.com", "chacha20-poly1305@openssh.com,aes256-gcm@openssh.com",
            "hmac-sha2-256", "hmac-sha2-256", "none", "none", "", ""};
        for (final String l : lists) {
            final byte[] b = l.getBytes(StandardCharsets.US_ASCII);
            p.u32(b.length).bytes(b);
        }
        p.u8(0).u32(0);
        return packet(p, rng);
    }

    public static byte[] ecdhInit(final SplittableRandom rng) {
        final ByteSink p = new ByteSink();
        p.u8(MSG_KEX_ECDH_INIT).u32(32).random(rng, 32);
        return packet(p, rng);
    }

    public static byte[] ecdhReply(final SplittableRandom rng) {
        final ByteSink p = new ByteSink();
        final byte[] type = "ssh-ed25519".getBytes(StandardCharsets.US_ASCII);
        p.u8(MSG_KEX_ECDH_REPLY);
        p.u32(4 + type.length + 4 + 32).u32(type.length).bytes(type).u32(32).random(rng, 32);
        p.u32(32).random(rng, 32);
        p.u32(4 + type.length + 4 + 64).u32(type.length).bytes(type).u32(64).random(rng, 64);
        return packet(p, rng);
    }

    public static byte[] newKeys(final SplittableRandom rng) {
        final ByteSink p = new ByteSink();
        p.u8(MSG_NEWKEYS);
        return packet(p, rng);
    }

    /** A chacha20-poly1305 packet: encrypted length, {@code len} bytes of ciphertext, a 16-byte tag. */
    public static byte[] encrypted(final int len, final SplittableRandom rng) {
        final ByteSink p = new ByteSink();
        p.random(rng, 4 + len + 16);
        return p.toArray();
    }

    private static byte[] packet(final ByteSink payload, final SplittableRandom rng) {
        int padding = 8 - ((5 + payload.size()) % 8);
        if (padding < 4) {
            padding += 8;
        }
        final ByteSink s = new ByteSink();
        s.u32(1 + payload.size() + padding).u8(padding).bytes(payload.array(), 0, payload.size()).random(rng, padding);
        return s.toArray();
    }
}
