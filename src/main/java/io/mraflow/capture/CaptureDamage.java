package io.mraflow.capture;

/**
 * Why and where a capture could not be read to its end.
 *
 * @param source      the file or interface name
 * @param byteOffset  offset in the file or stream of the first byte that could not be read as a
 *                    valid record (the start of the damaged record or block; where libpcap stopped
 *                    when mraflow finds nothing wrong there); -1 only for an input without offsets
 * @param packetsRead packets read cleanly before the damage
 * @param reason      what is wrong, in words (libpcap's own message where it gave one)
 */
public record CaptureDamage(String source, long byteOffset, long packetsRead, String reason) {

    /** One line for stderr: {@code file: damaged at byte N after K packets: reason}. */
    public String message() {
        String where = byteOffset >= 0 ? "at byte " + byteOffset : "at an unknown offset";
        return source + ": damaged " + where + " after " + packetsRead + " packets: " + reason;
    }
}
