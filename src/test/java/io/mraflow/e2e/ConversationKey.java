package io.mraflow.e2e;

/** An order-free key for a conversation: "proto lowEndpoint highEndpoint". */
final class ConversationKey {
    private ConversationKey() {
    }

    static String of(String proto, String endpointA, String endpointB) {
        return endpointA.compareTo(endpointB) <= 0
                ? proto + " " + endpointA + " " + endpointB
                : proto + " " + endpointB + " " + endpointA;
    }

    /** tshark's endpoint form: address:port, IPv6 without brackets. */
    static String endpoint(String address, int port) {
        return address + ":" + port;
    }
}
