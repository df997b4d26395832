/**
 * Payload identification: which application protocol a flow carries, and the few payload facts
 * the classifier and the findings need.
 *
 * <p>Shape (after nDPI): one class per protocol ({@link io.mraflow.inspect.TlsClientHello},
 * {@link io.mraflow.inspect.Dtls}, {@link io.mraflow.inspect.Ssh}, {@link io.mraflow.inspect.Sip},
 * {@link io.mraflow.inspect.Http}, {@link io.mraflow.inspect.Xmpp}, {@link io.mraflow.inspect.Stun}
 * (with TURN ChannelData), {@link io.mraflow.inspect.Rtp}, {@link io.mraflow.inspect.Rtcp}), each a
 * static {@code identify(DirectBuffer, offset, length)} returning a
 * {@link io.mraflow.inspect.Confidence} that bounds every length by the enclosing length and by the
 * captured bytes, and gives up at the first mismatch. {@link io.mraflow.inspect.PayloadInspector}
 * drives them per packet over a per-flow {@link io.mraflow.inspect.FlowInspection}.
 *
 * <p>Facts kept per flow (read at report time through {@code FlowInspection}'s accessors):
 * <ul>
 *   <li>{@code appProto}: the protocol of the first strong identification (a later strong one of
 *       another protocol does not replace it: STUN-then-DTLS stays STUN, XMPP-then-STARTTLS stays
 *       XMPP); a weak one is replaced by any stronger;</li>
 *   <li>{@code sni}: the ClientHello host_name, raw bytes, decoded for display as UTF-8 with
 *       replacement;</li>
 *   <li>{@code stunRequestFromOrig/Resp}, {@code stunResponseFromOrig/Resp}: which side sent STUN
 *       requests and responses of registered methods (the requester opened the flow);</li>
 *   <li>{@code iceEvidence}, {@code iceAttributes}: PRIORITY, USE-CANDIDATE, ICE-CONTROLLED,
 *       ICE-CONTROLLING seen; {@code stunSoftware}, {@code ciscoSoftware};</li>
 *   <li>{@code tlsAlert*}: the first fatal (else first) plaintext alert and its sender;</li>
 *   <li>{@code sipSeen}; {@code turnChannel};</li>
 *   <li>{@code rtpSources(orig|resp)}: per SSRC and direction ({@link io.mraflow.inspect.RtpSources},
 *       {@link io.mraflow.inspect.RtpStream}), RFC 3550 A.1/A.3 sequence state (received, lost,
 *       duplicates, sequence errors), arrival spacing and A.8 jitter by the packet's capture time
 *       and the payload type's clock rate, a jitter histogram and a timeline, and RTCP report
 *       blocks about the source; fed by plain RTP, RTP in TURN ChannelData and RTP in TURN
 *       Send/Data indications, for the whole flow.</li>
 * </ul>
 *
 * <p>Not here: the clock rate of a dynamic payload type from SDP (the SIP flow is another flow),
 * TCP reordering (ClientHello reassembly assumes arrival order), QUIC, RTP over TCP.
 */
package io.mraflow.inspect;
