package io.mraflow.synth;

import java.util.Locale;

import java.nio.charset.StandardCharsets;

/**
 * Cleartext application payloads: SIP requests and responses, the XMPP stream opening, SSH
 * identification lines and HTTP/1.1 requests. Deterministic; stateless.
 */
public final class TextPayloads {

    private TextPayloads() {
    }

    public static byte[] ascii(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** An SSH identification line (RFC 4253 section 4.2), e.g. {@code SSH-2.0-OpenSSH_8.9}. */
    public static byte[] sshBanner(final String softwareVersion) {
        return ascii("SSH-2.0-" + softwareVersion + "\r\n");
    }

    /** A SIP request with Content-Length, over the given transport ("TCP", "UDP", "TLS"). */
    public static byte[] sipRequest(final String method, final String requestUri, final String transport,
                                    final String fromHostPort, final String user, final String domain,
                                    final String callId, final int cseq, final String body) {
        final String b = body == null ? "" : body;
        return ascii(method + " " + requestUri + " SIP/2.0\r\n"
            + "Via: SIP/2.0/" + transport + " " + fromHostPort + ";branch=z9hG4bK" + Integer.toHexString(callId.hashCode() ^ cseq) + ";rport\r\n"
            + "Max-Forwards: 70\r\n"
            + "From: <sip:" + user + "@" + domain + ">;tag=" + Integer.toHexString(user.hashCode()) + "\r\n"
            + "To: <sip:" + ("REGISTER".equals(method) ? user + "@" + domain : requestUri.substring(4)) + ">\r\n"
            + "Call-ID: " + callId + "\r\n"
            + "CSeq: " + cseq + " " + method + "\r\n"
            + "Contact: <sip:" + user + "@" + fromHostPort + ";transport=" + transport.toLowerCase(Locale.ROOT) + ">\r\n"
            + "User-Agent: Cisco-Jabber/14.3\r\n"
            + ("REGISTER".equals(method) ? "Expires: 3600\r\n" : "")
            + (b.isEmpty() ? "" : "Content-Type: application/sdp\r\n")
            + "Content-Length: " + b.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + b);
    }

    /** A SIP response to the given request. */
    public static byte[] sipResponse(final int code, final String reason, final String via, final String user,
                                     final String domain, final String callId, final int cseq, final String method,
                                     final String body) {
        final String b = body == null ? "" : body;
        return ascii("SIP/2.0 " + code + " " + reason + "\r\n"
            + "Via: SIP/2.0/" + via + "\r\n"
            + "From: <sip:" + user + "@" + domain + ">;tag=" + Integer.toHexString(user.hashCode()) + "\r\n"
            + "To: <sip:" + user + "@" + domain + ">;tag=" + Integer.toHexString(callId.hashCode()) + "\r\n"
            + "Call-ID: " + callId + "\r\n"
            + "CSeq: " + cseq + " " + method + "\r\n"
            + "Server: Cisco-CUCM15.0\r\n"
            + (b.isEmpty() ? "" : "Content-Type: application/sdp\r\n")
            + "Content-Length: " + b.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + b);
    }

    /** A minimal SDP offer/answer for one G.711 audio stream. */
    public static String sdp(final String address, final int port) {
        return "v=0\r\n"
            + "o=- 1772442000 1 IN IP4 " + address + "\r\n"
            + "s=SIP Call\r\n"
            + "c=IN IP4 " + address + "\r\n"
            + "t=0 0\r\n"
            + "m=audio " + port + " RTP/AVP 0 8 101\r\n"
            + "a=rtpmap:0 PCMU/8000\r\n"
            + "a=rtpmap:8 PCMA/8000\r\n"
            + "a=rtpmap:101 telephone-event/8000\r\n"
            + "a=sendrecv\r\n";
    }

    /** The client's XMPP stream header (RFC 6120). */
    public static byte[] xmppClientStreamOpen(final String domain) {
        return ascii("<?xml version='1.0'?><stream:stream to='" + domain + "' xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>");
    }

    /** The server's XMPP stream header and its features, offering STARTTLS. */
    public static byte[] xmppServerStreamOpen(final String domain, final String id) {
        return ascii("<?xml version='1.0' encoding='UTF-8'?><stream:stream from='" + domain + "' id='" + id + "'"
            + " xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>"
            + "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>"
            + "</stream:features>");
    }

    public static byte[] xmppStartTls() {
        return ascii("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
    }

    public static byte[] xmppProceed() {
        return ascii("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
    }

    /** An HTTP/1.1 request. */
    public static byte[] httpRequest(final String method, final String path, final String host, final String body) {
        final String b = body == null ? "" : body;
        return ascii(method + " " + path + " HTTP/1.1\r\n"
            + "Host: " + host + "\r\n"
            + "User-Agent: TANDBERG/4352 (X15.2)\r\n"
            + "Accept: */*\r\n"
            + (b.isEmpty() ? "" : "Content-Type: application/json\r\nContent-Length: " + b.length() + "\r\n")
            + "\r\n" + b);
    }

    /** An HTTP/1.1 response with a body of the given type. */
    public static byte[] httpResponse(final int code, final String reason, final String contentType, final String body) {
        return ascii("HTTP/1.1 " + code + " " + reason + "\r\n"
            + "Content-Type: " + contentType + "\r\n"
            + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n"
            + "\r\n" + body);
    }
}
