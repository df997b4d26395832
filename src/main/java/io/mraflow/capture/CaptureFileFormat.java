package io.mraflow.capture;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The byte layouts of the two capture file formats, in one place: magic numbers, header and
 * record offsets, the minimum lengths and the limits libpcap 1.10 enforces. Offsets are relative
 * to the start of the header, record or block they belong to.
 *
 * <pre>
 * Classic pcap (draft-ietf-opsawg-pcap), all fields in the byte order the magic tells:
 *
 *   file header, 24 bytes                      record header, 16 bytes (24 in the "modified" format)
 *    0 +--------------------------------+        0 +--------------------------------+
 *      | magic                          |          | timestamp seconds              |
 *    4 +----------------+---------------+        4 +--------------------------------+
 *      | version major  | version minor |          | timestamp fraction (us or ns)  |
 *    8 +----------------+---------------+        8 +--------------------------------+
 *      | thiszone (unused)              |          | captured length                |
 *   12 +--------------------------------+       12 +--------------------------------+
 *      | sigfigs (unused)               |          | length on the wire             |
 *   16 +--------------------------------+       16 +--------------------------------+
 *      | snap length                    |          | captured bytes ...             |
 *   20 +--------------------------------+
 *      | link type (low 26 bits)        |
 *   24 +--------------------------------+
 *
 * pcapng (draft-ietf-opsawg-pcapng): a sequence of blocks, each
 *
 *    0 +--------------------------------+
 *      | block type                     |
 *    4 +--------------------------------+
 *      | block total length             |   a multiple of 4, at least 12
 *    8 +--------------------------------+
 *      | body (type specific) ...       |
 *      +--------------------------------+
 *      | block total length (again)     |   must equal the leading one
 *      +--------------------------------+
 *
 *   Section Header Block (0x0A0D0D0A): body = byte-order magic 0x1A2B3C4D (read in the section's
 *     order), version major u16, minor u16, section length i64, options.
 *   Interface Description Block (1): link type u16, reserved u16, snap length u32, options
 *     (if_tsresol = 9, if_tsoffset = 14).
 *   Enhanced Packet Block (6): interface u32, timestamp high u32, low u32, captured length u32,
 *     length u32, data padded to 4, options.
 *   Simple Packet Block (3): length on the wire u32, data padded to 4 (interface 0, no timestamp).
 *   Packet Block (2, obsolete): interface u16, drops u16, then as the Enhanced Packet Block.
 * </pre>
 */
final class CaptureFileFormat {
    private CaptureFileFormat() {
    }

    /** The first 4 bytes of a file read big-endian (a magic number as the file holds it), 0 if shorter. */
    static int firstWord(final Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            final byte[] word = in.readNBytes(4);
            int value = 0;
            for (byte b : word) {
                value = value << 8 | (b & 0xFF);
            }
            return word.length == 4 ? value : 0;
        }
    }

    // ---- classic pcap
    static final int PCAP_MAGIC_MICRO = 0xA1B2C3D4;
    static final int PCAP_MAGIC_NANO = 0xA1B23C4D;
    /** Alexey Kuznetzov's "modified" pcap: 24-byte record headers (libpcap reads it). */
    static final int PCAP_MAGIC_MODIFIED = 0xA1B2CD34;
    static final int PCAP_FILE_HEADER_LENGTH = 24;
    static final int PCAP_VERSION_MAJOR_OFFSET = 4;
    static final int PCAP_VERSION_MINOR_OFFSET = 6;
    static final int PCAP_SNAPLEN_OFFSET = 16;
    static final int PCAP_LINKTYPE_OFFSET = 20;
    static final int PCAP_RECORD_HEADER_LENGTH = 16;
    static final int PCAP_MODIFIED_RECORD_HEADER_LENGTH = 24;
    static final int PCAP_RECORD_CAPLEN_OFFSET = 8;
    static final int PCAP_RECORD_LEN_OFFSET = 12;
    /** The link type is the low 26 bits of the header field (the rest may carry FCS length). */
    static final int PCAP_LINKTYPE_MASK = 0x03FFFFFF;

    // ---- pcapng
    static final int PCAPNG_SHB_TYPE = 0x0A0D0D0A;
    static final int PCAPNG_BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    static final int PCAPNG_IDB_TYPE = 1;
    static final int PCAPNG_PB_TYPE = 2;
    static final int PCAPNG_SPB_TYPE = 3;
    static final int PCAPNG_EPB_TYPE = 6;

    static final int BLOCK_TYPE_OFFSET = 0;
    static final int BLOCK_LENGTH_OFFSET = 4;
    static final int BLOCK_BODY_OFFSET = 8;
    /** Block type, leading and trailing length. */
    static final int BLOCK_OVERHEAD = 12;

    static final int SHB_MAGIC_OFFSET = 8;
    static final int SHB_VERSION_MAJOR_OFFSET = 12;
    static final int SHB_MIN_LENGTH = 28;

    static final int IDB_LINKTYPE_OFFSET = 8;
    static final int IDB_SNAPLEN_OFFSET = 12;
    static final int IDB_OPTIONS_OFFSET = 16;
    static final int IDB_MIN_LENGTH = 20;
    static final int OPT_END = 0;
    static final int OPT_IF_TSRESOL = 9;
    static final int OPT_IF_TSOFFSET = 14;

    static final int EPB_INTERFACE_OFFSET = 8;
    static final int EPB_TS_HIGH_OFFSET = 12;
    static final int EPB_TS_LOW_OFFSET = 16;
    static final int EPB_CAPLEN_OFFSET = 20;
    static final int EPB_LEN_OFFSET = 24;
    static final int EPB_DATA_OFFSET = 28;
    static final int EPB_MIN_LENGTH = 32;

    /** The obsolete Packet Block has a u16 interface id where the EPB has a u32; the rest lines up. */
    static final int PB_INTERFACE_OFFSET = 8;

    static final int SPB_LEN_OFFSET = 8;
    static final int SPB_DATA_OFFSET = 12;
    static final int SPB_MIN_LENGTH = 16;

    /** libpcap 1.10's default maximum block size ({@code INITIAL_MAX_BLOCKSIZE}): a longer block is damage. */
    static final int PCAPNG_MAX_BLOCK_LENGTH = 16 * 1024 * 1024;

    /**
     * The largest captured length libpcap accepts for a link type ({@code max_snaplen_for_dlt}):
     * a record claiming more is damage, whatever the snap length says.
     */
    static int maxCaptureLength(final int linkType) {
        return switch (linkType) {
            case 231 -> 128 * 1024 * 1024; // D-Bus
            case 279 -> 8 * 1024 * 1024;   // EBHSCR
            case 249 -> 1024 * 1024;       // USBPcap
            default -> 262144;
        };
    }
}
