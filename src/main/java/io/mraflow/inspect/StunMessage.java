package io.mraflow.inspect;

/**
 * What {@link Stun#scan} read from one STUN message: a scratch object the caller creates once and
 * reuses for every packet (one per {@link PayloadInspector}). Valid until the next scan; owned by
 * one thread.
 */
public final class StunMessage {

    /** Absolute buffer offset of the 20-byte STUN header (after any RFC 4571 length prefix). */
    public int offset;
    /** True when the message was behind an RFC 4571 two-byte length prefix (ICE-TCP, RFC 6544). */
    public boolean framed;
    /** True for an RFC 3489 message (no magic cookie). */
    public boolean classic;
    /** Message type, 14 bits. */
    public int type;
    /** One of {@link Stun#REQUEST}, {@link Stun#INDICATION}, {@link Stun#SUCCESS}, {@link Stun#ERROR}. */
    public int messageClass;
    /** Method, 12 bits (1 Binding, 3 Allocate, 4 Refresh, 6 Send, 7 Data, 8 CreatePermission, 9 ChannelBind). */
    public int method;
    /** Message length field (bytes of attributes). */
    public int length;
    /** Bit set of the ICE attributes present: {@link Stun#ICE_PRIORITY} ... */
    public int iceAttributes;
    /** Absolute buffer offset and captured length of the SOFTWARE value, or -1 / 0 when absent. */
    public int softwareOffset;
    public int softwareLength;
    /** Absolute buffer offset and captured length of the DATA value (TURN Send/Data indications), or -1 / 0. */
    public int dataOffset;
    public int dataLength;

    void clear() {
        offset = -1;
        framed = false;
        classic = false;
        type = 0;
        messageClass = 0;
        method = 0;
        length = 0;
        iceAttributes = 0;
        softwareOffset = -1;
        softwareLength = 0;
        dataOffset = -1;
        dataLength = 0;
    }
}
