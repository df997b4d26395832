package io.mraflow.flow;

import io.mraflow.inspect.FlowInspection;
import io.mraflow.inspect.PayloadInspector;

import static io.mraflow.flow.FlowSlotLayout.*;

import io.mraflow.decode.DecodeStatus;
import io.mraflow.decode.PacketView;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Follows every bidirectional TCP and UDP 5-tuple flow and hands each one to a {@link FlowSink}
 * when it ends, with Zeek conn.log semantics. Owned by one thread: every method must be called
 * from the thread that owns the table (the pipeline's worker); nothing here is thread-safe and
 * nothing takes a lock.
 *
 * <p><b>Table.</b> Open addressing with linear probing and backward-shift deletion over a tag
 * array; each tag points to the flow's row in three primitive arrays laid out by
 * {@link FlowSlotLayout}. A flow keeps its row for life (deletion and growth move tags only), and
 * rows are taken lowest first, so the flows active at one time, mostly the recent ones, lie
 * together rather than scattered by their hash. The capacity (slots, and as many rows) is a power
 * of two; the table doubles when it is {@value #LOAD_PERCENT}% full, up to
 * {@link FlowTableConfig#maxCapacity()}. There it holds at most {@link FlowTableConfig#maxFlows()}
 * flows: a new flow beyond that first ends the least recently seen of
 * {@value #EVICTION_SAMPLE} rows ({@link FlowEnd#EVICTED}, counted in {@link #flowsEvicted()}), the
 * approximation of LRU that Redis makes, so that memory stays bounded whatever the capture holds
 * and no flow is ever refused. Growing allocates
 * (amortised); in steady state {@link #onPacket} allocates nothing except the one
 * {@link FlowRecord} of a flow that ends.
 *
 * <p><b>Which packets.</b> TCP and UDP packets with ports make and feed flows. Non-first IP
 * fragments are counted (packets and IP bytes) to the flow of their first fragment through a
 * small direct-mapped fragment table; a fragment whose first fragment was not seen (or came
 * later, or was overwritten in the table) is counted in {@link #fragmentsUnattributed()}. ICMP
 * and ICMPv6 errors quoting a TCP/UDP packet are counted to the quoted flow (not as its packets);
 * when no such flow exists, in {@link #icmpErrorsUnmatched()}. Everything else is counted in
 * {@link #packetsIgnored()}.
 *
 * <p><b>Originator.</b> The sender of the first SYN (without ACK). If the first packet seen is a
 * SYN-ACK, its receiver is the originator and the history starts with {@code ^} (Zeek's
 * {@code Connection::FlipRoles}). Midstream TCP and UDP: the sender of the first packet seen.
 *
 * <p><b>TCP.</b> Endpoint states (INACTIVE, SYN_SENT, SYN_ACK_SENT, PARTIAL, ESTABLISHED,
 * CLOSED, RESET), the history letters and their repeat rules, payload bytes from sequence
 * numbers with 32-bit wrap, and conn_state all follow Zeek's TCP analyzer and
 * {@code Conn::conn_state}. A pure SYN with a new initial sequence number on a flow that is
 * finished (FIN both ways, or a RST seen) ends that flow and starts a new one.
 *
 * <p><b>Expiry.</b> By capture time with the timeouts of {@link FlowTableConfig}: each packet
 * examines {@link FlowTableConfig#sweepSlotsPerPacket()} rows (a cursor walks the rows), so a
 * flow is emitted at most one full walk after it went idle, with no pause. A packet that finds
 * its flow already past its timeout emits the old flow and starts a new one, so the split never
 * depends on where the cursor is.
 *
 * <p><b>Where this differs from Zeek</b>, on purpose:
 * <ul>
 *   <li>Zeek flips roles only by its {@code likely_server_ports} heuristic (which also flips
 *       midstream TCP and UDP flows seen first from a well-known port); here a SYN-ACK seen
 *       first always flips and nothing else does, so the result does not depend on a port
 *       list. Zeek's later flip on a SYN/SYN-ACK reversal inside a flow is not done.</li>
 *   <li>Zeek treats any SYN whose sequence number differs from the originator's ISN as a new
 *       connection, even on an open one ({@code SYN_seq_jump}, {@code active_connection_reuse});
 *       here only a pure SYN on a finished flow does, so a client retrying with a new ISN on
 *       the same port stays one S0 flow with its attempts counted.</li>
 *   <li>IP fragments count as packets each (Zeek reassembles first and counts one).</li>
 *   <li>The last packet time includes trailing packets after both FINs (Zeek stops updating
 *       its duration there), and byte counts are given even for zero-duration flows.</li>
 *   <li>No 'C' (checksums are not verified upstream), no 'G' (no stream reassembly), no 'x'.
 *       History keeps at most {@link FlowSlotLayout#HIST_CAP} letters.</li>
 *   <li>Closed and reset flows leave the table 5 s after their last packet rather than 5 s
 *       after the close; Zeek's TCP handshake timeout is its UDP inactivity timeout.</li>
 * </ul>
 */
public final class FlowTable {

    // TCP endpoint states, Zeek's EndpointState (order matters for nothing but readability).
    static final byte INACTIVE = 0;
    static final byte SYN_SENT = 1;
    static final byte SYN_ACK_SENT = 2;
    static final byte PARTIAL = 3;
    static final byte ESTABLISHED = 4;
    static final byte CLOSED = 5;
    static final byte RESET = 6;
    /** UDP endpoint that has sent a packet (Zeek's UDP_ACTIVE). */
    static final byte UDP_ACTIVE = 1;

    static final int FIN = 0x01;
    static final int SYN = 0x02;
    static final int RST = 0x04;
    static final int ACK = 0x10;

    static final int TCP = 6;
    static final int UDP = 17;

    // Zeek's history masks (TCP_Endpoint::HistoryMasks); responder's are shifted left 16.
    static final int HIST_SYN_PKT = 0x1;
    static final int HIST_FIN_PKT = 0x2;
    static final int HIST_RST_PKT = 0x4;
    static final int HIST_FIN_RST_PKT = 0x8;
    static final int HIST_DATA_PKT = 0x10;
    static final int HIST_ACK_PKT = 0x20;
    static final int HIST_MULTI_FLAG_PKT = 0x40;

    /** Zeek's TOO_LARGE_SEQ_DELTA: SYN/RST sequence jumps larger than this are not trusted. */
    static final int TOO_LARGE_SEQ_DELTA = 1048576;
    static final long MASK32 = 0xffff_ffffL;

    /** Grow (or, at the maximum capacity, evict) beyond this load. */
    static final int LOAD_PERCENT = 70;
    /** Rows examined for the least recently seen flow when one must be evicted. */
    static final int EVICTION_SAMPLE = 32;

    private final FlowTableConfig config;
    private final FlowSink sink;

    // Probe array: a flow's hash and row, 0 when free (see FlowSlotLayout).
    private long[] tags;
    // Per-flow state by row: a flow keeps its row for life, whatever the probe array does.
    private long[] longs;
    private int[] ints;
    private byte[] bytes;
    // Per-flow payload facts by row; null when not inspecting.
    private FlowInspection[] inspections;
    // A row's hash (HASH_USED_BIT set), 0 when the row is free: the sweep's dense walk, and the
    // way back from a row to its tag.
    private int[] rowHash;
    // Free rows, a stack: the lowest row on top at first, so rows are taken in creation order and
    // the flows active at one time (mostly the recent ones) sit close together in memory.
    private int[] freeRows;
    private int freeTop;
    private final PayloadInspector inspector;
    private final long shortestTimeout;
    private int capacity;
    private int mask;
    private int size;
    private int growAt;
    private int sweepCursor;
    private int evictionCursor;
    /** The latest packet time seen: the end of the input for {@link #flushAll()}. */
    private long latestNanos = Long.MIN_VALUE;
    private long nextSerial;

    // Fragment table, direct-mapped on (src, dst, proto, id): remembers the ports of a first
    // fragment. A later first fragment that maps to the same entry overwrites it.
    private final int fragMask;
    private final long[] fragSrcHi;
    private final long[] fragSrcLo;
    private final long[] fragDstHi;
    private final long[] fragDstLo;
    private final long[] fragId;
    private final long[] fragTs;
    private final int[] fragProto;   // 0 = empty
    private final int[] fragPorts;   // srcPort << 16 | dstPort

    // Results of the last find(): which key side the packet's source is. Fields, not an
    // allocated pair, to keep the per-packet path allocation-free.
    private boolean srcIsA;
    // Set by relativeSeq(): the sequence number lies before the endpoint's start.
    private boolean seqUnderflow;

    private long flowsCreated;
    private long flowsExpired;
    private long flowsEnded;
    private long flowsEvicted;
    private long fragmentsAttributed;
    private long fragmentsUnattributed;
    private long icmpErrorsMatched;
    private long icmpErrorsUnmatched;
    private long packetsIgnored;

    public FlowTable(FlowTableConfig config, FlowSink sink) {
        this(config, sink, null);
    }

    /**
     * A table that also hands each flow's payloads to {@code inspector} (one per table: the
     * inspector is owned by the table's thread). Each flow gets its {@link FlowInspection} when
     * it is created, never per packet; the record carries it at the end.
     */
    public FlowTable(FlowTableConfig config, FlowSink sink, PayloadInspector inspector) {
        this.config = config;
        this.sink = sink;
        this.inspector = inspector;
        this.shortestTimeout = Math.min(Math.min(config.tcpClosedTimeoutNanos(), config.tcpHandshakeTimeoutNanos()),
                Math.min(config.tcpInactivityTimeoutNanos(), config.udpInactivityTimeoutNanos()));
        allocate(config.initialCapacity());
        int fragSize = config.fragmentTableSize();
        fragMask = fragSize - 1;
        fragSrcHi = new long[fragSize];
        fragSrcLo = new long[fragSize];
        fragDstHi = new long[fragSize];
        fragDstLo = new long[fragSize];
        fragId = new long[fragSize];
        fragTs = new long[fragSize];
        fragProto = new int[fragSize];
        fragPorts = new int[fragSize];
    }

    private void allocate(int cap) {
        capacity = cap;
        mask = cap - 1;
        tags = new long[cap];
        longs = new long[cap * LONGS];
        ints = new int[cap * INTS];
        bytes = new byte[cap * BYTES];
        inspections = new FlowInspection[cap];
        rowHash = new int[cap];
        freeRows = new int[cap];
        freeAllRows();
        growAt = (int) ((long) cap * LOAD_PERCENT / 100);
    }

    private void freeAllRows() {
        for (int i = 0; i < capacity; i++) {
            freeRows[i] = capacity - 1 - i;
        }
        freeTop = capacity;
    }

    // ---- counters ------------------------------------------------------------------------------

    /** Flows started (each later emitted exactly once). */
    public long flowsCreated() {
        return flowsCreated;
    }

    /** Flows emitted because they were idle longer than their timeout. */
    public long flowsExpired() {
        return flowsExpired;
    }

    /** Flows emitted because a new SYN reused their finished 5-tuple. */
    public long flowsEnded() {
        return flowsEnded;
    }

    /** Flows ended early ({@link FlowEnd#EVICTED}) to make room because the table was full. */
    public long flowsEvicted() {
        return flowsEvicted;
    }

    public long fragmentsAttributed() {
        return fragmentsAttributed;
    }

    /** Non-first fragments whose first fragment was not found in the fragment table. */
    public long fragmentsUnattributed() {
        return fragmentsUnattributed;
    }

    public long icmpErrorsMatched() {
        return icmpErrorsMatched;
    }

    /** ICMP errors quoting a packet of no flow in the table. */
    public long icmpErrorsUnmatched() {
        return icmpErrorsUnmatched;
    }

    /** Packets that neither make nor feed a flow (not IP, not TCP/UDP, no ports, bad decode). */
    public long packetsIgnored() {
        return packetsIgnored;
    }

    /** Flows open now. */
    public int size() {
        return size;
    }

    /** Slots allocated now (a power of two). */
    public int capacity() {
        return capacity;
    }

    // ---- per packet ----------------------------------------------------------------------------

    /** Accounts one decoded packet. */
    public void onPacket(PacketView p) {
        final long now = p.tsNanos;
        latestNanos = Math.max(latestNanos, now);
        sweep(now, config.sweepSlotsPerPacket());

        if (p.ipVersion == 0 || (p.status != DecodeStatus.OK && p.status != DecodeStatus.TRUNCATED)) {
            packetsIgnored++;
            return;
        }
        if (p.icmpError) {
            onIcmpError(p, now);
            return;
        }
        final int proto = p.ipProto;
        if (proto != TCP && proto != UDP) {
            packetsIgnored++;
            return;
        }
        if (!p.hasPorts) {
            if (p.fragment) {
                onLaterFragment(p, now);
            } else {
                packetsIgnored++;
            }
            return;
        }

        int row = find(proto, p.srcHi, p.srcLo, p.srcPort, p.dstHi, p.dstLo, p.dstPort);
        if (row >= 0) {
            row = stillOpen(row, p, now);
        }
        if (row < 0) {
            row = create(p, now);
        }
        if (p.fragment) {
            rememberFirstFragment(p, now);
        }
        final boolean isOrig = srcIsA == origIsA(row);
        count(row, isOrig ? 0 : 1, p.ipLen, p.wireLen, now);
        if (proto == UDP) {
            udpPacket(row, isOrig, p.payloadLen);
        } else {
            tcpPacket(row, isOrig, p);
        }
        if (inspector != null && p.payloadCapLen > 0 && p.fragOffset == 0) {
            inspector.inspect(inspections[row], isOrig, p.buffer, p.payloadOffset, p.payloadCapLen, now);
        }
    }

    /** {@link #flushAll(long)} at the latest packet time this table saw. */
    public void flushAll() {
        flushAll(latestNanos);
    }

    /**
     * Emits every open flow, in first-packet-time order, and empties the table: the end of the
     * input, at capture time {@code endNanos}. A flow already past its timeout then is
     * {@link FlowEnd#IDLE} whether or not the sweep reached it, so that how a flow ended does not
     * depend on how packets were spread over tables. Allocates (a sort); not for the per-packet path.
     */
    public void flushAll(long endNanos) {
        flushAll(endNanos, FlowEnd.END_OF_INPUT);
    }

    /** {@link #flushAll(long)}, the flows not yet idle ending as {@code open} says (a live capture's shutdown). */
    public void flushAll(long endNanos, FlowEnd open) {
        for (int s : rowsInFirstPacketOrder()) {
            final boolean idle = endNanos - longs[s * LONGS + LAST_TS] > timeoutOf(s);
            sink.flowEnded(toRecord(s, idle ? FlowEnd.IDLE : open));
        }
        Arrays.fill(tags, 0L);
        Arrays.fill(inspections, null);
        Arrays.fill(rowHash, 0);
        freeAllRows();
        size = 0;
        sweepCursor = 0;
    }

    /**
     * The used rows by first-packet time, then creation order. Flows are created in packet
     * order, so in a capture whose times never go back creation order is that order already: one
     * primitive sort of (serial, row) pairs, checked, and a full sort only when the check fails.
     */
    private int[] rowsInFirstPacketOrder() {
        final int rowBits = Integer.numberOfTrailingZeros(capacity); // capacity is a power of two
        final boolean pairsFit = nextSerial < 1L << (63 - rowBits);
        final long[] bySerial = new long[size];
        int k = 0;
        for (int s = 0; s < capacity; s++) {
            if (rowHash[s] != 0) {
                bySerial[k++] = pairsFit ? longs[s * LONGS + SERIAL] << rowBits | s : s;
            }
        }
        Arrays.sort(bySerial);
        final int[] rows = new int[k];
        final long rowMask = (1L << rowBits) - 1;
        boolean timesAscend = pairsFit;
        for (int i = 0; i < k; i++) {
            rows[i] = (int) (bySerial[i] & rowMask);
            timesAscend &= i == 0 || longs[rows[i - 1] * LONGS + FIRST_TS] <= longs[rows[i] * LONGS + FIRST_TS];
        }
        if (timesAscend) {
            return rows;
        }
        final Integer[] boxed = new Integer[k];
        for (int i = 0; i < k; i++) {
            boxed[i] = rows[i];
        }
        Arrays.sort(boxed, (x, y) -> {
            final int c = Long.compare(longs[x * LONGS + FIRST_TS], longs[y * LONGS + FIRST_TS]);
            return c != 0 ? c : Long.compare(longs[x * LONGS + SERIAL], longs[y * LONGS + SERIAL]);
        });
        for (int i = 0; i < k; i++) {
            rows[i] = boxed[i];
        }
        return rows;
    }

    /**
     * Hands {@code to} the state so far ({@link FlowEnd#OPEN}) of every open flow that saw a packet
     * after {@code sinceNanos}, with a copy of its payload state (the table goes on changing the
     * original): what a live capture raises findings from before a flow ends. Allocates a record
     * per flow; called about once a second, not per packet.
     */
    public void snapshotChanged(long sinceNanos, FlowSink to) {
        for (int s = 0; s < capacity; s++) {
            if (rowHash[s] != 0 && longs[s * LONGS + LAST_TS] > sinceNanos) {
                final FlowRecord r = toRecord(s, FlowEnd.OPEN);
                to.flowEnded(r.inspection() == null ? r : r.withInspection(r.inspection().copy()));
            }
        }
    }

    /**
     * Examines up to {@code slots} rows for idle expiry at capture time {@code nowNanos}.
     * {@link #onPacket} already does this; a live capture may call it when no packet comes.
     */
    public void expireIdle(long nowNanos, int slots) {
        sweep(nowNanos, slots);
    }

    // ---- expiry --------------------------------------------------------------------------------

    private void sweep(long now, int budget) {
        int i = sweepCursor & mask;
        for (int n = 0; n < budget && size > 0; n++) {
            // Free rows are seen in rowHash alone; for used ones the shortest timeout first:
            // most flows are active, so most rows stop at one compare.
            if (rowHash[i] != 0) {
                final long idle = now - longs[i * LONGS + LAST_TS];
                if (idle > shortestTimeout && idle > timeoutOf(i)) {
                    flowsExpired++;
                    emitAndRemove(i, FlowEnd.IDLE);
                }
            }
            i = (i + 1) & mask;
        }
        sweepCursor = i;
    }

    private long timeoutOf(int s) {
        final long meta = longs[s * LONGS + META];
        if (lane(meta, PROTO) == UDP) {
            return config.udpInactivityTimeoutNanos();
        }
        final byte os = lane(meta, EP_LANE_BASE + EP_STATE);
        final byte rs = lane(meta, EP_LANE_BASE + EP_LANES + EP_STATE);
        if ((os == CLOSED && rs == CLOSED) || os == RESET || rs == RESET) {
            return config.tcpClosedTimeoutNanos();
        }
        if (isHandshake(os) && isHandshake(rs)) {
            return config.tcpHandshakeTimeoutNanos();
        }
        return config.tcpInactivityTimeoutNanos();
    }

    private static boolean isHandshake(byte state) {
        return state == INACTIVE || state == SYN_SENT || state == SYN_ACK_SENT;
    }

    /**
     * The row, or -1 when the packet's flow has ended there (the ended flow is then emitted and
     * removed): idle past its timeout, or its 5-tuple reused by a new connection. A method of its
     * own, returning a row rather than a yes or no, so that these rare events are not branches of
     * the per-packet path (scripts/compile-commands: a branch first taken late in a capture makes
     * the JIT discard and redo the compiled path that holds it).
     */
    private int stillOpen(int row, PacketView p, long now) {
        if (now - longs[row * LONGS + LAST_TS] > timeoutOf(row)) {
            flowsExpired++;
            emitAndRemove(row, FlowEnd.IDLE);
            return -1;
        }
        if (p.ipProto == TCP && isReuse(row, p)) {
            flowsEnded++;
            emitAndRemove(row, FlowEnd.REUSED);
            return -1;
        }
        return row;
    }

    private void emitAndRemove(int s, FlowEnd end) {
        sink.flowEnded(toRecord(s, end));
        remove(s);
    }

    /**
     * Makes room for one flow in a full table: ends the least recently seen flow among the next
     * {@value #EVICTION_SAMPLE} used rows from a cursor that walks the rows. Exact LRU would cost
     * every packet a list update in other rows' memory; a sample costs only the packets that
     * start a flow in a full table.
     */
    private void evictOne() {
        int victim = -1;
        long oldest = Long.MAX_VALUE;
        int i = evictionCursor & mask;
        for (int seen = 0, examined = 0; seen < EVICTION_SAMPLE && examined < capacity; examined++) {
            if (rowHash[i] != 0) {
                seen++;
                final long last = longs[i * LONGS + LAST_TS];
                if (last < oldest) {
                    oldest = last;
                    victim = i;
                }
            }
            i = (i + 1) & mask;
        }
        evictionCursor = i;
        flowsEvicted++;
        emitAndRemove(victim, FlowEnd.EVICTED);
    }

    // ---- hash table ----------------------------------------------------------------------------

    private static boolean endpointLess(long hi1, long lo1, int port1, long hi2, long lo2, int port2) {
        int c = Long.compareUnsigned(hi1, hi2);
        if (c == 0) {
            c = Long.compareUnsigned(lo1, lo2);
        }
        return c < 0 || (c == 0 && port1 < port2);
    }

    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    private static int hash(int proto, long aHi, long aLo, long bHi, long bLo, int ports) {
        long h = mix(aHi ^ ((long) proto << 56));
        h = mix(h ^ aLo);
        h = mix(h ^ bHi);
        h = mix(h ^ bLo);
        h = mix(h ^ (ports & 0xffff_ffffL) ^ ((long) proto << 40));
        return (int) (h ^ (h >>> 32));
    }

    /**
     * Finds the flow of a packet from (sHi,sLo,sPort) to (dHi,dLo,dPort); sets {@link #srcIsA}.
     * Returns the flow's row, or -1.
     */
    int find(int proto, long sHi, long sLo, int sPort, long dHi, long dLo, int dPort) {
        final boolean sa = !endpointLess(dHi, dLo, dPort, sHi, sLo, sPort);
        srcIsA = sa;
        final long aHi = sa ? sHi : dHi;
        final long aLo = sa ? sLo : dLo;
        final long bHi = sa ? dHi : sHi;
        final long bLo = sa ? dLo : sLo;
        final int ports = sa ? (sPort << 16 | dPort) : (dPort << 16 | sPort);
        final int h = hash(proto, aHi, aLo, bHi, bLo, ports);
        final int want = h | HASH_USED_BIT;
        int i = h & mask;
        long t;
        // Only a hash match reads the row itself (the key, then the protocol).
        while ((t = tags[i]) != 0) {
            if (tagHash(t) == want) {
                final int r = tagRow(t);
                final int l = r * LONGS;
                if (longs[l + A_HI] == aHi && longs[l + A_LO] == aLo
                        && longs[l + B_HI] == bHi && longs[l + B_LO] == bLo
                        && longs[l + PORTS] == (ports & MASK32)
                        && lane(longs[l + META], PROTO) == proto) {
                    return r;
                }
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    /** Inserts a new flow for the packet (after find() missed); returns its row. */
    private int create(PacketView p, long now) {
        if (size >= growAt) {
            if (capacity < config.maxCapacity()) {
                grow();
            } else {
                evictOne(); // full: growAt at the largest capacity is maxFlows
            }
        }
        final boolean sa = srcIsA;
        final long aHi = sa ? p.srcHi : p.dstHi;
        final long aLo = sa ? p.srcLo : p.dstLo;
        final long bHi = sa ? p.dstHi : p.srcHi;
        final long bLo = sa ? p.dstLo : p.srcLo;
        final int ports = sa ? (p.srcPort << 16 | p.dstPort) : (p.dstPort << 16 | p.srcPort);
        final int h = hash(p.ipProto, aHi, aLo, bHi, bLo, ports);
        int i = h & mask;
        while (tags[i] != 0) {
            i = (i + 1) & mask;
        }
        final int s = freeRows[--freeTop];
        final int l = s * LONGS;
        final int n = s * INTS;
        final int b = s * BYTES;
        Arrays.fill(longs, l, l + LONGS, 0L);
        Arrays.fill(ints, n, n + INTS, 0);
        Arrays.fill(bytes, b, b + BYTES, (byte) 0);
        longs[l + A_HI] = aHi;
        longs[l + A_LO] = aLo;
        longs[l + B_HI] = bHi;
        longs[l + B_LO] = bLo;
        longs[l + PORTS] = ports & MASK32;
        longs[l + FIRST_TS] = now;
        longs[l + LAST_TS] = now;
        longs[l + SERIAL] = nextSerial++;
        tags[i] = tag(h, s);
        rowHash[s] = h | HASH_USED_BIT;
        ints[n + ICMP_TYPE] = -1;
        ints[n + ICMP_CODE] = -1;
        for (int e = 0; e < 2; e++) {
            ints[n + EP_INT_BASE + e * EP_INTS + EP_RXMT_THRESH] = 1;
            ints[n + EP_INT_BASE + e * EP_INTS + EP_WIN0_THRESH] = 1;
        }
        inspections[s] = inspector == null ? null
                : new FlowInspection(p.ipProto, FlowInspection.isDnsPort(p.srcPort, p.dstPort));
        bytes[b + IP_VERSION] = (byte) p.ipVersion;
        // Who opened it: the sender, unless the first packet is a SYN-ACK (then its receiver).
        final boolean synAck = p.ipProto == TCP && (p.tcpFlags & (SYN | ACK)) == (SYN | ACK);
        final boolean origIsSrc = !synAck;
        long meta = withLane(0L, PROTO, (byte) p.ipProto);
        meta = withLane(meta, ORIG_IS_A, (byte) ((origIsSrc == sa) ? 1 : 0));
        longs[l + META] = meta;
        if (synAck) {
            addHistory(s, (byte) '^');
        }
        size++;
        flowsCreated++;
        return s;
    }

    /** Doubles the probe array (rehashing the tags) and the rows (copied: a flow keeps its row). */
    private void grow() {
        final long[] oldTags = tags;
        final int oldCap = capacity;
        final int cap = Math.min(oldCap << 1, config.maxCapacity());
        capacity = cap;
        mask = cap - 1;
        growAt = (int) ((long) cap * LOAD_PERCENT / 100);
        tags = new long[cap];
        for (long t : oldTags) {
            if (t == 0) {
                continue;
            }
            int i = tagHash(t) & mask;
            while (tags[i] != 0) {
                i = (i + 1) & mask;
            }
            tags[i] = t;
        }
        longs = Arrays.copyOf(longs, cap * LONGS);
        ints = Arrays.copyOf(ints, cap * INTS);
        bytes = Arrays.copyOf(bytes, cap * BYTES);
        inspections = Arrays.copyOf(inspections, cap);
        rowHash = Arrays.copyOf(rowHash, cap);
        // The new rows go under the free ones: rows already freed are taken first.
        final int[] free = new int[cap];
        int n = 0;
        for (int r = cap - 1; r >= oldCap; r--) {
            free[n++] = r;
        }
        System.arraycopy(freeRows, 0, free, n, freeTop);
        freeRows = free;
        freeTop += n;
    }

    /** Removes the flow of row {@code row}: its tag (backward shift, no tombstones), then the row. */
    void remove(int row) {
        int i = rowHash[row] & mask;
        long t;
        while (tagRow(t = tags[i]) != row || t == 0) {
            if (t == 0) {
                throw new IllegalStateException("row " + row + " has no tag");
            }
            i = (i + 1) & mask;
        }
        int hole = i;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            t = tags[j];
            if (t == 0) {
                break;
            }
            final int home = tagHash(t) & mask;
            // j may fill the hole unless its home lies cyclically in (hole, j].
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                tags[hole] = t;
                hole = j;
            }
        }
        tags[hole] = 0;
        rowHash[row] = 0;
        inspections[row] = null;
        freeRows[freeTop++] = row;
        size--;
    }

    // ---- accounting ----------------------------------------------------------------------------

    private void count(int s, int e, int ipLen, int wireLen, long now) {
        final int l = s * LONGS;
        longs[l + PKTS + e]++;
        longs[l + IP_BYTES + e] += ipLen;
        longs[l + WIRE_BYTES + e] += wireLen;
        if (now > longs[l + LAST_TS]) {
            longs[l + LAST_TS] = now;
        }
    }

    private void udpPacket(int s, boolean isOrig, int payloadLen) {
        final int e = isOrig ? 0 : 1;
        longs[s * LONGS + PAYLOAD + e] += payloadLen;
        // A UDP endpoint's first packet is its 'D': later ones need not read the history bits.
        if (state(s, e) != UDP_ACTIVE) {
            setState(s, e, UDP_ACTIVE);
            checkHistory(s, isOrig, HIST_DATA_PKT, 'D');
        }
    }

    private void rememberFirstFragment(PacketView p, long now) {
        final int i = fragIndex(p.srcHi, p.srcLo, p.dstHi, p.dstLo, p.ipProto, p.fragId);
        fragSrcHi[i] = p.srcHi;
        fragSrcLo[i] = p.srcLo;
        fragDstHi[i] = p.dstHi;
        fragDstLo[i] = p.dstLo;
        fragId[i] = p.fragId;
        fragTs[i] = now;
        fragProto[i] = p.ipProto;
        fragPorts[i] = p.srcPort << 16 | p.dstPort;
    }

    private int fragIndex(long sHi, long sLo, long dHi, long dLo, int proto, long id) {
        long h = mix(sHi ^ id);
        h = mix(h ^ sLo);
        h = mix(h ^ dHi);
        h = mix(h ^ dLo ^ proto);
        return (int) h & fragMask;
    }

    private void onLaterFragment(PacketView p, long now) {
        final int i = fragIndex(p.srcHi, p.srcLo, p.dstHi, p.dstLo, p.ipProto, p.fragId);
        if (fragProto[i] == p.ipProto && fragId[i] == p.fragId
                && fragSrcHi[i] == p.srcHi && fragSrcLo[i] == p.srcLo
                && fragDstHi[i] == p.dstHi && fragDstLo[i] == p.dstLo
                && now - fragTs[i] <= config.fragmentTimeoutNanos()) {
            final int ports = fragPorts[i];
            final int s = find(p.ipProto, p.srcHi, p.srcLo, ports >>> 16,
                    p.dstHi, p.dstLo, ports & 0xffff);
            if (s >= 0 && now - longs[s * LONGS + LAST_TS] <= timeoutOf(s)) {
                final boolean isOrig = srcIsA == origIsA(s);
                count(s, isOrig ? 0 : 1, p.ipLen, p.wireLen, now);
                fragmentsAttributed++;
                return;
            }
        }
        fragmentsUnattributed++;
    }

    private void onIcmpError(PacketView p, long now) {
        final int qp = p.quotedProto;
        if (qp == TCP || qp == UDP) {
            final int s = find(qp, p.quotedSrcHi, p.quotedSrcLo, p.quotedSrcPort,
                    p.quotedDstHi, p.quotedDstLo, p.quotedDstPort);
            if (s >= 0 && now - longs[s * LONGS + LAST_TS] <= timeoutOf(s)) {
                final int n = s * INTS;
                ints[n + ICMP_ERRORS]++;
                ints[n + ICMP_TYPE] = p.icmpType;
                ints[n + ICMP_CODE] = p.icmpCode;
                longs[s * LONGS + ICMP_FROM_HI] = p.srcHi;
                longs[s * LONGS + ICMP_FROM_LO] = p.srcLo;
                icmpErrorsMatched++;
                return;
            }
        }
        icmpErrorsUnmatched++;
    }

    // ---- history -------------------------------------------------------------------------------

    private void addHistory(int s, byte code) {
        final int b = s * BYTES;
        final int len = bytes[b + HIST_LEN];
        if (len < HIST_CAP) {
            bytes[b + HISTORY + len] = code;
            bytes[b + HIST_LEN] = (byte) (len + 1);
        }
    }

    /**
     * Zeek's Connection::CheckHistory: records the letter the first time the mask is seen for
     * that side and returns false; returns true when it had been seen already.
     */
    private boolean checkHistory(int s, boolean isOrig, int mask, char code) {
        final int bit = isOrig ? mask : mask << 16;
        final int n = s * INTS + HIST_SEEN;
        if ((ints[n] & bit) == 0) {
            ints[n] |= bit;
            addHistory(s, (byte) (isOrig ? code : Character.toLowerCase(code)));
            return false;
        }
        return true;
    }

    private void addEndpointHistory(int s, boolean isOrig, char code) {
        addHistory(s, (byte) (isOrig ? code : Character.toLowerCase(code)));
    }

    /** Zeek's ScaledHistoryEntry: the letter at the 1st, 10th, 100th... occurrence. */
    private void scaledHistory(int s, int e, int cntField, int threshField, char code) {
        final int n = s * INTS + EP_INT_BASE + e * EP_INTS;
        final int cnt = ++ints[n + cntField];
        final int thresh = ints[n + threshField];
        if (cnt == thresh) {
            addEndpointHistory(s, e == 0, code);
            final long next = (thresh & MASK32) * 10;
            if (next > MASK32) {
                ints[n + cntField] = 0;
            } else {
                ints[n + threshField] = (int) next;
            }
        }
    }

    // ---- TCP -----------------------------------------------------------------------------------

    private boolean origIsA(int s) {
        return lane(longs[s * LONGS + META], ORIG_IS_A) != 0;
    }

    private byte proto(int s) {
        return lane(longs[s * LONGS + META], PROTO);
    }

    private byte state(int s, int e) {
        return lane(longs[s * LONGS + META], EP_LANE_BASE + e * EP_LANES + EP_STATE);
    }

    private byte prevState(int s, int e) {
        return lane(longs[s * LONGS + META], EP_LANE_BASE + e * EP_LANES + EP_PREV_STATE);
    }

    private void setState(int s, int e, byte st) {
        final int i = s * LONGS + META;
        final int lane = EP_LANE_BASE + e * EP_LANES;
        final long meta = longs[i];
        final byte old = lane(meta, lane + EP_STATE);
        if (old != st) {
            longs[i] = withLane(withLane(meta, lane + EP_PREV_STATE, old), lane + EP_STATE, st);
        }
    }

    private int epL(int s, int e, int field) {
        return s * LONGS + EP_LONG_BASE + e * EP_LONGS + field;
    }

    private int epI(int s, int e, int field) {
        return s * INTS + EP_INT_BASE + e * EP_INTS + field;
    }

    private long startSeq32(int s, int e) {
        return longs[epL(s, e, EP_START_SEQ)] & MASK32;
    }

    private static int seqDelta(long a, long b) {
        return (int) (a - b);
    }

    private void initSeqs(int s, int e, long start, long last) {
        longs[epL(s, e, EP_START_SEQ)] = start;
        longs[epL(s, e, EP_ACK_SEQ)] = start & MASK32;
        longs[epL(s, e, EP_LAST_SEQ)] = last & MASK32;
    }

    private void updateLastSeqValue(int s, int e, long seq) {
        final int i = epL(s, e, EP_LAST_SEQ);
        if (seq < longs[i]) {
            ints[epI(s, e, EP_SEQ_WRAPS)]++;
        }
        longs[i] = seq;
    }

    private void updateAckSeqValue(int s, int e, long seq) {
        final int i = epL(s, e, EP_ACK_SEQ);
        if (seq < longs[i]) {
            ints[epI(s, e, EP_ACK_WRAPS)]++;
        }
        longs[i] = seq;
    }

    /** Zeek's get_relative_seq; sets {@link #seqUnderflow}. */
    private long relativeSeq(int s, int e, long cur, long last, int wraps) {
        seqUnderflow = false;
        final int delta = seqDelta(cur, last);
        if (delta < 0) {
            if (wraps != 0 && cur > last) {
                wraps--;
            }
        } else if (delta > 0) {
            if (cur < last) {
                wraps++;
            }
        }
        if (wraps == 0) {
            final int d = seqDelta(cur, startSeq32(s, e));
            seqUnderflow = d < 0;
            return d;
        }
        return ((wraps & MASK32) << 32) + cur - longs[epL(s, e, EP_START_SEQ)];
    }

    private void tcpPacket(int s, boolean isOrig, PacketView p) {
        final int e = isOrig ? 0 : 1;
        final int peer = 1 - e;
        final int flags = p.tcpFlags;
        final boolean syn = (flags & SYN) != 0;
        final boolean fin = (flags & FIN) != 0;
        final boolean rst = (flags & RST) != 0;
        final boolean ack = (flags & ACK) != 0;
        final int len = p.payloadLen;
        final long seq = p.tcpSeq & MASK32;
        final long ackSeq = p.tcpAck & MASK32;

        int segLen = len;
        if (syn) {
            segLen++;
        }
        if (fin) {
            segLen++;
        }
        if (rst) {
            segLen -= len;
        }
        final long seqEnd = (seq + segLen) & MASK32;

        initEndpoint(s, e, syn, seq, seqEnd);
        final long relSeq = relativeSeq(s, e, seq, longs[epL(s, e, EP_LAST_SEQ)],
                ints[epI(s, e, EP_SEQ_WRAPS)]);
        updateHistory(s, isOrig, e, syn, fin, rst, ack, relSeq, len);

        // Zero window (Zeek's update_window): boring with or after a RST, or after the peer's FIN.
        if (p.tcpWindow == 0 && !rst && state(s, peer) != CLOSED && state(s, e) != RESET) {
            scaledHistory(s, e, EP_WIN0_CNT, EP_WIN0_THRESH, 'W');
        }
        if (fin) {
            ints[epI(s, e, EP_FIN_CNT)]++;
        }
        if (rst) {
            ints[epI(s, e, EP_RST_CNT)]++;
        }
        if (ack) {
            if (state(s, peer) == INACTIVE) {
                // Number the peer's bytes as though its SYN had been seen.
                initSeqs(s, peer, (ackSeq - 1) & MASK32, ackSeq - 1);
            } else {
                relativeSeq(s, peer, ackSeq, longs[epL(s, peer, EP_ACK_SEQ)],
                        ints[epI(s, peer, EP_ACK_WRAPS)]);
                if (!seqUnderflow && !rst) {
                    final int deltaAck = seqDelta(ackSeq, longs[epL(s, peer, EP_ACK_SEQ)]);
                    if (!(ackSeq == 0 && deltaAck > TOO_LARGE_SEQ_DELTA) && deltaAck > 0) {
                        updateAckSeqValue(s, peer, ackSeq);
                    }
                }
            }
        }
        updateLastSeq(s, e, seqEnd, syn, fin, rst, len);
        updateStateMachine(s, e, peer, isOrig, syn, fin, rst, ack, len, seq);
    }

    private void initEndpoint(int s, int e, boolean syn, long seq, long seqEnd) {
        switch (state(s, e)) {
            case INACTIVE -> {
                if (syn) {
                    initSeqs(s, e, seq, seqEnd);
                } else {
                    // Partial connection: number as though a SYN had been seen, and make
                    // sure the first packet does not look like a retransmission.
                    initSeqs(s, e, (seq - 1) & MASK32, seq);
                }
            }
            case SYN_SENT, SYN_ACK_SENT -> {
                if (syn && seq != startSeq32(s, e)) {
                    initSeqs(s, e, seq, seqEnd);
                }
            }
            case ESTABLISHED, PARTIAL -> {
                if (syn) {
                    initSeqs(s, e, seq, seqEnd);
                }
            }
            case RESET -> {
                if (syn && prevState(s, e) == INACTIVE) {
                    initSeqs(s, e, seq, seqEnd);
                }
            }
            default -> {
            }
        }
    }

    /** Zeek's update_history. */
    private void updateHistory(int s, boolean isOrig, int e, boolean syn, boolean fin,
                               boolean rst, boolean ack, long relSeq, int len) {
        final int bitsSet = (syn ? 1 : 0) + (fin ? 1 : 0) + (rst ? 1 : 0);
        if (bitsSet > 1) {
            if (fin && rst) {
                checkHistory(s, isOrig, HIST_FIN_RST_PKT, 'I');
            } else {
                checkHistory(s, isOrig, HIST_MULTI_FLAG_PKT, 'Q');
            }
        } else if (bitsSet == 1) {
            if (syn) {
                final char code = ack ? 'H' : 'S';
                final int i = epL(s, e, EP_HIST_LAST_SYN);
                if (checkHistory(s, isOrig, HIST_SYN_PKT, code) && relSeq != longs[i]) {
                    addEndpointHistory(s, isOrig, code);
                }
                longs[i] = relSeq;
            } else if (fin) {
                // A FIN's sequence number is at the end of any data it carries.
                final int i = epL(s, e, EP_HIST_LAST_FIN);
                if (checkHistory(s, isOrig, HIST_FIN_PKT, 'F') && relSeq + len != longs[i]) {
                    addEndpointHistory(s, isOrig, 'F');
                }
                longs[i] = relSeq + len;
            } else {
                final int i = epL(s, e, EP_HIST_LAST_RST);
                if (checkHistory(s, isOrig, HIST_RST_PKT, 'R') && relSeq != longs[i]) {
                    addEndpointHistory(s, isOrig, 'R');
                }
                longs[i] = relSeq;
            }
        } else if (len > 0) {
            checkHistory(s, isOrig, HIST_DATA_PKT, 'D');
        } else if (ack) {
            checkHistory(s, isOrig, HIST_ACK_PKT, 'A');
        }
    }

    /** Zeek's update_last_seq, with its retransmission ('T') detection. */
    private void updateLastSeq(int s, int e, long seqEnd, boolean syn, boolean fin, boolean rst,
                               int len) {
        final long last = longs[epL(s, e, EP_LAST_SEQ)];
        final int deltaLast = seqDelta(seqEnd, last);
        if ((syn || rst) && (deltaLast > TOO_LARGE_SEQ_DELTA || deltaLast < -TOO_LARGE_SEQ_DELTA)) {
            return; // not trusted
        }
        if (fin && last == ((startSeq32(s, e) + 1) & MASK32)) {
            updateLastSeqValue(s, e, seqEnd); // > 2 GB connections seen only by SYN and FIN
        } else if (state(s, e) == RESET) {
            return; // nothing after a RST is trusted
        } else if (deltaLast > 0) {
            updateLastSeqValue(s, e, seqEnd);
        } else if (len > 0) {
            scaledHistory(s, e, EP_RXMT_CNT, EP_RXMT_THRESH, 'T');
        }
    }

    private void updateStateMachine(int s, int e, int peer, boolean isOrig, boolean syn,
                                    boolean fin, boolean rst, boolean ack, int len, long seq) {
        switch (state(s, e)) {
            case INACTIVE -> inactiveState(s, e, peer, isOrig, syn, fin, rst, ack, len);
            case SYN_SENT, SYN_ACK_SENT -> {
                if (fin) {
                    setState(s, e, CLOSED);
                }
                if (rst) {
                    setState(s, e, RESET);
                }
            }
            case ESTABLISHED, PARTIAL -> {
                if (syn && state(s, e) == PARTIAL && state(s, peer) == INACTIVE && !ack) {
                    setState(s, e, SYN_SENT);
                }
                if (fin && !rst) {
                    setState(s, e, CLOSED);
                    if (state(s, peer) == RESET && prevState(s, peer) == CLOSED) {
                        // The peer's FIN then RST was a normal close after all.
                        setState(s, peer, CLOSED);
                    }
                }
                if (rst) {
                    setState(s, e, RESET);
                }
            }
            case CLOSED -> {
                // A RST after this side's FIN resets it, unless both FINs were already seen.
                if (rst && state(s, peer) != CLOSED) {
                    setState(s, e, RESET);
                }
            }
            default -> {
            }
        }
    }

    private void inactiveState(int s, int e, int peer, boolean isOrig, boolean syn, boolean fin,
                               boolean rst, boolean ack, int len) {
        if (syn) {
            if (isOrig) {
                setState(s, e, ack ? SYN_ACK_SENT : SYN_SENT);
            } else {
                // A SYN or SYN-ACK from the responder establishes both sides it answers.
                // (Zeek's mid-flow SYN/SYN-ACK role reversal is not done here: a SYN-ACK
                // seen first already made its receiver the originator.)
                if (state(s, peer) == SYN_SENT) {
                    setState(s, peer, ESTABLISHED);
                }
                setState(s, e, ESTABLISHED);
            }
        }
        if (fin) {
            setState(s, e, CLOSED);
        }
        if (rst) {
            setState(s, e, RESET);
        }
        if (state(s, e) == INACTIVE) {
            if (!isOrig && len == 0 && state(s, 0) == SYN_SENT) {
                // Some stacks ACK a SYN before answering it: not a partial connection.
                return;
            } else if (ack && state(s, peer) == ESTABLISHED) {
                // Missed the SYN but saw the SYN-ACK: establish rather than call it partial.
                setState(s, e, ESTABLISHED);
            } else {
                setState(s, e, PARTIAL);
            }
        }
    }

    /**
     * A pure SYN with a new initial sequence number on a finished connection (FIN both ways, or
     * a RST) starts a new connection on the same 5-tuple.
     */
    private boolean isReuse(int s, PacketView p) {
        if ((p.tcpFlags & (SYN | ACK | RST | FIN)) != SYN) {
            return false;
        }
        final byte os = state(s, 0);
        final byte rs = state(s, 1);
        if (!((os == CLOSED && rs == CLOSED) || os == RESET || rs == RESET)) {
            return false;
        }
        final boolean isOrig = srcIsA == origIsA(s);
        return (p.tcpSeq & MASK32) != startSeq32(s, isOrig ? 0 : 1);
    }

    /** Zeek's TCP_Endpoint::Size: payload bytes from sequence numbers. */
    private long tcpSize(int s, int e) {
        final int peer = 1 - e;
        final long start = longs[epL(s, e, EP_START_SEQ)];
        final long ack64 = ((ints[epI(s, e, EP_ACK_WRAPS)] & MASK32) << 32)
                + longs[epL(s, e, EP_ACK_SEQ)];
        if (prevState(s, e) == SYN_SENT && state(s, e) == RESET && state(s, peer) == INACTIVE
                && !(ack64 == start || ack64 == start + 1)) {
            return 0; // a half-open connection discovered and aborted
        }
        final long last64 = ((ints[epI(s, e, EP_SEQ_WRAPS)] & MASK32) << 32)
                + longs[epL(s, e, EP_LAST_SEQ)];
        long size = Math.max(last64, ack64) - start;
        if (size < 0) {
            return 0;
        }
        if (size != 0) {
            size--; // the SYN's octet
        }
        if (ints[epI(s, e, EP_FIN_CNT)] > 0 && size != 0) {
            size--; // the FIN's octet
        }
        return size;
    }

    /** Zeek's Conn::conn_state. */
    String connState(int s) {
        final byte os = state(s, 0);
        final byte rs = state(s, 1);
        if (proto(s) == UDP) {
            if (os == UDP_ACTIVE) {
                return rs == UDP_ACTIVE ? "SF" : "S0";
            }
            return rs == UDP_ACTIVE ? "SHR" : "OTH";
        }
        final boolean oInactive = os == INACTIVE || os == PARTIAL;
        final boolean rInactive = rs == INACTIVE || rs == PARTIAL;
        if (rs == RESET) {
            if (os == SYN_SENT || os == SYN_ACK_SENT
                    || (os == RESET && tcpSize(s, 0) == 0 && tcpSize(s, 1) == 0)) {
                return "REJ";
            }
            return oInactive ? "RSTRH" : "RSTR";
        }
        if (os == RESET) {
            if (rInactive) {
                return historyIsSynThenReset(s) ? "RSTOS0" : "OTH";
            }
            return "RSTO";
        }
        if (rs == CLOSED && os == CLOSED) {
            return "SF";
        }
        if (os == CLOSED) {
            return rInactive ? "SH" : "S2";
        }
        if (rs == CLOSED) {
            return oInactive ? "SHR" : "S3";
        }
        if (os == SYN_SENT && rs == INACTIVE) {
            return "S0";
        }
        if (os == ESTABLISHED && rs == ESTABLISHED) {
            return "S1";
        }
        return "OTH";
    }

    /** Zeek's history pattern for RSTOS0: {@code ^?S[^HAFGIQ]*R.*}. */
    private boolean historyIsSynThenReset(int s) {
        final int b = s * BYTES + HISTORY;
        final int len = bytes[s * BYTES + HIST_LEN];
        int i = 0;
        if (i < len && bytes[b + i] == '^') {
            i++;
        }
        if (i >= len || bytes[b + i] != 'S') {
            return false;
        }
        for (i++; i < len; i++) {
            final byte c = bytes[b + i];
            if (c == 'R') {
                return true;
            }
            if (c == 'H' || c == 'A' || c == 'F' || c == 'G' || c == 'I' || c == 'Q') {
                return false;
            }
        }
        return false;
    }

    // ---- output --------------------------------------------------------------------------------

    private FlowRecord toRecord(int s, FlowEnd end) {
        if (end != FlowEnd.OPEN && inspections != null && inspections[s] != null) {
            inspections[s].compact(); // ended: it waits for the report, no packet writes to it again
        }
        final int l = s * LONGS;
        final int n = s * INTS;
        final int b = s * BYTES;
        final boolean origIsA = origIsA(s);
        final int ports = (int) longs[l + PORTS];
        final int portA = ports >>> 16;
        final int portB = ports & 0xffff;
        final boolean tcp = proto(s) == TCP;
        final long origBytes = tcp ? tcpSize(s, 0) : longs[l + PAYLOAD];
        final long respBytes = tcp ? tcpSize(s, 1) : longs[l + PAYLOAD + 1];
        final String history = new String(bytes, b + HISTORY, bytes[b + HIST_LEN],
                StandardCharsets.ISO_8859_1);
        return new FlowRecord(
                longs[l + FIRST_TS], longs[l + LAST_TS],
                proto(s), bytes[b + IP_VERSION],
                origIsA ? longs[l + A_HI] : longs[l + B_HI],
                origIsA ? longs[l + A_LO] : longs[l + B_LO],
                origIsA ? portA : portB,
                origIsA ? longs[l + B_HI] : longs[l + A_HI],
                origIsA ? longs[l + B_LO] : longs[l + A_LO],
                origIsA ? portB : portA,
                longs[l + PKTS], longs[l + PKTS + 1],
                longs[l + IP_BYTES], longs[l + IP_BYTES + 1],
                origBytes, respBytes,
                longs[l + WIRE_BYTES], longs[l + WIRE_BYTES + 1],
                connState(s), history,
                ints[n + ICMP_ERRORS], ints[n + ICMP_TYPE], ints[n + ICMP_CODE],
                longs[l + ICMP_FROM_HI], longs[l + ICMP_FROM_LO],
                inspections[s], end);
    }
}
