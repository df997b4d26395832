package io.mraflow.inspect;

/**
 * RTP timestamp clock rates of the static payload types (RFC 3551 tables 4 and 5, as the IANA
 * registry lists them): what turns a timestamp difference into milliseconds for the interarrival
 * jitter (RFC 3550 A.8). Dynamic payload types (96-127) have no rate of their own: it comes from
 * the session description ({@code a=rtpmap}) or from {@code --rtp-clock}. Stateless; any thread.
 */
public final class RtpClock {

    /** Hz by payload type; 0 where RFC 3551 assigns none (unassigned, reserved, dynamic). */
    private static final int[] STATIC = new int[128];

    static {
        // audio, 8 kHz: PCMU, 1016 and G721 (reserved since RFC 3551; Wireshark keeps them), GSM,
        // G723, DVI4/8000, LPC, PCMA, G722 (8000 although G.722 samples at 16 kHz: RFC 3551 4.5.2),
        // QCELP, CN, G728, G729
        for (int pt : new int[] {0, 1, 2, 3, 4, 5, 7, 8, 9, 12, 13, 15, 18}) {
            STATIC[pt] = 8000;
        }
        STATIC[6] = 16000; // DVI4/16000
        STATIC[10] = 44100; // L16 stereo
        STATIC[11] = 44100; // L16 mono
        STATIC[14] = 90000; // MPA
        STATIC[16] = 11025; // DVI4/11025
        STATIC[17] = 22050; // DVI4/22050
        STATIC[19] = 8000; // reserved, once CN (RFC 1890); Wireshark keeps it
        // video, 90 kHz: CelB, JPEG, nv, H261, MPV, MP2T, H263
        for (int pt : new int[] {25, 26, 28, 31, 32, 33, 34}) {
            STATIC[pt] = 90000;
        }
    }

    private RtpClock() {
    }

    /** Clock rate of static payload type {@code pt}, or 0 when it has none (dynamic, unassigned). */
    public static int ofStatic(final int pt) {
        return STATIC[pt & 0x7f];
    }

    /** Comfort noise (RFC 3389, and PT 19 of RFC 1890): no speech timing to judge. */
    static boolean comfortNoise(final int pt) {
        return pt == 13 || pt == 19;
    }
}
