package io.mraflow.flow;

import java.util.concurrent.TimeUnit;

/**
 * Sizes and idle timeouts of a {@link FlowTable}. Immutable; build it with {@link #defaults()}
 * and the {@code with...} methods.
 *
 * <p>Timeouts are measured in capture time (packet timestamps), never wall-clock time, so that
 * reading a file gives the same flows however fast it is read. A flow is idle-expired when the
 * capture time passes its last packet time plus the timeout that applies to its current state:
 *
 * <table>
 *   <caption>Default timeouts and where they come from</caption>
 *   <tr><th>flow</th><th>default</th><th>Zeek equivalent</th></tr>
 *   <tr><td>TCP, handshake not finished (S0, REJ pending, SYN-ACK only)</td>
 *       <td>60 s</td><td>Zeek gives a new TCP connection the UDP inactivity timeout until
 *       the handshake completes ({@code TCPAnalyzer::MakeSessionAdapter})</td></tr>
 *   <tr><td>TCP, established or partial</td><td>5 min</td>
 *       <td>{@code tcp_inactivity_timeout}</td></tr>
 *   <tr><td>TCP, finished (FIN both ways, or a RST seen)</td><td>5 s</td>
 *       <td>{@code tcp_close_delay} / {@code tcp_reset_delay}</td></tr>
 *   <tr><td>UDP</td><td>60 s</td><td>{@code udp_inactivity_timeout}</td></tr>
 * </table>
 *
 * <p>The fragment table remembers, for each first IP fragment, which flow it belongs to so that
 * the later fragments (which carry no ports) can be counted to that flow; entries older than
 * {@link #fragmentTimeoutNanos()} (default 30 s, Linux's {@code ipfrag_time}) are not used.
 *
 * @param initialCapacity      slots allocated at start; rounded up to a power of two
 * @param maxCapacity          the table doubles up to this many slots (power of two); there it
 *                             holds at most {@link #maxFlows()} flows and evicts beyond that
 * @param tcpHandshakeTimeoutNanos idle timeout of a TCP flow whose handshake never completed
 * @param tcpInactivityTimeoutNanos idle timeout of an established or partial TCP flow
 * @param tcpClosedTimeoutNanos idle timeout of a TCP flow closed both ways or reset
 * @param udpInactivityTimeoutNanos idle timeout of a UDP flow
 * @param fragmentTableSize    entries of the first-fragment table (power of two, direct-mapped)
 * @param fragmentTimeoutNanos how long a first fragment's entry stays usable
 * @param sweepSlotsPerPacket  table rows examined for idle expiry on every packet
 */
