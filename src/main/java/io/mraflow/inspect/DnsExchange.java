package io.mraflow.inspect;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.agrona.DirectBuffer;

/**
 * What the DNS messages of one flow said: the flow's first question and up to
 * {@link #MAX_ANSWERS} A, AAAA, CNAME and SRV answers, filled by {@link Dns#read}. Allocated once
 * per DNS flow, when its first message is read; bounded whatever the flow carries. Owned like its
 * {@link FlowInspection}: written by the worker thread, read by the reporter after the handover.
 *
 * <p>Answers are packed one after the other in {@link #answers}, names dotted as on the wire:
 *
 * <pre>
 * +------+----------+-------------+---------+------------------------------------------------+
 * | type | ownerLen | owner bytes | dataLen | data: A 4 / AAAA 16 address bytes, CNAME the    |
 * | (1)  | (1)      | (ownerLen)  | (1)     | target name, SRV priority(2) weight(2) port(2)  |
 * |      |          |             |         | then the target name                            |
 * +------+----------+-------------+---------+------------------------------------------------+
 * </pre>
 */
public final class DnsExchange {

    /** Longest name kept (a name is at most 255 bytes on the wire, fewer dotted). */
    public static final int NAME_CAPACITY = 255;
    /** Answers kept per flow: enough for the few addresses and the SRV set of one lookup. */
    public static final int MAX_ANSWERS = 16;
    /** Priority, weight and port before an SRV target. */
    static final int SRV_FIXED = 6;
    private static final int MAX_ENTRY = 3 + NAME_CAPACITY + NAME_CAPACITY;
    static final int ANSWER_CAPACITY = 2048;
    /** Most bytes {@link #writeTo} writes. */
    public static final int MAX_ENCODED_BYTES = 24 + NAME_CAPACITY + ANSWER_CAPACITY;

    private byte[] query = new byte[NAME_CAPACITY];
    private int queryLength = -1;
    private int queryType;
    private boolean responseSeen;
    private int rcode;
    private byte[] answers = new byte[ANSWER_CAPACITY];
    private int answersLength;
    private int answerCount;

    /** Forgets everything; keeps the buffers (or makes them whole again after {@link #compact}). */
    public void reset() {
        if (answers.length < ANSWER_CAPACITY) {
            query = new byte[NAME_CAPACITY];
            answers = new byte[ANSWER_CAPACITY];
        }
        queryLength = -1;
        queryType = 0;
        responseSeen = false;
        rcode = 0;
        answersLength = 0;
        answerCount = 0;
    }

    // ---- for Dns (per packet, no allocation) -----------------------------------------------------

    boolean hasQuery() {
        return queryLength >= 0;
    }

    byte[] queryBuffer() {
        return query;
    }

    void setQuery(final int length, final int type) {
        queryLength = length;
        queryType = type;
    }

    void responseSeen(final int responseCode) {
        if (!responseSeen) {
            responseSeen = true;
            rcode = responseCode;
        }
    }

    boolean full() {
        return answerCount >= MAX_ANSWERS || answers.length - answersLength < MAX_ENTRY;
    }

    /** Appends one answer record whose owner name is at {@code ownerAt} and data at {@code rdata}. */
    void add(final int type, final DirectBuffer b, final int msg, final int end, final int ownerAt, final int rdata,
             final int rdLength) {
        if (full()) {
            return;
        }
        int p = answersLength;
        answers[p++] = (byte) type;
        final long owner = Dns.readName(b, msg, end, ownerAt, answers, p + 1, NAME_CAPACITY);
        if (owner == Dns.BAD_NAME) {
            return;
        }
        answers[p] = (byte) owner;
        p += 1 + (int) owner;
        final int dataAt = p + 1;
        final int data;
        if (type == Dns.TYPE_A || type == Dns.TYPE_AAAA) {
            b.getBytes(rdata, answers, dataAt, rdLength);
            data = rdLength;
        } else {
            final int fixed = type == Dns.TYPE_SRV ? SRV_FIXED : 0;
            b.getBytes(rdata, answers, dataAt, fixed);
            final long target = Dns.readName(b, msg, end, rdata + fixed, answers, dataAt + fixed, NAME_CAPACITY - fixed);
            if (target == Dns.BAD_NAME) {
                return;
            }
            data = fixed + (int) target;
        }
        answers[p] = (byte) data;
        answersLength = dataAt + data;
        answerCount++;
    }

    /**
     * Shrinks the buffers to what they hold, once the flow has ended: an ended flow waits in
     * memory for the report, and the 2 KiB of room a live flow needs would be most of its weight.
     */
    public void compact() {
        query = java.util.Arrays.copyOf(query, Math.max(0, queryLength));
        answers = java.util.Arrays.copyOf(answers, answersLength);
    }

    // ---- report time ----------------------------------------------------------------------------

    /** True when a response was seen. */
    public boolean responseSeen() {
        return responseSeen;
    }

    /** The response code of the first response (0 NOERROR, 3 NXDOMAIN, ...). */
    public int rcode() {
        return rcode;
    }

    /** The first question's name (dotted, from the wire), or null. */
    public String queryName() {
        return queryLength < 0 ? null : text(query, 0, queryLength);
    }

    /** The first question's type (33 for SRV, ...), or 0. */
    public int queryType() {
        return queryType;
    }

    /** The first question as {@code name TYPE} ({@code _collab-edge._tls.example.com SRV}), or null. */
    public String query() {
        return queryLength < 0 ? null : queryName() + " " + typeName(queryType);
    }

    public int answerCount() {
        return answerCount;
    }

