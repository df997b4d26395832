package io.mraflow.synth;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * The benchmark capture: MRA-like traffic through an Expressway pair at scale, about one flow
 * per hundred packets, thousands of flows concurrent. About 80 % of the packets are RTP (off-prem
 * clients and the Expressway-E media ports, Expressway-C and phones, the traversal leg, TURN
 * relays, ICE passthrough), the rest TLS/SSH/XMPP/SIP/HTTP on the MRA ports, STUN/TURN on 3478
 * and a share of undocumented traffic (scans, SMB, TLS to unlisted ports). Deterministic for a
 * seed; single-threaded; nothing allocated per packet except at a flow's start.
 *
 * <p>Scheduling: every slot always holds a flow (a finished flow is replaced by a new one after
 * an idle gap), and a binary min-heap over the slots' next packet times picks the slot that sends
 * next, so packets of many flows interleave in time order.
 *
 * <p>Two mixes ({@link Mix}). The default mix has {@link #SLOTS} slots, each drawing any kind of
 * flow, and idle gaps of up to 5 s: about 70,000 packets a second. The busy mix is a busy
 * Expressway: {@code streams} slots (10,000 by default) that always hold an RTP call, 20 ms a
 * packet each way, each call's phase random so that consecutive packets belong to random calls,
 * and a call followed by the next within 20 ms (calls of 1-4 s, so the streams turn over), about
 * a million packets a second; beside them one and a half times as many slots of the default mix's
 * other traffic (TLS/TCP, TURN, ICE, scans). 5 M packets: about 4.6 s of traffic, 44,000 flows in
 * the file (52,000 started: {@link Stats#flows} counts the slots' last flows, not yet sent, too),
 * 92 % RTP.
 *
 * <p>Usage: {@code BenchCapture [--mix default|busy] [--streams N] OUT [PACKETS=5000000] [SEED=1]};
 * also writes {@code OUT}'s {@code .topology}.
 */
public final class BenchCapture {

    static final int SLOTS = 3000;
    static final long START = Instant.parse("2026-03-02T10:00:00Z").getEpochSecond() * 1_000_000_000L;

    static final int EXPE_PUBLIC = Ip.v4("203.0.113.10");
    static final int EXPE_PRIVATE = Ip.v4("172.16.10.10");
    static final int EXPC = Ip.v4("10.10.20.10");
    static final int UCM = Ip.v4("10.10.30.10");
    static final int IMP = Ip.v4("10.10.30.20");
    static final int CUC = Ip.v4("10.10.30.30");
    static final int PHONES = Ip.v4("10.10.40.0"); // a /22 of phones
    static final int OFFPREM = Ip.v4("100.64.0.0"); // clients behind carrier NAT, a /10
    static final int CLOUD_FOS = Ip.v4("192.0.2.170");
    static final int CLOUD_IDBROKER = Ip.v4("192.0.2.171");

    static final String TOPOLOGY = String.join("\n",
        "# Topology of the benchmark capture, written by io.mraflow.synth.BenchCapture.",
        "size small",
        "media-range 36000-59999",
        "EXPE_PUBLIC 203.0.113.10",
        "EXPE_PRIVATE 172.16.10.10",
        "EXPC 10.10.20.10",
        "UCM 10.10.30.10",
        "IMP 10.10.30.20",
        "CUC 10.10.30.30",
        "ONPREM_MEDIA 10.10.40.0/22",
        "");

    // flow kinds
    static final int RTP = 0;
    static final int TCP = 1;
    static final int TURN = 2;
    static final int ICE = 3;
    static final int SCAN = 4;
    static final String[] KIND_NAMES = {"rtp", "tcp", "turn", "ice", "scan"};

    private static final long MS = 1_000_000L;
    private static final int OWES_ACK_A = 32; // flags bit: A has unacknowledged data from B
    private static final int OWES_ACK_B = 64;

    /**
     * Which flows the slots hold. {@code streams} slots (the first ones) always hold an RTP call,
     * the next one within 20 ms of the last; the other {@code otherSlots} draw a flow of any kind
     * (streams 0: the default mix) or, beside streams, any kind but plain RTP, each after an idle
     * gap of 50 ms to 5 s.
     */
    public record Mix(String name, int streams, int otherSlots) {
        /** The default mix: 3,000 slots of every kind, about 80 % of the packets RTP. */
        public static final Mix DEFAULT = new Mix("default", 0, SLOTS);
        /** The busy mix's default: 10,000 concurrent RTP calls. */
        public static final int BUSY_STREAMS = 10_000;

        public Mix {
            if (streams < 0 || otherSlots < 0 || streams + otherSlots < 1) {
                throw new IllegalArgumentException("a mix needs slots: " + streams + " streams, " + otherSlots + " others");
            }
        }

        /** A busy Expressway: {@code streams} concurrent calls and 1.5 times as many slots of other traffic. */
        public static Mix busy(final int streams) {
            return new Mix("busy", streams, streams * 3 / 2);
        }

        /** {@code default} or {@code busy} (with {@code streams} calls). */
        public static Mix named(final String name, final int streams) {
            return switch (name) {
                case "default" -> DEFAULT;
                case "busy" -> busy(streams);
                default -> throw new IllegalArgumentException("unknown mix '" + name + "' (default or busy)");
            };
        }

        int slots() {
            return streams + otherSlots;
        }
    }

    private final CaptureWriter out;
    private final Mix mix;
    private final int slots;
    private final SplittableRandom rng;
    private final FrameBuilder fb = new FrameBuilder();
    private final byte[] frame = fb.frame();
    private final byte[] noise = new byte[1 << 16];

    // per-slot state
    private final long[] next;
    private final int[] heap;
    private final int[] kind;
    private final int[] addrA;
    private final int[] addrB;
    private final int[] portA;
    private final int[] portB;
    private final int[] step;
    private final int[] remaining;
    private final int[] seqA;
    private final int[] seqB;
    private final int[] ssrcA;
    private final int[] ssrcB;
    private final int[] tsA;
    private final int[] tsB;
    private final int[] flags; // 1 video, 2 one-way, 4 internet RTT, 8 reset, 16 UDP probe, 32/64 owes ACK
    private final long[] offset;
    private final byte[][][] opening;
    private final boolean[][] openingFromA;
    private final byte[][] transactionId; // of the STUN request awaiting its response

    private final java.util.Set<Tuple> live = new java.util.HashSet<>();
    private final long[] flowsByKind = new long[KIND_NAMES.length];
    private final long[] packetsByKind = new long[KIND_NAMES.length];
    private long rtpPackets;

    private BenchCapture(final CaptureWriter out, final long seed, final Mix mix) {
        this.out = out;
        this.mix = mix;
        this.slots = mix.slots();
        next = new long[slots];
        heap = new int[slots];
        kind = new int[slots];
        addrA = new int[slots];
        addrB = new int[slots];
        portA = new int[slots];
        portB = new int[slots];
        step = new int[slots];
        remaining = new int[slots];
        seqA = new int[slots];
        seqB = new int[slots];
        ssrcA = new int[slots];
        ssrcB = new int[slots];
        tsA = new int[slots];
        tsB = new int[slots];
        flags = new int[slots];
        offset = new long[slots];
        opening = new byte[slots][][];
        openingFromA = new boolean[slots][];
        transactionId = new byte[slots][];
        this.rng = new SplittableRandom(seed);
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (byte) rng.nextInt(256);
        }
    }

    public static void main(final String[] argv) throws IOException {
        final java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(argv));
        String mixName = "default";
        int streams = Mix.BUSY_STREAMS;
        try {
            while (!args.isEmpty() && args.get(0).startsWith("--") && args.size() > 1) {
                final String option = args.remove(0);
                final String value = args.remove(0);
                switch (option) {
                    case "--mix" -> mixName = value;
                    case "--streams" -> streams = Integer.parseInt(value);
                    default -> throw new IllegalArgumentException("unknown option " + option);
                }
            }
            if (args.isEmpty() || args.size() > 3) {
                throw new IllegalArgumentException("wrong number of arguments");
            }
            Mix.named(mixName, streams);
        } catch (IllegalArgumentException e) {
            System.err.println("BenchCapture: " + e.getMessage());
            System.err.println("usage: BenchCapture [--mix default|busy] [--streams N] OUT.pcapng [PACKETS=5000000] [SEED=1]");
            System.exit(2);
        }
        final Mix mix = Mix.named(mixName, streams);
        final Path path = Path.of(args.get(0));
        final long packets = args.size() > 1 ? Long.parseLong(args.get(1)) : 5_000_000L;
        final long seed = args.size() > 2 ? Long.parseLong(args.get(2)) : 1L;
        if (path.getParent() != null) {
            Files.createDirectories(path.getParent());
        }
        final long t0 = System.nanoTime();
        final Stats stats;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
             CaptureWriter w = path.toString().endsWith(".pcap") ? new PcapWriter(ch, true) : new PcapngWriter(ch)) {
            stats = generate(w, packets, seed, mix);
        }
        final double secs = (System.nanoTime() - t0) / 1e9;
        Files.writeString(Path.of(path.toString().replaceFirst("\\.pcap(ng)?$", "") + ".topology"), TOPOLOGY,
            StandardCharsets.UTF_8);
        System.out.println(stats.describe());
        System.out.printf("generation time: %.2f s (%.0f packets/s), file %d bytes%n",
            secs, stats.packets / secs, Files.size(path));
    }

    /** What was written. */
    public record Stats(String mix, long packets, long frameBytes, long flows, long rtpPackets, long durationNanos,
                        long[] flowsByKind, long[] packetsByKind) {
        public double meanFrameLength() {
            return (double) frameBytes / packets;
        }

        public String describe() {
            final StringBuilder sb = new StringBuilder();
            sb.append(String.format("mix %s: packets %d, flows %d, RTP packets %d (%.1f %%), mean frame length %.1f bytes,"
                + " capture span %.1f s%n", mix, packets, flows, rtpPackets, 100.0 * rtpPackets / packets, meanFrameLength(),
                durationNanos / 1e9));
            for (int k = 0; k < KIND_NAMES.length; k++) {
                sb.append(String.format("  %-5s flows %7d  packets %9d (%.1f %%)%n", KIND_NAMES[k], flowsByKind[k],
                    packetsByKind[k], 100.0 * packetsByKind[k] / packets));
            }
            return sb.toString();
        }
    }

    /** Writes {@code packets} packets of the default mix to {@code out}. */
    public static Stats generate(final CaptureWriter out, final long packets, final long seed) throws IOException {
        return generate(out, packets, seed, Mix.DEFAULT);
    }

    /** Writes {@code packets} packets of {@code mix} to {@code out}. */
    public static Stats generate(final CaptureWriter out, final long packets, final long seed, final Mix mix)
            throws IOException {
        return new BenchCapture(out, seed, mix).run(packets);
    }

    private Stats run(final long packets) throws IOException {
        for (int s = 0; s < slots; s++) {
            // a call's first packet anywhere in the first 20 ms tick (its phase); other flows in the first 2 s
            startFlow(s, START + (isStream(s) ? rng.nextInt(20_000_000) : (long) rng.nextInt(2_000) * MS));
            heap[s] = s;
        }
        for (int i = slots / 2 - 1; i >= 0; i--) {
            siftDown(i);
        }
        long written = 0;
        long last = START;
        while (written < packets) {
            final int s = heap[0];
            last = next[s];
            final int k = kind[s];
            final int len = emit(s);
            if (len > 0) {
                out.write(last, frame, 0, len);
                written++;
                packetsByKind[k]++;
            }
            siftDown(0);
        }
        long flows = 0;
        for (final long f : flowsByKind) {
            flows += f;
        }
        return new Stats(mix.name(), out.packets(), out.frameBytes(), flows, rtpPackets, last - START, flowsByKind.clone(),
            packetsByKind.clone());
    }

    // ---------------------------------------------------------------- scheduling

    private void siftDown(int i) {
        final int slot = heap[i];
        final long t = next[slot];
        final int n = slots;
        while (true) {
            int c = 2 * i + 1;
            if (c >= n) {
                break;
            }
            if (c + 1 < n && next[heap[c + 1]] < next[heap[c]]) {
                c++;
            }
            if (next[heap[c]] >= t) {
                break;
            }
            heap[i] = heap[c];
            i = c;
        }
        heap[i] = slot;
    }

    // ---------------------------------------------------------------- flow starts

    private int offPrem() {
        return OFFPREM + rng.nextInt(1 << 22);
    }

    private int eph() {
        return 1024 + rng.nextInt(64512);
    }

    private int range(final int lo, final int hi) {
        return lo + rng.nextInt(hi - lo + 1);
    }

    private int evenIn(final int lo, final int hi) {
        return range(lo / 2, hi / 2) * 2;
    }

    private void startFlow(final int s, final long at) {
        next[s] = at;
        step[s] = 0;
        flags[s] = 0;
        opening[s] = null;
        // streams: always RTP; beside streams: any kind but plain RTP; the default mix: any kind
        final int r = isStream(s) ? 0 : mix.streams() > 0 ? 300 + rng.nextInt(700) : rng.nextInt(1000);
        do { // two live flows never share a 5-tuple: draw again on a clash
            flags[s] = 0;
            if (r < 300) {
                startRtp(s);
            } else if (r < 730) {
                startTcp(s);
            } else if (r < 810) {
                startTurn(s);
            } else if (r < 830) {
                startIce(s);
            } else {
                startScan(s);
            }
        } while (!live.add(tuple(s)));
        flowsByKind[kind[s]]++;
    }

    private boolean isStream(final int s) {
        return s < mix.streams();
    }

    /** The slot's 5-tuple, the same whichever way round it is written. */
    private Tuple tuple(final int s) {
        final boolean tcp = kind[s] == TCP || (kind[s] == SCAN && (flags[s] & 16) == 0);
        final long a = (long) addrA[s] << 16 | portA[s];
        final long b = (long) addrB[s] << 16 | portB[s];
        return new Tuple(Math.min(a, b), Math.max(a, b), tcp);
    }

    private record Tuple(long low, long high, boolean tcp) {
    }

    private void startRtp(final int s) {
        kind[s] = RTP;
        final int leg = rng.nextInt(10);
        if (leg < 5) { // off-prem and the Expressway-E, opened from either side (T2.3/T2.4)
            final boolean clientFirst = rng.nextBoolean();
            final int client = offPrem();
            final int cport = evenIn(1024, 65534);
            final int eport = evenIn(36000, 59998);
            setEnds(s, clientFirst ? client : EXPE_PUBLIC, clientFirst ? cport : eport,
                clientFirst ? EXPE_PUBLIC : client, clientFirst ? eport : cport);
            flags[s] |= 4;
        } else if (leg < 7) { // Expressway-C and a phone (T4.18)
            setEnds(s, EXPC, evenIn(36000, 59998), PHONES + 1 + rng.nextInt(1022), evenIn(16384, 32766));
        } else if (leg < 9) { // traversal leg (T3.3)
            setEnds(s, EXPC, evenIn(36000, 59998), EXPE_PRIVATE, 36000 + 2 * rng.nextInt(6));
        } else { // to a TURN relay port (T2.7)
            setEnds(s, offPrem(), eph(), EXPE_PUBLIC, range(24000, 29999));
            flags[s] |= 4;
        }
        if (rng.nextInt(100) < 8) { // video: sized so that the mean frame is about 285 bytes
            flags[s] |= 1;
        }
        if (rng.nextInt(100) < 3) {
            flags[s] |= 2;
        }
        remaining[s] = 100 + rng.nextInt(300);
        rtpIdentity(s);
    }

    private void rtpIdentity(final int s) {
        ssrcA[s] = rng.nextInt();
        ssrcB[s] = rng.nextInt();
        seqA[s] = rng.nextInt(0x10000);
        seqB[s] = rng.nextInt(0x10000);
        tsA[s] = rng.nextInt();
        tsB[s] = rng.nextInt();
        offset[s] = 2 * MS + rng.nextInt(16) * MS; // the B stream's phase within the 20 ms tick
    }

    private void setEnds(final int s, final int a, final int pa, final int b, final int pb) {
        addrA[s] = a;
        portA[s] = pa;
        addrB[s] = b;
        portB[s] = pb;
    }

    private void startTcp(final int s) {
        kind[s] = TCP;
        final int r = rng.nextInt(100);
        final String sni;
        if (r < 22) {
            setEnds(s, offPrem(), eph(), EXPE_PUBLIC, 5061);
            sni = "expe.example.com";
        } else if (r < 44) {
            setEnds(s, offPrem(), eph(), EXPE_PUBLIC, 8443);
            sni = "expe.example.com";
        } else if (r < 52) {
            setEnds(s, offPrem(), eph(), EXPE_PUBLIC, 5222);
            sni = "xmpp";
        } else if (r < 57) {
            setEnds(s, EXPC, range(25000, 29999), EXPE_PRIVATE, 7001);
            sni = "expe.example.com";
        } else if (r < 60) {
            setEnds(s, EXPC, range(30000, 35999), EXPE_PRIVATE, 2222);
            sni = "ssh";
        } else if (r < 62) {
            setEnds(s, EXPC, range(30000, 35999), EXPE_PRIVATE, 7400);
            sni = "xmpp";
        } else if (r < 70) {
            setEnds(s, EXPC, range(25000, 29999), UCM, 5061);
            sni = "ucm.example.local";
        } else if (r < 76) {
            setEnds(s, EXPC, range(30000, 35999), UCM, rng.nextBoolean() ? 8443 : 6972);
            sni = "ucm.example.local";
        } else if (r < 78) {
            setEnds(s, EXPC, range(25000, 29999), UCM, 5060);
            sni = "sip";
        } else if (r < 80) {
            setEnds(s, EXPC, range(30000, 35999), UCM, 6970);
            sni = "http";
        } else if (r < 84) {
            setEnds(s, EXPC, range(30000, 35999), IMP, rng.nextBoolean() ? 7400 : 8443);
            sni = "imp.example.local";
        } else if (r < 87) {
            setEnds(s, EXPC, range(30000, 35999), CUC, rng.nextBoolean() ? 443 : 7443);
            sni = "cuc.example.local";
        } else if (r < 90) {
            setEnds(s, UCM, range(32768, 60999), EXPC, 5061);
            sni = "expc.example.local";
        } else if (r < 92) {
            final boolean fos = rng.nextBoolean();
            setEnds(s, EXPE_PUBLIC, range(30000, 35999), fos ? CLOUD_FOS : CLOUD_IDBROKER, 443);
            sni = fos ? "fos-a.wbx2.com" : "idbroker.webex.com";
        } else if (r < 96) { // undocumented: TLS to the public address on 443
            setEnds(s, offPrem(), eph(), EXPE_PUBLIC, 443);
            sni = "expe.example.com";
        } else if (r < 98) { // undocumented: SMB from C to E
            setEnds(s, EXPC, range(30000, 35999), EXPE_PRIVATE, 445);
            sni = "smb";
        } else { // undocumented: SSH from the internet
            setEnds(s, offPrem(), eph(), EXPE_PUBLIC, 22);
            sni = "ssh";
        }
        if ((addrA[s] & 0xFFC00000) == OFFPREM || addrB[s] == CLOUD_FOS || addrB[s] == CLOUD_IDBROKER) {
            flags[s] |= 4;
        }
        if (rng.nextInt(100) < 2) {
            flags[s] |= 8;
        }
        seqA[s] = rng.nextInt();
        seqB[s] = rng.nextInt();
        setOpening(s, sni);
        // handshake, opening, data, and the closing three
        remaining[s] = 3 + opening[s].length + 2 + (int) (-Math.log(1 - rng.nextDouble()) * 32) + 3;
    }

    private void setOpening(final int s, final String what) {
        final byte[][] o;
        final boolean[] fromA;
        switch (what) {
            case "ssh" -> {
                o = new byte[][] {SshPackets.banner("OpenSSH_8.9"), SshPackets.banner("OpenSSH_8.9"),
                    SshPackets.kexInit(rng), SshPackets.kexInit(rng)};
                fromA = new boolean[] {false, true, true, false};
            }
            case "xmpp" -> {
                o = new byte[][] {TextPayloads.xmppClientStreamOpen("example.com"),
                    TextPayloads.xmppServerStreamOpen("example.com", Integer.toHexString(rng.nextInt())),
                    TextPayloads.xmppStartTls(), TextPayloads.xmppProceed(),
                    TlsRecords.clientHello("example.com", false, null, rng), TlsRecords.serverHelloFlight(false, rng)};
                fromA = new boolean[] {true, false, true, false, true, false};
            }
            case "sip" -> {
                final String via = Ip.text(addrA[s]) + ":" + portA[s];
                final String callId = Integer.toHexString(rng.nextInt()) + "@" + Ip.text(addrA[s]);
                o = new byte[][] {
                    TextPayloads.sipRequest("REGISTER", "sip:example.com", "TCP", via, "u" + rng.nextInt(10000),
                        "example.com", callId, 1, null),
                    TextPayloads.sipResponse(200, "OK", "TCP " + via, "u", "example.com", callId, 1, "REGISTER", null)};
                fromA = new boolean[] {true, false};
            }
            case "http" -> {
                o = new byte[][] {TextPayloads.httpRequest("GET", "/SEP" + Integer.toHexString(rng.nextInt()) + ".cnf.xml",
                    Ip.text(addrB[s]), null),
                    TextPayloads.httpResponse(200, "OK", "application/xml", "<device/>")};
                fromA = new boolean[] {true, false};
            }
            case "smb" -> {
                o = new byte[][] {new byte[] {0, 0, 0, 68, (byte) 0xFE, 'S', 'M', 'B', 64}};
                fromA = new boolean[] {true};
            }
            default -> {
                final boolean tls13 = rng.nextBoolean();
                o = new byte[][] {TlsRecords.clientHello(what, tls13, null, rng), TlsRecords.serverHelloFlight(tls13, rng),
                    TlsRecords.clientFinished(tls13, rng)};
                fromA = new boolean[] {true, false, true};
            }
        }
        opening[s] = o;
        openingFromA[s] = fromA;
    }

    private void startTurn(final int s) {
        kind[s] = TURN;
        if (rng.nextInt(10) < 8) {
            setEnds(s, offPrem(), eph(), EXPE_PUBLIC, 3478);
            flags[s] |= 4;
        } else {
            setEnds(s, EXPC, range(1024, 65535), EXPE_PRIVATE, 3478);
        }
        remaining[s] = 4 + 2 * rng.nextInt(6);
    }

    private void startIce(final int s) {
        kind[s] = ICE;
        setEnds(s, offPrem(), eph(), offPrem(), eph());
        flags[s] |= 4;
        remaining[s] = 8 + 100 + rng.nextInt(300);
        rtpIdentity(s);
    }

    private void startScan(final int s) {
        kind[s] = SCAN;
        final int r = rng.nextInt(10);
        if (r < 6) { // unanswered SYNs to a low port
            setEnds(s, offPrem(), eph(), EXPE_PUBLIC, 1 + rng.nextInt(1023));
            remaining[s] = 1 + rng.nextInt(3);
        } else if (r < 9) { // refused: SYN, RST
            setEnds(s, offPrem(), eph(), EXPE_PUBLIC, range(1024, 65535));
            remaining[s] = 2;
            flags[s] |= 8;
        } else { // UDP probe to an unlisted port
            setEnds(s, offPrem(), eph(), EXPE_PUBLIC, 1 + rng.nextInt(65535));
            remaining[s] = 1;
            flags[s] |= 16;
        }
        seqA[s] = rng.nextInt();
    }

    // ---------------------------------------------------------------- packets

    /** Builds the slot's next packet into the frame, schedules the slot, returns the length (0: nothing). */
    private int emit(final int s) {
        final int len = switch (kind[s]) {
            case RTP -> rtp(s);
            case TCP -> tcp(s);
            case TURN -> turn(s);
            case ICE -> ice(s);
            default -> scan(s);
        };
        if (--remaining[s] <= 0) {
            live.remove(tuple(s));
            // a stream's next call within a tick, at a new random phase; other flows after a pause
            startFlow(s, next[s] + (isStream(s) ? rng.nextInt(20_000_000) : (long) (50 + rng.nextInt(5000)) * MS));
        }
        return len;
    }

    private int rtp(final int s) {
        rtpPackets++;
        final boolean video = (flags[s] & 1) != 0;
        final boolean fromA = (flags[s] & 2) != 0 || (step[s] & 1) == 0;
        final int payload = video ? 600 + rng.nextInt(600) : RtpPackets.G711_FRAME;
        final int pt = video ? RtpPackets.PT_H264 : (kind[s] == ICE ? RtpPackets.PT_PCMA : RtpPackets.PT_PCMU);
        final int n;
        if (fromA) {
            n = RtpPackets.write(frame, FrameBuilder.UDP4_PAYLOAD, pt, video && (seqA[s] & 3) == 0, seqA[s] & 0xFFFF,
                tsA[s] & 0xFFFFFFFFL, ssrcA[s], payload);
            seqA[s]++;
            tsA[s] += video ? 1800 : 160;
        } else {
            n = RtpPackets.write(frame, FrameBuilder.UDP4_PAYLOAD, pt, video && (seqB[s] & 3) == 0, seqB[s] & 0xFFFF,
                tsB[s] & 0xFFFFFFFFL, ssrcB[s], payload);
            seqB[s]++;
            tsB[s] += video ? 1800 : 160;
        }
        final int len = fromA ? fb.udp4(addrA[s], portA[s], addrB[s], portB[s], n)
            : fb.udp4(addrB[s], portB[s], addrA[s], portA[s], n);
        final long jitter = rng.nextInt(600_000);
        if ((flags[s] & 2) != 0) {
            next[s] += 20 * MS;
        } else {
            next[s] += ((step[s] & 1) == 0 ? offset[s] : 20 * MS - offset[s]) + ((step[s] & 1) == 0 ? jitter : -jitter / 2);
        }
        step[s]++;
        return len;
    }

    private int tcp(final int s) {
        final int a = addrA[s];
        final int b = addrB[s];
        final long rtt = (flags[s] & 4) != 0 ? 30 * MS : MS / 2;
        final int st = step[s]++;
        final byte[][] o = opening[s];
        final int len;
        if (st == 0) {
            len = fb.tcp4(a, portA[s], b, portB[s], seqA[s], 0, FrameBuilder.SYN, 0);
            seqA[s]++;
            next[s] += rtt / 2;
        } else if (st == 1) {
            len = fb.tcp4(b, portB[s], a, portA[s], seqB[s], seqA[s], FrameBuilder.SYN | FrameBuilder.ACK, 0);
            seqB[s]++;
            next[s] += rtt / 2;
        } else if (st == 2) {
            len = fb.tcp4(a, portA[s], b, portB[s], seqA[s], seqB[s], FrameBuilder.ACK, 0);
            next[s] += 100_000;
        } else if (st - 3 < o.length) {
            final byte[] p = o[st - 3];
            len = segment(s, openingFromA[s][st - 3], p, p.length, FrameBuilder.PSH | FrameBuilder.ACK);
            next[s] += rtt / 2;
        } else if (remaining[s] > 3) {
            final boolean fromA = rng.nextInt(10) < 4;
            final int r = rng.nextInt(10);
            // a pure ACK only when it acknowledges something new, else it would be a duplicate ACK
            final boolean owesAck = (flags[s] & (fromA ? OWES_ACK_A : OWES_ACK_B)) != 0;
            final int body = r < 3 && owesAck ? 0 : r < 7 ? 60 + rng.nextInt(240) : 500 + rng.nextInt(900);
            int n = 0;
            if (body > 0) {
                final int at = FrameBuilder.TCP4_PAYLOAD;
                n = TlsRecords.applicationDataHeader(frame, at, body);
                System.arraycopy(noise, rng.nextInt(noise.length - body), frame, at + 5, body);
            }
            len = segment(s, fromA, null, n, n == 0 ? FrameBuilder.ACK : FrameBuilder.PSH | FrameBuilder.ACK);
            next[s] += rng.nextInt(8) == 0 ? (long) rng.nextInt(1500) * MS : rtt / 2 + rng.nextInt(200_000);
        } else if ((flags[s] & 8) != 0) {
            len = fb.tcp4(b, portB[s], a, portA[s], seqB[s], seqA[s], FrameBuilder.RST | FrameBuilder.ACK, 0);
            remaining[s] = 1;
        } else if (remaining[s] == 3) {
            len = fb.tcp4(a, portA[s], b, portB[s], seqA[s], seqB[s], FrameBuilder.FIN | FrameBuilder.ACK, 0);
            seqA[s]++;
            next[s] += rtt / 2;
        } else if (remaining[s] == 2) {
            len = fb.tcp4(b, portB[s], a, portA[s], seqB[s], seqA[s], FrameBuilder.FIN | FrameBuilder.ACK, 0);
            seqB[s]++;
            next[s] += rtt / 2;
        } else {
            len = fb.tcp4(a, portA[s], b, portB[s], seqA[s], seqB[s], FrameBuilder.ACK, 0);
        }
        return len;
    }

    /** A data segment; {@code payload} null means it is already in the frame. Clipped to one MSS. */
    private int segment(final int s, final boolean fromA, final byte[] payload, final int length, final int tcpFlags) {
        final int n = Math.min(length, 1448);
        if (payload != null) {
            System.arraycopy(payload, 0, frame, FrameBuilder.TCP4_PAYLOAD, n);
        }
        final int len;
        if (fromA) {
            len = fb.tcp4(addrA[s], portA[s], addrB[s], portB[s], seqA[s], seqB[s], tcpFlags, n);
            seqA[s] += n;
            flags[s] &= ~OWES_ACK_A;
            if (n > 0) {
                flags[s] |= OWES_ACK_B;
            }
        } else {
            len = fb.tcp4(addrB[s], portB[s], addrA[s], portA[s], seqB[s], seqA[s], tcpFlags, n);
            seqB[s] += n;
            flags[s] &= ~OWES_ACK_B;
            if (n > 0) {
                flags[s] |= OWES_ACK_A;
            }
        }
        return len;
    }

    private int turn(final int s) {
        final int st = step[s]++;
        final boolean request = (st & 1) == 0;
        final byte[] msg;
        if (request) {
            final StunMessages m = StunMessages.begin(st == 0 || st == 2 ? StunMessages.ALLOCATE_REQUEST
                : StunMessages.REFRESH_REQUEST, rng);
            if (st < 4) {
                m.requestedTransport(17);
            }
            if (st >= 2) {
                m.text(StunMessages.ATTR_USERNAME, "mra-" + Integer.toHexString(addrA[s]))
                    .text(StunMessages.ATTR_REALM, "example.com").text(StunMessages.ATTR_NONCE, "4f1c2b3a");
            }
            transactionId[s] = m.transactionId();
            msg = m.text(StunMessages.ATTR_SOFTWARE, "Cisco-Jabber/14.3").finish(st >= 2 ? TURN_KEY : null);
        } else if (st == 1) {
            msg = StunMessages.respond(StunMessages.ALLOCATE_ERROR, transactionId[s]).errorCode(401, "Unauthorized")
                .text(StunMessages.ATTR_REALM, "example.com").text(StunMessages.ATTR_NONCE, "4f1c2b3a")
                .text(StunMessages.ATTR_SOFTWARE, "Cisco-TURN/X15.2").finish(null);
        } else if (st == 3) {
            msg = StunMessages.respond(StunMessages.ALLOCATE_SUCCESS, transactionId[s])
                .xorAddress(StunMessages.ATTR_XOR_RELAYED_ADDRESS, addrB[s] == EXPE_PRIVATE ? EXPE_PUBLIC : addrB[s],
                    range(24000, 29999))
                .xorAddress(StunMessages.ATTR_XOR_MAPPED_ADDRESS, addrA[s], portA[s])
                .u32(StunMessages.ATTR_LIFETIME, 600).text(StunMessages.ATTR_SOFTWARE, "Cisco-TURN/X15.2").finish(TURN_KEY);
        } else {
            msg = StunMessages.respond(StunMessages.REFRESH_SUCCESS, transactionId[s]).u32(StunMessages.ATTR_LIFETIME, 600)
                .text(StunMessages.ATTR_SOFTWARE, "Cisco-TURN/X15.2").finish(TURN_KEY);
        }
        System.arraycopy(msg, 0, frame, FrameBuilder.UDP4_PAYLOAD, msg.length);
        final long rtt = (flags[s] & 4) != 0 ? 30 * MS : MS / 2;
        next[s] += request ? rtt : (st == 1 ? 2 * MS : 400 * MS + rng.nextInt(400) * MS);
        return request ? fb.udp4(addrA[s], portA[s], addrB[s], portB[s], msg.length)
            : fb.udp4(addrB[s], portB[s], addrA[s], portA[s], msg.length);
    }

    private static final byte[] TURN_KEY = "mra-turn".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ICE_KEY = "iceKeyForTheBenchmark012".getBytes(StandardCharsets.US_ASCII);

    private int ice(final int s) {
        final int st = step[s];
        if (st >= 8) {
            return rtp(s);
        }
        step[s]++;
        final boolean fromA = (st & 2) == 0;
        final boolean request = (st & 1) == 0;
        final byte[] msg;
        if (request) {
            final StunMessages m = StunMessages.begin(StunMessages.BINDING_REQUEST, rng)
                .text(StunMessages.ATTR_USERNAME, fromA ? "aB3d:Xy9z" : "Xy9z:aB3d")
                .u32(StunMessages.ATTR_PRIORITY, fromA ? 1853824767 : 1853824511)
                .u64(fromA ? StunMessages.ATTR_ICE_CONTROLLING : StunMessages.ATTR_ICE_CONTROLLED, rng.nextLong());
            if (fromA && st >= 4) {
                m.flag(StunMessages.ATTR_USE_CANDIDATE);
            }
            transactionId[s] = m.transactionId();
            msg = m.text(StunMessages.ATTR_SOFTWARE, "Cisco-Jabber-ICE/14.3").finish(ICE_KEY);
        } else {
            msg = StunMessages.respond(StunMessages.BINDING_SUCCESS, transactionId[s])
                .xorAddress(StunMessages.ATTR_XOR_MAPPED_ADDRESS, fromA ? addrB[s] : addrA[s], fromA ? portB[s] : portA[s])
                .finish(ICE_KEY);
        }
        System.arraycopy(msg, 0, frame, FrameBuilder.UDP4_PAYLOAD, msg.length);
        // a request goes from its sender; its response comes back from the other side
        final boolean senderIsA = request == fromA;
        next[s] += 15 * MS;
        if (st == 7) {
            step[s] = 8; // media starts; rtp() counts on even steps from A
        }
        return senderIsA ? fb.udp4(addrA[s], portA[s], addrB[s], portB[s], msg.length)
            : fb.udp4(addrB[s], portB[s], addrA[s], portA[s], msg.length);
    }

    private int scan(final int s) {
        final int st = step[s]++;
        if ((flags[s] & 16) != 0) {
            System.arraycopy(noise, rng.nextInt(1024), frame, FrameBuilder.UDP4_PAYLOAD, 32);
            return fb.udp4(addrA[s], portA[s], addrB[s], portB[s], 32);
        }
        if ((flags[s] & 8) != 0 && st == 1) {
            return fb.tcp4(addrB[s], portB[s], addrA[s], portA[s], 0, seqA[s] + 1, FrameBuilder.RST | FrameBuilder.ACK, 0);
        }
        next[s] += (flags[s] & 8) != 0 ? 30 * MS : 1000 * MS << st;
        return fb.tcp4(addrA[s], portA[s], addrB[s], portB[s], seqA[s], 0, FrameBuilder.SYN, 0);
    }
}
