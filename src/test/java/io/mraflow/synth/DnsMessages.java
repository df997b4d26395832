package io.mraflow.synth;

import java.nio.charset.StandardCharsets;

/**
 * DNS messages as sent over UDP 53 (RFC 1035, SRV RFC 2782): a recursive query for one name and
 * type, and a recursive resolver's answer to it with A, SRV and CNAME records (answer and
 * additional sections), or NXDOMAIN. Names are written in full, without compression. Stateless.
 *
 * <pre>
 *  0      2       4        6        8        10       12
 *  | id   | flags | qdcount| ancount| nscount| arcount| question | answers | additional
 * </pre>
 */
public final class DnsMessages {

    public static final int TYPE_A = 1;
    public static final int TYPE_CNAME = 5;
    public static final int TYPE_SRV = 33;
    public static final int RCODE_NXDOMAIN = 3;

    private static final int CLASS_IN = 1;
    /** Where the question's name starts, after the 12-byte header. */
    private static final int QUESTION_NAME = 12;
    private static final int FLAG_RD = 0x0100;
    private static final int FLAG_QR_RD_RA = 0x8180;

    private DnsMessages() {
    }

    /** One resource record of an answer. */
    @SuppressWarnings("JavaLangClash") // RFC 1035's name for it; java.lang.Record is never named here
    public record Record(String name, int type, int ttl, byte[] rdata) {
    }

    public static Record a(final String name, final int ttl, final String address) {
        return new Record(name, TYPE_A, ttl, Ip.bytes(Ip.v4(address)));
    }

    public static Record cname(final String name, final int ttl, final String target) {
        return new Record(name, TYPE_CNAME, ttl, encodeName(target));
    }

    public static Record srv(final String name, final int ttl, final int priority, final int weight, final int port,
                             final String target) {
        final ByteSink s = new ByteSink().u16(priority).u16(weight).u16(port).bytes(encodeName(target));
        return new Record(name, TYPE_SRV, ttl, s.toArray());
    }

    /** A recursive query (RD set) for {@code name} of {@code type}. */
    public static byte[] query(final int id, final String name, final int type) {
        final ByteSink s = new ByteSink().u16(id).u16(FLAG_RD).u16(1).u16(0).u16(0).u16(0);
        question(s, name, type);
        return s.toArray();
    }

    /** The resolver's answer to {@link #query}: NOERROR with the given records. */
    public static byte[] response(final int id, final String name, final int type, final Record[] answers,
                                  final Record[] additional) {
        final ByteSink s = new ByteSink().u16(id).u16(FLAG_QR_RD_RA).u16(1)
            .u16(answers.length).u16(0).u16(additional.length);
        question(s, name, type);
        for (final Record r : answers) {
            record(s, r, name);
        }
        for (final Record r : additional) {
            record(s, r, name);
        }
        return s.toArray();
    }

    /** A response with answers and no additional records. */
    public static byte[] response(final int id, final String name, final int type, final Record... answers) {
        return response(id, name, type, answers, new Record[0]);
    }

    /** The resolver's answer that {@code name} does not exist (no authority section). */
    public static byte[] nxdomain(final int id, final String name, final int type) {
        final ByteSink s = new ByteSink().u16(id).u16(FLAG_QR_RD_RA | RCODE_NXDOMAIN).u16(1).u16(0).u16(0).u16(0);
        question(s, name, type);
        return s.toArray();
    }

    private static void question(final ByteSink s, final String name, final int type) {
        s.bytes(encodeName(name)).u16(type).u16(CLASS_IN);
    }

    /** A record; an owner that is the question's name is a pointer to it (0xC00C), as resolvers write it. */
    private static void record(final ByteSink s, final Record r, final String question) {
        if (r.name().equals(question)) {
            s.u16(0xC000 | QUESTION_NAME);
        } else {
            s.bytes(encodeName(r.name()));
        }
        s.u16(r.type()).u16(CLASS_IN).u32(r.ttl()).u16(r.rdata().length).bytes(r.rdata());
    }

    /** A name as length-prefixed labels ending with the root label. */
    static byte[] encodeName(final String name) {
        final ByteSink s = new ByteSink();
        for (final String label : name.split("\\.")) {
            final byte[] b = label.getBytes(StandardCharsets.UTF_8); // raw, so tests can put hostile names on the wire
            if (b.length == 0 || b.length > 63) {
                throw new IllegalArgumentException("bad DNS label in " + name);
            }
            s.u8(b.length).bytes(b);
        }
        return s.u8(0).toArray();
    }
}
