package io.mraflow.pipeline;

/**
 * The layout of one packet message in a capture-to-worker ring: the one place that owns its
 * offsets. Stateless; any thread. The ring ({@link org.agrona.concurrent.ringbuffer.OneToOneRingBuffer})
 * puts its own 8-byte record header in front and 8-aligns the message; every field below is
 * therefore naturally aligned. Fields are in the host's byte order (Agrona's default): the
 * message never leaves the process.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |        Capture time, nanoseconds since the epoch (int64)      |   0
 *  +---------------------------------------------------------------+
 *  |  Enqueue time, System.nanoTime (int64); 0 = not sampled       |   8
 *  +---------------------------------------------------------------+
 *  |  Source address hi (int64)  |  Source address lo (int64)      |  16, 24
 *  +---------------------------------------------------------------+
 *  |  Dest. address hi (int64)   |  Dest. address lo (int64)       |  32, 40
 *  +---------------------------------------------------------------+
 *  |  TCP sequence (int64)       |  TCP acknowledgement (int64)    |  48, 56
 *  +---------------------------------------------------------------+
 *  |                Fragment identification (int64)                |  64
 *  +---------------------------------------------------------------+
 *  |       Wire length (int32)     |      Captured length (int32)  |  72
 *  +---------------------------------------------------------------+
 *  |         IP length (int32)     |   Payload length (int32)      |  80
 *  +---------------------------------------------------------------+
 *  | Payload bytes in this message |   Fragment offset (int32)     |  88
 *  +---------------------------------------------------------------+
 *  | Src port (u16)| Dst port (u16)|status |ip ver.|proto  |tunnel |  96
 *  +---------------------------------------------------------------+
 *  |       TCP window (int32)      |tcp flg|flags  |icmp ty|icmp cd| 104
 *  +---------------------------------------------------------------+
 *  | Quoted src hi | Quoted src lo | Quoted dst hi | Quoted dst lo | 112 .. 143 (int64 each)
 *  +---------------------------------------------------------------+
 *  |Quoted sport   |Quoted dport   |q.proto|      (zero)           | 144
 *  +---------------------------------------------------------------+
 *  |    Transport payload: the first min(captured, bound) bytes   ... 152
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * Flags: bit 0 fragment, bit 1 more fragments, bit 2 has ports, bit 3 ICMP error. The quoted
 * fields (112..151) are written only when the ICMP error flag is set, and read only then.
 *
 * <p><b>Payload bound.</b> Only the first {@link PipelineConfig#maxPayloadBytes()} bytes of the
 * captured transport payload travel (default {@value #DEFAULT_MAX_PAYLOAD}): payload inspection
 * on the worker looks at the start of a flow's payloads (TLS ClientHello, SIP start line, STUN
 * and RTP headers), and the bound keeps a jumbo frame from taking a ring's worth of space. The
 * worker's {@code PacketView.payloadCapLen} is the number of bytes that travelled; the wire
 * payload length ({@code payloadLen}) is unchanged.
 */
public final class PacketMessageDescriptor {
    /** The message type of a packet (Agrona message types must be positive). */
    public static final int MSG_PACKET = 1;
    /** The message type of the end of input: the worker flushes its table and stops. */
    public static final int MSG_END = 2;

    public static final int TS_OFFSET = 0;
    public static final int ENQUEUE_NANOS_OFFSET = 8;
    public static final int SRC_HI_OFFSET = 16;
    public static final int SRC_LO_OFFSET = 24;
    public static final int DST_HI_OFFSET = 32;
    public static final int DST_LO_OFFSET = 40;
    public static final int TCP_SEQ_OFFSET = 48;
    public static final int TCP_ACK_OFFSET = 56;
    public static final int FRAG_ID_OFFSET = 64;
    public static final int WIRE_LEN_OFFSET = 72;
    public static final int CAP_LEN_OFFSET = 76;
    public static final int IP_LEN_OFFSET = 80;
    public static final int PAYLOAD_LEN_OFFSET = 84;
    public static final int PAYLOAD_COPIED_OFFSET = 88;
    public static final int FRAG_OFFSET_OFFSET = 92;
    public static final int SRC_PORT_OFFSET = 96;
    public static final int DST_PORT_OFFSET = 98;
    public static final int STATUS_OFFSET = 100;
    public static final int IP_VERSION_OFFSET = 101;
    public static final int IP_PROTO_OFFSET = 102;
    public static final int TUNNEL_DEPTH_OFFSET = 103;
    public static final int TCP_WINDOW_OFFSET = 104;
    public static final int TCP_FLAGS_OFFSET = 108;
    public static final int FLAGS_OFFSET = 109;
    public static final int ICMP_TYPE_OFFSET = 110;
    public static final int ICMP_CODE_OFFSET = 111;
    public static final int QUOTED_SRC_HI_OFFSET = 112;
    public static final int QUOTED_SRC_LO_OFFSET = 120;
    public static final int QUOTED_DST_HI_OFFSET = 128;
    public static final int QUOTED_DST_LO_OFFSET = 136;
    public static final int QUOTED_SRC_PORT_OFFSET = 144;
    public static final int QUOTED_DST_PORT_OFFSET = 146;
    public static final int QUOTED_PROTO_OFFSET = 148;
    /** Length of the fixed part; the payload bytes start here. */
    public static final int HEADER_LENGTH = 152;

    public static final int FLAG_FRAGMENT = 1;
    public static final int FLAG_MORE_FRAGMENTS = 2;
    public static final int FLAG_HAS_PORTS = 4;
    public static final int FLAG_ICMP_ERROR = 8;

    /** Default bound on the payload bytes carried per packet. */
    public static final int DEFAULT_MAX_PAYLOAD = 4096;

    private PacketMessageDescriptor() {
    }

    /** Length of a packet message carrying {@code payloadBytes} payload bytes. */
    public static int messageLength(final int payloadBytes) {
        return HEADER_LENGTH + payloadBytes;
    }
}