public record FlowTableConfig(
        int initialCapacity,
        int maxCapacity,
        long tcpHandshakeTimeoutNanos,
        long tcpInactivityTimeoutNanos,
        long tcpClosedTimeoutNanos,
        long udpInactivityTimeoutNanos,
        int fragmentTableSize,
        long fragmentTimeoutNanos,
        int sweepSlotsPerPacket) {

    public static final int DEFAULT_INITIAL_CAPACITY = 1 << 12;
    public static final int DEFAULT_MAX_CAPACITY = 1 << 20;
    public static final long DEFAULT_TCP_HANDSHAKE_TIMEOUT = TimeUnit.SECONDS.toNanos(60);
    public static final long DEFAULT_TCP_INACTIVITY_TIMEOUT = TimeUnit.MINUTES.toNanos(5);
    public static final long DEFAULT_TCP_CLOSED_TIMEOUT = TimeUnit.SECONDS.toNanos(5);
    public static final long DEFAULT_UDP_INACTIVITY_TIMEOUT = TimeUnit.SECONDS.toNanos(60);
    public static final int DEFAULT_FRAGMENT_TABLE_SIZE = 1 << 12;
    public static final long DEFAULT_FRAGMENT_TIMEOUT = TimeUnit.SECONDS.toNanos(30);
    public static final int DEFAULT_SWEEP_SLOTS_PER_PACKET = 1;

    /**
     * Largest table: 2^26 slots and rows (about 47 million flows, 24 GiB), so that a row's offset in
     * the widest per-row array ({@code FlowSlotLayout.LONGS} longs a row) still fits an int.
     */
    public static final int MAX_POSSIBLE_CAPACITY = 1 << 26;

    public FlowTableConfig {
        if (initialCapacity < 2 || maxCapacity < 2) {
            throw new IllegalArgumentException("capacities must be >= 2");
        }
        initialCapacity = powerOfTwoAtLeast(initialCapacity);
        maxCapacity = powerOfTwoAtLeast(maxCapacity);
        if (initialCapacity > maxCapacity) {
            throw new IllegalArgumentException(
                    "initialCapacity " + initialCapacity + " > maxCapacity " + maxCapacity);
        }
        if (tcpHandshakeTimeoutNanos <= 0 || tcpInactivityTimeoutNanos <= 0
                || tcpClosedTimeoutNanos <= 0 || udpInactivityTimeoutNanos <= 0
                || fragmentTimeoutNanos <= 0) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        if (fragmentTableSize < 1) {
            throw new IllegalArgumentException("fragmentTableSize must be >= 1");
        }
        fragmentTableSize = powerOfTwoAtLeast(fragmentTableSize);
        if (sweepSlotsPerPacket < 1) {
            throw new IllegalArgumentException("sweepSlotsPerPacket must be >= 1");
        }
    }

    /**
     * Flows a table holds at most: its load limit at {@link #maxCapacity()}. A new flow beyond
     * that ends the least recently seen one ({@link FlowEnd#EVICTED}).
     */
    public int maxFlows() {
        return (int) ((long) maxCapacity * FlowTable.LOAD_PERCENT / 100);
    }

    /** The defaults in the table above: 4096 slots growing to 2^20, Zeek's timeouts. */
    public static FlowTableConfig defaults() {
        return new FlowTableConfig(DEFAULT_INITIAL_CAPACITY, DEFAULT_MAX_CAPACITY,
                DEFAULT_TCP_HANDSHAKE_TIMEOUT, DEFAULT_TCP_INACTIVITY_TIMEOUT,
                DEFAULT_TCP_CLOSED_TIMEOUT, DEFAULT_UDP_INACTIVITY_TIMEOUT,
                DEFAULT_FRAGMENT_TABLE_SIZE, DEFAULT_FRAGMENT_TIMEOUT,
                DEFAULT_SWEEP_SLOTS_PER_PACKET);
    }

    public FlowTableConfig withCapacity(final int initial, final int max) {
        return new FlowTableConfig(initial, max, tcpHandshakeTimeoutNanos,
                tcpInactivityTimeoutNanos, tcpClosedTimeoutNanos, udpInactivityTimeoutNanos,
                fragmentTableSize, fragmentTimeoutNanos, sweepSlotsPerPacket);
    }

    public FlowTableConfig withTcpTimeouts(final long handshakeNanos, final long inactivityNanos,
                                           final long closedNanos) {
        return new FlowTableConfig(initialCapacity, maxCapacity, handshakeNanos,
                inactivityNanos, closedNanos, udpInactivityTimeoutNanos,
                fragmentTableSize, fragmentTimeoutNanos, sweepSlotsPerPacket);
    }

    public FlowTableConfig withUdpTimeout(final long inactivityNanos) {
        return new FlowTableConfig(initialCapacity, maxCapacity, tcpHandshakeTimeoutNanos,
                tcpInactivityTimeoutNanos, tcpClosedTimeoutNanos, inactivityNanos,
                fragmentTableSize, fragmentTimeoutNanos, sweepSlotsPerPacket);
    }

    public FlowTableConfig withFragmentTable(final int size, final long timeoutNanos) {
        return new FlowTableConfig(initialCapacity, maxCapacity, tcpHandshakeTimeoutNanos,
                tcpInactivityTimeoutNanos, tcpClosedTimeoutNanos, udpInactivityTimeoutNanos,
                size, timeoutNanos, sweepSlotsPerPacket);
    }

    public FlowTableConfig withSweepSlotsPerPacket(final int slots) {
        return new FlowTableConfig(initialCapacity, maxCapacity, tcpHandshakeTimeoutNanos,
                tcpInactivityTimeoutNanos, tcpClosedTimeoutNanos, udpInactivityTimeoutNanos,
                fragmentTableSize, fragmentTimeoutNanos, slots);
    }

    /**
     * Heap bytes one slot of a table at its largest capacity may cost: the probe tag and the row
     * ({@code FlowSlotLayout}) with half as much again for the doubling that reached it (old and
     * new arrays live at once), plus the payload state of the flows that fill it to its load
     * limit ({@code FlowInspection} with its two RTP streams, ~260 bytes, and an SNI for some).
     */
    public static final int HEAP_BYTES_PER_SLOT = FlowSlotLayout.BYTES_PER_ROW * 3 / 2
            + FlowTable.LOAD_PERCENT * 320 / 100;

    /**
     * This configuration with the largest {@link #maxCapacity()} whose table fits {@code heapBytes}
     * ({@link #HEAP_BYTES_PER_SLOT}), never larger than {@link #maxCapacity()} already is, nor
     * smaller than {@link #initialCapacity()}.
     */
    public FlowTableConfig withinHeap(final long heapBytes) {
        int cap = initialCapacity;
        while (cap < maxCapacity && (long) cap * 2 * HEAP_BYTES_PER_SLOT <= heapBytes) {
            cap <<= 1;
        }
        return withCapacity(initialCapacity, cap);
    }

    static int powerOfTwoAtLeast(final int n) {
        if (n > MAX_POSSIBLE_CAPACITY) {
            throw new IllegalArgumentException(n + " exceeds " + MAX_POSSIBLE_CAPACITY);
        }
        return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
    }
}
