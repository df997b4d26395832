package io.mraflow.synth;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * DNS messages (RFC 1035 section 4) for generated captures: a query of one question, and its
 * response whose records name their owner by a compression pointer when it is the question's name.
 */
public final class DnsMessages {
    /** Where the question's name starts: a pointer there is {@code 0xc00c}. */
    private static final int QUESTION_NAME = 12;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final String question;
    private int answers;

    private DnsMessages(int id, boolean response, String name, int type) {
        this.question = name;
        u16(id).u16(response ? 0x8180 : 0x0100).u16(1).u16(0).u16(0).u16(0);
        name(name).u16(type).u16(1);
    }

    /** A recursive query for {@code name} of {@code type} (1 A, 5 CNAME, 28 AAAA, 33 SRV). */
    public static byte[] query(int id, String name, int type) {
        return new DnsMessages(id, false, name, type).bytes();
    }

    /** A NOERROR response to the same question, records added with {@link #a} and friends. */
    public static DnsMessages response(int id, String name, int type) {
        return new DnsMessages(id, true, name, type);
    }

    public DnsMessages a(String owner, int a, int b, int c, int d) {
        record(owner, 1, 4);
        out.write(a);
        out.write(b);
        out.write(c);
        out.write(d);
        return this;
    }

    public DnsMessages cname(String owner, String target) {
        record(owner, 5, labelsLength(target));
        name(target);
        return this;
    }

    public DnsMessages srv(String owner, int priority, int weight, int port, String target) {
        record(owner, 33, 6 + labelsLength(target));
        u16(priority).u16(weight).u16(port);
        name(target);
        return this;
    }

    /** The message, the answer count patched in. */
    public byte[] bytes() {
        final byte[] b = out.toByteArray();
        b[6] = (byte) (answers >> 8);
        b[7] = (byte) answers;
        return b;
    }

    private void record(String owner, int type, int rdLength) {
        if (owner.equals(question)) {
            u16(0xc000 | QUESTION_NAME);
        } else {
            name(owner);
        }
        u16(type).u16(1).u16(0).u16(300).u16(rdLength);
        answers++;
    }

    private DnsMessages name(String name) {
        for (String label : name.split("\\.")) {
            final byte[] l = label.getBytes(StandardCharsets.UTF_8);
            out.write(l.length);
            out.write(l, 0, l.length);
        }
        out.write(0);
        return this;
    }

    private static int labelsLength(String name) {
        return name.getBytes(StandardCharsets.UTF_8).length + 2;
    }

    private DnsMessages u16(int v) {
        out.write(v >> 8);
        out.write(v);
        return this;
    }
}