    /** The DNS type of answer {@code i}: {@link Dns#TYPE_A}, AAAA, CNAME or SRV. */
    public int answerType(final int i) {
        return answers[entry(i)] & 0xff;
    }

    /** Answer {@code i} as text: the address, the CNAME target, or {@code priority weight port target}. */
    public String answer(final int i) {
        final int e = entry(i);
        final int type = answers[e] & 0xff;
        final int d = dataAt(e);
        final int len = answers[d - 1] & 0xff;
        if (type == Dns.TYPE_A || type == Dns.TYPE_AAAA) {
            return address(d, len);
        }
        if (type == Dns.TYPE_SRV) {
            return u16(d) + " " + u16(d + 2) + " " + u16(d + 4) + " " + text(answers, d + SRV_FIXED, len - SRV_FIXED);
        }
        return text(answers, d, len);
    }

    /** Every answer as {@link #answer(int)} gives it, in the order received. */
    public List<String> answers() {
        final List<String> out = new ArrayList<>(answerCount);
        for (int i = 0; i < answerCount; i++) {
            out.add(answer(i));
        }
        return out;
    }

    /**
     * The 16 address bytes of an A or AAAA answer (IPv4 as {@code ::ffff:a.b.c.d}, the flow
     * table's form) into {@code dst}; false for other types.
     */
    public boolean address(final int i, final byte[] dst) {
        final int e = entry(i);
        final int type = answers[e] & 0xff;
        if (type != Dns.TYPE_A && type != Dns.TYPE_AAAA) {
            return false;
        }
        final int d = dataAt(e);
        java.util.Arrays.fill(dst, 0, 16, (byte) 0);
        if (type == Dns.TYPE_A) {
            dst[10] = dst[11] = (byte) 0xff;
            System.arraycopy(answers, d, dst, 12, 4);
        } else {
            System.arraycopy(answers, d, dst, 0, 16);
        }
        return true;
    }

    /**
     * The name the client asked for that led to answer {@code i}: its owner name, followed back
     * through the CNAME answers of this flow ({@code www.example.com CNAME edge.cdn.net},
     * {@code edge.cdn.net A 192.0.2.1}: {@code www.example.com}).
     */
    public String askedName(final int i) {
        String name = ownerAt(entry(i));
        for (int hop = 0; hop < answerCount; hop++) {
            String from = null;
            for (int j = 0; j < answerCount && from == null; j++) {
                if (answerType(j) == Dns.TYPE_CNAME && answer(j).equalsIgnoreCase(name)) {
                    from = ownerAt(entry(j));
                }
            }
            if (from == null || from.equalsIgnoreCase(name)) {
                break;
            }
            name = from;
        }
        return name;
    }

    /** The owner name of answer {@code i}. */
    public String owner(final int i) {
        return ownerAt(entry(i));
    }

    private String ownerAt(final int e) {
        return text(answers, e + 2, answers[e + 1] & 0xff);
    }

    private int entry(final int i) {
        if (i < 0 || i >= answerCount) {
            throw new IndexOutOfBoundsException("answer " + i + " of " + answerCount);
        }
        int e = 0;
        for (int k = 0; k < i; k++) {
            final int d = dataAt(e);
            e = d + (answers[d - 1] & 0xff);
        }
        return e;
    }

    private int dataAt(final int e) {
        return e + 2 + (answers[e + 1] & 0xff) + 1;
    }

    private int u16(final int at) {
        return (answers[at] & 0xff) << 8 | answers[at + 1] & 0xff;
    }

    private String address(final int d, final int len) {
        try {
            return java.net.InetAddress.getByAddress(java.util.Arrays.copyOfRange(answers, d, d + len)).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e); // 4 or 16 bytes by construction
        }
    }

    /** Bytes from the wire as UTF-8, malformed sequences replaced; the printer escapes the rest. */
    private static String text(final byte[] b, final int off, final int len) {
        return new String(b, off, len, StandardCharsets.UTF_8);
    }

    /** The mnemonic of a DNS type ({@code A}, {@code SRV}, ...), or {@code TYPE<n>} (RFC 3597). */
    public static String typeName(final int type) {
        return switch (type) {
            case 1 -> "A";
            case 2 -> "NS";
            case 5 -> "CNAME";
            case 6 -> "SOA";
            case 12 -> "PTR";
            case 15 -> "MX";
            case 16 -> "TXT";
            case Dns.TYPE_AAAA -> "AAAA";
            case Dns.TYPE_SRV -> "SRV";
            case 35 -> "NAPTR";
            case 41 -> "OPT";
            case 64 -> "SVCB";
            case 65 -> "HTTPS";
            case 255 -> "ANY";
            default -> "TYPE" + type;
        };
    }

    // ---- spill ----------------------------------------------------------------------------------

    /** Writes what a report reads (see {@link #readFrom}). */
    public void writeTo(final ByteBuffer out) {
        out.putInt(queryLength).putInt(queryType).put((byte) (responseSeen ? 1 : 0)).putInt(rcode);
        if (queryLength >= 0) {
            out.put(query, 0, queryLength);
        }
        out.putInt(answerCount).putInt(answersLength).put(answers, 0, answersLength);
    }

    /** Reads what {@link #writeTo} wrote into this (reset) object. */
    public void readFrom(final ByteBuffer in) {
        queryLength = in.getInt();
        queryType = in.getInt();
        responseSeen = in.get() != 0;
        rcode = in.getInt();
        if (queryLength >= 0) {
            in.get(query, 0, queryLength);
        }
        answerCount = in.getInt();
        answersLength = in.getInt();
        in.get(answers, 0, answersLength);
    }
}
