package io.mraflow.rules;

/** Terse flow construction for hand-written tests. */
final class Flows {
    private Flows() {
    }

    static FlowFacts tcp(String orig, int origPort, String resp, int respPort) {
        return of(6, orig, origPort, resp, respPort);
    }

    static FlowFacts udp(String orig, int origPort, String resp, int respPort) {
        return of(17, orig, origPort, resp, respPort);
    }

    static FlowFacts of(int proto, String orig, int origPort, String resp, int respPort) {
        final long[] a = new long[2];
        final long[] b = new long[2];
        AddressBlock.parseAddress(orig, a);
        AddressBlock.parseAddress(resp, b);
        return new FlowFacts().set(proto, a[0], a[1], origPort, b[0], b[1], respPort);
    }

    static FlowFacts app(FlowFacts f, int appProto) {
        f.appProto = appProto;
        return f;
    }
}
