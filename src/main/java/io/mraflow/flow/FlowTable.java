package io.mraflow.flow;

import static io.mraflow.decode.IpProto.TCP;
import static io.mraflow.decode.IpProto.UDP;
import static io.mraflow.flow.FlowSlotLayout.*;
import static io.mraflow.flow.TcpTracker.ACK;
import static io.mraflow.flow.TcpTracker.SYN;

import io.mraflow.decode.DecodeStatus;
import io.mraflow.decode.PacketView;
import io.mraflow.inspect.FlowInspection;
import java.util.Arrays;

/**
 * Follows every bidirectional TCP and UDP 5-tuple flow and hands each one to a {@link FlowSink}
 * when it ends, with Zeek conn.log semantics. Owned by one thread: every method must be called
 * from the thread that owns the table (the pipeline's worker); nothing here is thread-safe and
 * nothing takes a lock.
 *
 * <p><b>Parts</b>, split as Zeek and Suricata split them: this class keeps the table (the probe
 * array, the rows' life, expiry and eviction); {@link FlowRows} holds the per-flow state,
 * {@link TcpTracker} follows TCP endpoints, {@link FragmentTable} attributes later fragments and
 * {@link ConnState} names how a connection went. Payloads are not read here: {@link #onPacket}
 * returns the packet's flow and direction, and the caller hands the payload to the flow's
 * {@link #inspection} (flow, then stream, then application layer, as Suricata's flow worker
 * orders them). {@link #prefetch} lets a caller touch the rows of a whole batch of packets before
 * it feeds them one by one, so that the batch's cache misses overlap instead of queueing.
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

    static final long MASK32 = 0xffff_ffffL;

    /** What {@link #onPacket} returns for a packet that feeds no flow's payload. */
    public static final int NO_FLOW = -1;

    /** Grow (or, at the maximum capacity, evict) beyond this load. */
    static final int LOAD_PERCENT = 70;
    /** Rows examined for the least recently seen flow when one must be evicted. */
    static final int EVICTION_SAMPLE = 32;

    private final FlowTableConfig config;
    private final FlowSink sink;

    // Probe array: a flow's hash and row, 0 when free (see FlowSlotLayout).
    private long[] tags;
    // Per-flow state by row: a flow keeps its row for life, whatever the probe array does.
    private final FlowRows rows;
    private final TcpTracker tcp;
    // Per-flow payload facts by row; null when not inspecting.
    private FlowInspection[] inspections;
    private final boolean inspecting;
    // A row's hash (HASH_USED_BIT set), 0 when the row is free: the sweep's dense walk, and the
    // way back from a row to its tag.
    private int[] rowHash;
    // Free rows, a stack: the lowest row on top at first, so rows are taken in creation order and
    // the flows active at one time (mostly the recent ones) sit close together in memory.
    private int[] freeRows;
    private int freeTop;
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

    private final FragmentTable fragments;

    // Result of the last find(): which key side the packet's source is. A field, not an
    // allocated pair, to keep the per-packet path allocation-free.
    private boolean srcIsA;

    private long flowsCreated;
    private long flowsExpired;
    private long flowsEnded;
    private long flowsEvicted;
    private long fragmentsAttributed;
    private long fragmentsUnattributed;
    private long icmpErrorsMatched;
    private long icmpErrorsUnmatched;
    private long packetsIgnored;

    // prefetch(): each packet's probe slot (-1: no flow key) and key orientation.
    private int[] prefetchSlot = new int[0];
    private int[] prefetchHash = new int[0];
    private boolean[] prefetchSrcIsA = new boolean[0];

    /** A table that keeps no payload state ({@link #inspection} is always null). */
    public FlowTable(final FlowTableConfig config, final FlowSink sink) {
        this(config, sink, false);
    }

    /**
     * @param inspections give each flow a {@link FlowInspection} when it is created (never per
     *                    packet), for the caller's payload inspector to fill; the record carries it
     *                    at the end
     */
    public FlowTable(final FlowTableConfig config, final FlowSink sink, final boolean inspections) {
        this.config = config;
        this.sink = sink;
        this.inspecting = inspections;
        this.shortestTimeout = Math.min(Math.min(config.tcpClosedTimeoutNanos(), config.tcpHandshakeTimeoutNanos()),
                Math.min(config.tcpInactivityTimeoutNanos(), config.udpInactivityTimeoutNanos()));
        final int cap = config.initialCapacity();
        rows = new FlowRows(cap);
        tcp = new TcpTracker(rows);
        allocate(cap);
        fragments = new FragmentTable(config.fragmentTableSize(), config.fragmentTimeoutNanos());
    }

    private void allocate(final int cap) {
        capacity = cap;
        mask = cap - 1;
        tags = new long[cap];
        inspections = inspecting ? new FlowInspection[cap] : null;
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

    /** The row of an {@link #onPacket} result other than {@link #NO_FLOW}. */
    public static int row(final int flow) {
        return flow >>> 1;
    }

    /** Whether the packet of an {@link #onPacket} result was sent by its flow's originator. */
    public static boolean fromOrig(final int flow) {
        return (flow & 1) != 0;
    }

    /** The payload state of the flow in {@code row} (a {@link #row} of {@link #onPacket}), or null when not inspecting. */
    public FlowInspection inspection(final int row) {
        return inspecting ? inspections[row] : null;
    }

    /**
     * Accounts one decoded packet. Returns its flow, {@code row << 1} with the low bit set when the
     * originator sent it ({@link #row}, {@link #fromOrig}), for a TCP or UDP packet with ports;
     * {@link #NO_FLOW} for anything else (counted here: later fragments, ICMP errors, ignored packets).
     */
    public int onPacket(final PacketView p) {
        final long now = p.tsNanos;
        latestNanos = Math.max(latestNanos, now);
        sweep(now, config.sweepSlotsPerPacket());

        if (p.ipVersion == 0 || (p.status != DecodeStatus.OK && p.status != DecodeStatus.TRUNCATED)) {
            packetsIgnored++;
            return NO_FLOW;
        }
        if (p.icmpError) {
            onIcmpError(p, now);
            return NO_FLOW;
        }
        final int proto = p.ipProto;
        if (proto != TCP && proto != UDP) {
            packetsIgnored++;
            return NO_FLOW;
        }
        if (!p.hasPorts) {
            if (p.fragment) {
                onLaterFragment(p, now);
            } else {
                packetsIgnored++;
            }
            return NO_FLOW;
        }

        int row = find(proto, p.srcHi, p.srcLo, p.srcPort, p.dstHi, p.dstLo, p.dstPort);
        if (row >= 0) {
            row = stillOpen(row, p, now);
        }
        if (row < 0) {
            row = create(p, now);
        }
        if (p.fragment) {
            fragments.rememberFirst(p, now);
        }
        final boolean isOrig = srcIsA == rows.origIsA(row);
        count(row, isOrig ? 0 : 1, p.ipLen, p.wireLen, now);
        if (proto == UDP) {
            udpPacket(row, isOrig, p.payloadLen);
        } else {
            tcp.packet(row, isOrig, p);
        }
        return row << 1 | (isOrig ? 1 : 0);
    }

    /**
     * Touches what {@link #onPacket} and the payload inspector will read for each of
     * {@code packets[0..n)}, in passes over the whole batch (every probe slot, then every row
     * found), so that the batch's cache misses are in flight together rather than one after
     * another (the approach of VPP's and DPDK's packet loops). Changes nothing: a flow created or
     * ended by an earlier packet of the batch is simply not prefetched, and {@link #onPacket}
     * decides. Sets {@code inspection[k]} to the flow's payload state as the table stands (null
     * when none) and {@code fromOrig[k]} to the packet's direction in it. Returns a sum of what
     * was read, for the caller to keep, so that the compiler cannot drop the loads.
     */
    public long prefetch(final PacketView[] packets, final int n, final FlowInspection[] inspection, final boolean[] fromOrig) {
        if (prefetchSlot.length < n) {
            prefetchSlot = new int[n]; // once, at the first batch of its size
            prefetchHash = new int[n];
            prefetchSrcIsA = new boolean[n];
        }
        final long[] t = tags;
        long touched = 0;
        for (int k = 0; k < n; k++) {
            final PacketView p = packets[k];
            if (!p.hasPorts || p.icmpError || (p.ipProto != TCP && p.ipProto != UDP)) {
                prefetchSlot[k] = -1;
                continue;
            }
            final boolean sa = !endpointLess(p.dstHi, p.dstLo, p.dstPort, p.srcHi, p.srcLo, p.srcPort);
            final int h = sa
                    ? FlowKeyHash.of(p.ipProto, p.srcHi, p.srcLo, p.dstHi, p.dstLo, p.srcPort << 16 | p.dstPort)
                    : FlowKeyHash.of(p.ipProto, p.dstHi, p.dstLo, p.srcHi, p.srcLo, p.dstPort << 16 | p.srcPort);
            final int slot = h & mask;
            prefetchSlot[k] = slot;
            prefetchHash[k] = h | HASH_USED_BIT;
            prefetchSrcIsA[k] = sa;
            touched += t[slot];
        }
        final long[] longs = rows.longs;
        for (int k = 0; k < n; k++) {
            inspection[k] = null;
            final int slot = prefetchSlot[k];
            if (slot < 0) {
                continue;
            }
            final long tag = t[slot];
            if (tagHash(tag) != prefetchHash[k]) {
                continue; // empty, or another flow first on the probe path: found when fed
            }
            final int r = tagRow(tag);
            final int l = r * LONGS;
            // The key's first field, the counters' middle and last: the two or three lines the
            // first 120 bytes of the row span, which onPacket reads and writes.
            touched += longs[l + A_HI] + longs[l + IP_BYTES] + longs[l + PAYLOAD + 1];
            fromOrig[k] = prefetchSrcIsA[k] == (lane(longs[l + META], ORIG_IS_A) != 0);
            if (inspecting) {
                inspection[k] = inspections[r];
            }
        }
        return touched;
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
    public void flushAll(final long endNanos) {
        flushAll(endNanos, FlowEnd.END_OF_INPUT);
    }

    /** {@link #flushAll(long)}, the flows not yet idle ending as {@code open} says (a live capture's shutdown). */
    public void flushAll(final long endNanos, final FlowEnd open) {
        for (int s : rowsInFirstPacketOrder()) {
            final boolean idle = endNanos - rows.get(s, LAST_TS) > timeoutOf(s);
            sink.flowEnded(toRecord(s, idle ? FlowEnd.IDLE : open));
        }
        Arrays.fill(tags, 0L);
        if (inspecting) {
            Arrays.fill(inspections, null);
        }
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
                bySerial[k++] = pairsFit ? rows.get(s, SERIAL) << rowBits | s : s;
            }
        }
        Arrays.sort(bySerial);
        final int[] order = new int[k];
        final long rowMask = (1L << rowBits) - 1;
        boolean timesAscend = pairsFit;
        for (int i = 0; i < k; i++) {
            order[i] = (int) (bySerial[i] & rowMask);
            timesAscend &= i == 0 || rows.get(order[i - 1], FIRST_TS) <= rows.get(order[i], FIRST_TS);
        }
        if (timesAscend) {
            return order;
        }
        final Integer[] boxed = new Integer[k];
        for (int i = 0; i < k; i++) {
            boxed[i] = order[i];
        }
        Arrays.sort(boxed, (x, y) -> {
            final int c = Long.compare(rows.get(x, FIRST_TS), rows.get(y, FIRST_TS));
            return c != 0 ? c : Long.compare(rows.get(x, SERIAL), rows.get(y, SERIAL));
        });
        for (int i = 0; i < k; i++) {
            order[i] = boxed[i];
        }
        return order;
    }

    /**
     * Hands {@code to} the state so far ({@link FlowEnd#OPEN}) of every open flow that saw a packet
     * after {@code sinceNanos}, with a copy of its payload state (the table goes on changing the
     * original): what a live capture raises findings from before a flow ends. Allocates a record
     * per flow; called about once a second, not per packet.
     */
    public void snapshotChanged(final long sinceNanos, final FlowSink to) {
        for (int s = 0; s < capacity; s++) {
            if (rowHash[s] != 0 && rows.get(s, LAST_TS) > sinceNanos) {
                final FlowRecord r = toRecord(s, FlowEnd.OPEN);
                to.flowEnded(r.inspection() == null ? r : r.withInspection(r.inspection().copy()));
            }
        }
    }

    /**
     * Examines up to {@code slots} rows for idle expiry at capture time {@code nowNanos}.
     * {@link #onPacket} already does this; a live capture may call it when no packet comes.
     */
    public void expireIdle(final long nowNanos, final int slots) {
        sweep(nowNanos, slots);
    }

    // ---- expiry --------------------------------------------------------------------------------

    private void sweep(final long now, final int budget) {
        int i = sweepCursor & mask;
        final long[] longs = rows.longs;
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

    private long timeoutOf(final int s) {
        if (rows.proto(s) == UDP) {
            return config.udpInactivityTimeoutNanos();
        }
        final byte os = rows.state(s, 0);
        final byte rs = rows.state(s, 1);
        if (TcpTracker.isFinished(os, rs)) {
            return config.tcpClosedTimeoutNanos();
        }
        if (TcpTracker.isHandshake(os) && TcpTracker.isHandshake(rs)) {
            return config.tcpHandshakeTimeoutNanos();
        }
        return config.tcpInactivityTimeoutNanos();
    }

    /**
     * The row, or -1 when the packet's flow has ended there (the ended flow is then emitted and
     * removed): idle past its timeout, or its 5-tuple reused by a new connection. A method of its
     * own, returning a row rather than a yes or no, so that these rare events are not branches of
     * the per-packet path (scripts/compile-commands: a branch first taken late in a capture makes
     * the JIT discard and redo the compiled path that holds it).
     */
    private int stillOpen(final int row, final PacketView p, final long now) {
        if (now - rows.get(row, LAST_TS) > timeoutOf(row)) {
            flowsExpired++;
            emitAndRemove(row, FlowEnd.IDLE);
            return -1;
        }
        if (p.ipProto == TCP && tcp.isReuse(row, srcIsA == rows.origIsA(row), p)) {
            flowsEnded++;
            emitAndRemove(row, FlowEnd.REUSED);
            return -1;
        }
        return row;
    }

    private void emitAndRemove(final int s, final FlowEnd end) {
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
                final long last = rows.get(i, LAST_TS);
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

    private static boolean endpointLess(final long hi1, final long lo1, final int port1, final long hi2, final long lo2, final int port2) {
        int c = Long.compareUnsigned(hi1, hi2);
        if (c == 0) {
            c = Long.compareUnsigned(lo1, lo2);
        }
        return c < 0 || (c == 0 && port1 < port2);
    }

    /**
     * Finds the flow of a packet from (sHi,sLo,sPort) to (dHi,dLo,dPort); sets {@link #srcIsA}.
     * Returns the flow's row, or -1.
     */
    int find(final int proto, final long sHi, final long sLo, final int sPort, final long dHi, final long dLo, final int dPort) {
        final boolean sa = !endpointLess(dHi, dLo, dPort, sHi, sLo, sPort);
        srcIsA = sa;
        final long aHi = sa ? sHi : dHi;
        final long aLo = sa ? sLo : dLo;
        final long bHi = sa ? dHi : sHi;
        final long bLo = sa ? dLo : sLo;
        final int ports = sa ? (sPort << 16 | dPort) : (dPort << 16 | sPort);
        final int h = FlowKeyHash.of(proto, aHi, aLo, bHi, bLo, ports);
        final int want = h | HASH_USED_BIT;
        final long[] longs = rows.longs;
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
    private int create(final PacketView p, final long now) {
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
        final int h = FlowKeyHash.of(p.ipProto, aHi, aLo, bHi, bLo, ports);
        int i = h & mask;
        while (tags[i] != 0) {
            i = (i + 1) & mask;
        }
        final int s = freeRows[--freeTop];
        rows.clear(s);
        final long[] longs = rows.longs;
        final int l = s * LONGS;
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
        if (inspecting) {
            inspections[s] = new FlowInspection(p.ipProto, FlowInspection.isDnsPort(p.srcPort, p.dstPort));
        }
        rows.bytes[s * BYTES + IP_VERSION] = (byte) p.ipVersion;
        // Who opened it: the sender, unless the first packet is a SYN-ACK (then its receiver).
        final boolean synAck = p.ipProto == TCP && (p.tcpFlags & (SYN | ACK)) == (SYN | ACK);
        final boolean origIsSrc = !synAck;
        long meta = withLane(0L, PROTO, (byte) p.ipProto);
        meta = withLane(meta, ORIG_IS_A, (byte) ((origIsSrc == sa) ? 1 : 0));
        longs[l + META] = meta;
        if (synAck) {
            rows.addHistory(s, (byte) '^');
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
        rows.grow(cap);
        if (inspecting) {
            inspections = Arrays.copyOf(inspections, cap);
        }
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
    void remove(final int row) {
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
        if (inspecting) {
            inspections[row] = null;
        }
        freeRows[freeTop++] = row;
        size--;
    }

    // ---- accounting ----------------------------------------------------------------------------

    private void count(final int s, final int e, final int ipLen, final int wireLen, final long now) {
        final long[] longs = rows.longs;
        final int l = s * LONGS;
        longs[l + PKTS + e]++;
        longs[l + IP_BYTES + e] += ipLen;
        longs[l + WIRE_BYTES + e] += wireLen;
        if (now > longs[l + LAST_TS]) {
            longs[l + LAST_TS] = now;
        }
    }

    private void udpPacket(final int s, final boolean isOrig, final int payloadLen) {
        final int e = isOrig ? 0 : 1;
        rows.longs[s * LONGS + PAYLOAD + e] += payloadLen;
        // A UDP endpoint's first packet is its 'D': later ones need not read the history bits.
        if (rows.state(s, e) != ConnState.UDP_ACTIVE) {
            rows.setState(s, e, ConnState.UDP_ACTIVE);
            rows.checkHistory(s, isOrig, TcpTracker.HIST_DATA_PKT, 'D');
        }
    }

    private void onLaterFragment(final PacketView p, final long now) {
        final int ports = fragments.portsOf(p, now);
        if (ports >= 0) {
            final int s = find(p.ipProto, p.srcHi, p.srcLo, ports >>> 16, p.dstHi, p.dstLo, ports & 0xffff);
            if (s >= 0 && now - rows.get(s, LAST_TS) <= timeoutOf(s)) {
                final boolean isOrig = srcIsA == rows.origIsA(s);
                count(s, isOrig ? 0 : 1, p.ipLen, p.wireLen, now);
                fragmentsAttributed++;
                return;
            }
        }
        fragmentsUnattributed++;
    }

    private void onIcmpError(final PacketView p, final long now) {
        final int qp = p.quotedProto;
        if (qp == TCP || qp == UDP) {
            final int s = find(qp, p.quotedSrcHi, p.quotedSrcLo, p.quotedSrcPort,
                    p.quotedDstHi, p.quotedDstLo, p.quotedDstPort);
            if (s >= 0 && now - rows.get(s, LAST_TS) <= timeoutOf(s)) {
                final int n = s * INTS;
                rows.ints[n + ICMP_ERRORS]++;
                rows.ints[n + ICMP_TYPE] = p.icmpType;
                rows.ints[n + ICMP_CODE] = p.icmpCode;
                rows.longs[s * LONGS + ICMP_FROM_HI] = p.srcHi;
                rows.longs[s * LONGS + ICMP_FROM_LO] = p.srcLo;
                icmpErrorsMatched++;
                return;
            }
        }
        icmpErrorsUnmatched++;
    }

    /** Zeek's conn_state of the flow in row {@code s}. */
    String connState(final int s) {
        return ConnState.of(rows, s);
    }

    // ---- output --------------------------------------------------------------------------------

    private FlowRecord toRecord(final int s, final FlowEnd end) {
        final FlowInspection inspection = inspecting ? inspections[s] : null;
        if (end != FlowEnd.OPEN && inspection != null) {
            inspection.compact(); // ended: it waits for the report, no packet writes to it again
        }
        final long[] longs = rows.longs;
        final int l = s * LONGS;
        final int n = s * INTS;
        final boolean origIsA = rows.origIsA(s);
        final int ports = (int) longs[l + PORTS];
        final int portA = ports >>> 16;
        final int portB = ports & 0xffff;
        final boolean isTcp = rows.proto(s) == TCP;
        final long origBytes = isTcp ? TcpTracker.payloadBytes(rows, s, 0) : longs[l + PAYLOAD];
        final long respBytes = isTcp ? TcpTracker.payloadBytes(rows, s, 1) : longs[l + PAYLOAD + 1];
        return new FlowRecord(
                longs[l + FIRST_TS], longs[l + LAST_TS],
                rows.proto(s), rows.bytes[s * BYTES + IP_VERSION],
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
                ConnState.of(rows, s), rows.history(s),
                rows.ints[n + ICMP_ERRORS], rows.ints[n + ICMP_TYPE], rows.ints[n + ICMP_CODE],
                longs[l + ICMP_FROM_HI], longs[l + ICMP_FROM_LO],
                inspection, end);
    }
}
