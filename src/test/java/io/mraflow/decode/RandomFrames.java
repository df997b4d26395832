package io.mraflow.decode;

import static io.mraflow.decode.Frames.cat;
import static io.mraflow.decode.Frames.u16;
import static io.mraflow.decode.Frames.u32;

import io.mraflow.capture.LinkType;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Packets that get past the decoders' first checks, so that the checks behind them are exercised
 * too: every supported link layer (VLAN, MPLS and PPPoE included) around IPv4 with options and
 * IPv6 with extension chains, fragments, TCP, UDP, ICMP errors quoting a packet, and the tunnels
 * (GRE with PPP and ERSPAN I-III, IP-in-IP, VXLAN). Fields are random; lengths are mostly right
 * and sometimes lie; then the packet is cut and bytes flipped.
 *
 * <p>Built in plain Java from a seed that jqwik draws: jqwik's own combinators rehash the whole
 * generator tree for every value of a structure this deep, far too slowly for a million inputs
 * per parser (BENCHMARKS.md, Tried and dropped). The seed makes each input reproducible; a
 * failing one is reported as its bytes.
 */
final class RandomFrames {
    /** Tunnels inside tunnels, at most: deep enough to decode an inner packet behind an inner tunnel. */
    static final int TUNNEL_DEPTH = 2;
    /** The depth of a packet quoted by an ICMP error: TCP, UDP or anything, but no ICMP and no tunnel. */
    static final int QUOTE = -1;

    /** A packet as captured: link type and bytes (the buffer ends where the capture did). */
    record Frame(int linkType, byte[] bytes) {
        @Override
        public String toString() {
            return "link type " + linkType + ": " + HexFormat.of().formatHex(bytes);
        }
    }

    private final SplittableRandom random;

    RandomFrames(final long seed) {
        this.random = new SplittableRandom(seed);
    }

    // ---- as jqwik arbitraries

    /** Structured frames of every supported link type, damaged; and random bytes of any link type. */
    static Arbitrary<Frame> frames() {
        final Arbitrary<Frame> noise = Combinators.combine(Arbitraries.of(LinkType.NULL, LinkType.EN10MB, LinkType.PPP,
            LinkType.PPP_HDLC, LinkType.RAW, LinkType.LOOP, LinkType.LINUX_SLL, LinkType.IPV4, LinkType.IPV6, LinkType.NFLOG,
            LinkType.LINUX_SLL2, 147, 65535), noise()).as(Frame::new);
        final Arbitrary<Frame> structured = Arbitraries.longs().map(seed -> {
            final RandomFrames g = new RandomFrames(seed);
            final Frame f = g.frame();
            return new Frame(f.linkType(), g.damage(f.bytes()));
        });
        return Arbitraries.frequencyOf(Tuple.of(1, noise), Tuple.of(4, structured));
    }

    /** What {@code build} makes from a seed, damaged; and random bytes. */
    static Arbitrary<byte[]> packets(final Function<RandomFrames, byte[]> build) {
        final Arbitrary<byte[]> structured = Arbitraries.longs().map(seed -> {
            final RandomFrames g = new RandomFrames(seed);
            return g.damage(build.apply(g));
        });
        return Arbitraries.frequencyOf(Tuple.of(1, noise()), Tuple.of(4, structured));
    }

    static Arbitrary<byte[]> noise() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(120);
    }

    /**
     * The bytes cut at a random length (whole two times in three), and half the time up to three
     * bytes changed: the array ends where the cut is, so a read past it throws.
     */
    byte[] damage(final byte[] bytes) {
        final byte[] b = Arrays.copyOf(bytes, random.nextInt(3) != 0 ? bytes.length : random.nextInt(bytes.length + 1));
        for (int n = random.nextBoolean() ? 0 : 1 + random.nextInt(3); n > 0 && b.length > 0; n--) {
            b[random.nextInt(b.length)] = (byte) random.nextInt(256);
        }
        return b;
    }

    // ---- link layers

    /** A frame of a link type the decoder supports, around an IP packet (or not). */
    Frame frame() {
        final byte[] ip = ip(TUNNEL_DEPTH);
        return switch (random.nextInt(10)) {
            case 0, 1, 2, 3 -> new Frame(LinkType.EN10MB, ethernet(ip));
            case 4 -> {
                final byte[] chain = etherChain(ip);
                final byte[] other = bytes(18);
                yield random.nextBoolean()
                    ? new Frame(LinkType.LINUX_SLL, cat(Arrays.copyOf(other, 14), chain))
                    : new Frame(LinkType.LINUX_SLL2, cat(Arrays.copyOf(chain, 2), other, Arrays.copyOfRange(chain, 2, chain.length)));
            }
            case 5 -> loopback(ip);
            case 6 -> new Frame(pick(LinkType.RAW, LinkType.DLT_RAW_BSD, LinkType.DLT_RAW_OPENBSD, LinkType.IPV4, LinkType.IPV6), ip);
            case 7 -> new Frame(pick(LinkType.PPP, LinkType.PPP_HDLC), random.nextInt(4) == 0 ? ciscoHdlc(ip) : ppp(ip));
            case 8 -> new Frame(LinkType.NFLOG, nflog(ip));
            default -> new Frame(LinkType.EN10MB, ethernet(ip(QUOTE))); // plain TCP or UDP, no tunnel
        };
    }

    byte[] ethernet(final byte[] ip) {
        return cat(bytes(12), etherChain(ip));
    }

    /**
     * An EtherType chain as it follows the MAC addresses: up to three VLAN tags of the three TPIDs
     * (each TPID, then the TCI), then IPv4, IPv6, MPLS, a PPPoE session or something else.
     */
    byte[] etherChain(final byte[] ip) {
        byte[] chain = switch (random.nextInt(9)) {
            case 0 -> { // MPLS labels, the last one the bottom of the stack
                final byte[] labels = bytes(4 * (1 + random.nextInt(3)));
                for (int i = 2; i < labels.length; i += 4) {
                    labels[i] = (byte) (i == labels.length - 2 ? labels[i] | 1 : labels[i] & ~1);
                }
                yield cat(u16(pick(0x8847, 0x8848)), labels, ip);
            }
            case 1 -> cat(u16(0x8864), bytes(6), u16(pppProtocol()), ip);
            case 2 -> cat(u16(random.nextInt(0x10000)), bytes(random.nextInt(64)));
            default -> cat(u16(version(ip) == 6 ^ random.nextInt(20) == 0 ? 0x86dd : 0x0800), ip);
        };
        for (int tags = random.nextInt(4) == 0 ? 1 + random.nextInt(3) : 0; tags > 0; tags--) {
            chain = cat(u16(pick(0x8100, 0x88a8, 0x9100)), u16(random.nextInt(0x1000)), chain);
        }
        return chain;
    }

    /** BSD loopback: the address family in either byte order (LINKTYPE_NULL) or network order (LOOP). */
    private Frame loopback(final byte[] ip) {
        final int family = random.nextInt(8) == 0 ? random.nextInt() : version(ip) == 4 ? 2 : pick(24, 28, 30);
        final boolean loop = random.nextBoolean();
        final boolean little = !loop && random.nextBoolean();
        return new Frame(loop ? LinkType.LOOP : LinkType.NULL,
            cat(u32((little ? Integer.reverseBytes(family) : family) & 0xffff_ffffL), ip));
    }

    /** PPP with or without address and control, with a 1- or 2-byte protocol. */
    private byte[] ppp(final byte[] ip) {
        final int proto = pppProtocol();
        final byte[] address = random.nextBoolean() ? new byte[] {(byte) 0xff, 3} : new byte[0];
        return cat(address, proto < 0x100 && random.nextBoolean() ? new byte[] {(byte) proto} : u16(proto), ip);
    }

    /** Cisco HDLC, which PPP link types may hold: an address byte, a control byte, an EtherType. */
    private byte[] ciscoHdlc(final byte[] ip) {
        return cat(new byte[] {(byte) pick(0x0f, 0x8f), 0}, u16(pick(0x0800, 0x86dd, 0x8035)), ip);
    }

    /** IPv4 or IPv6, now and then anything else (LCP, IPCP, ...). */
    private int pppProtocol() {
        return random.nextInt(5) == 0 ? random.nextInt(0x10000) : pick(0x0021, 0x0057);
    }

    /** NFLOG: a 4-byte header, TLVs in the capturing host's byte order (either), the payload TLV last. */
    private byte[] nflog(final byte[] ip) {
        final boolean little = random.nextInt(4) != 0;
        byte[] tlvs = new byte[0];
        for (int n = random.nextInt(4); n > 0; n--) {
            tlvs = cat(tlvs, tlv(little, 1 + random.nextInt(8), bytes(random.nextInt(13))));
        }
        return cat(new byte[] {(byte) pick(2, 10, 0), 0, 0, 0}, tlvs, tlv(little, 9, ip));
    }

    private static byte[] tlv(final boolean little, final int type, final byte[] value) {
        final int length = 4 + value.length;
        final byte[] header = little
            ? new byte[] {(byte) length, (byte) (length >>> 8), (byte) type, (byte) (type >>> 8)}
            : cat(u16(length), u16(type));
        return cat(header, value, new byte[(4 - length % 4) % 4]);
    }

    // ---- IP

    /** IPv4 or IPv6, carrying transport headers, ICMP errors and, {@code depth} deep, tunnels. */
    byte[] ip(final int depth) {
        return random.nextBoolean() ? ipv4(depth) : ipv6(depth);
    }

    /** IPv4 with options; the header length, total length and fragment fields now and then wrong. */
    byte[] ipv4(final int depth) {
        final int[] proto = new int[1];
        final byte[] payload = carried(4, depth, proto);
        final byte[] options = bytes(4 * (random.nextInt(4) == 0 ? random.nextInt(11) : 0));
        int ihl = 5 + options.length / 4;
        int total = ihl * 4 + payload.length;
        switch (random.nextInt(20)) {
            case 0 -> ihl = random.nextInt(16);
            case 1 -> total = random.nextInt(0x10000);
            case 2 -> total = 0; // TSO: the packet is what was captured
            default -> {
            }
        }
        final byte[] fixed = bytes(20);
        fixed[0] = (byte) (0x40 | ihl);
        System.arraycopy(u16(total), 0, fixed, 2, 2);
        System.arraycopy(u16(fragmentField()), 0, fixed, 6, 2);
        fixed[9] = (byte) proto[0];
        return cat(fixed, options, payload);
    }

    /** IPv4 flags and fragment offset: mostly unfragmented, else first, middle or last fragments. */
    private int fragmentField() {
        return switch (random.nextInt(16)) {
            case 0 -> random.nextInt(0x10000);
            case 1 -> 0x2000;
            case 2, 3 -> 0x4000;
            default -> 0;
        };
    }

    /** IPv6 with an extension chain (fragment header included); the payload length now and then wrong. */
    byte[] ipv6(final int depth) {
        final int[] proto = new int[1];
        byte[] chain = carried(6, depth, proto);
        int next = proto[0];
        for (int n = random.nextInt(3) == 0 ? 1 + random.nextInt(4) : 0; n > 0; n--) {
            final byte[] h = extensionHeader();
            final int type = h[0] & 0xff;
            h[0] = (byte) next;
            chain = cat(h, chain);
            next = type;
        }
        final int payload = switch (random.nextInt(20)) {
            case 0 -> random.nextInt(0x10000);
            case 1 -> 0; // jumbogram or segmentation offload: the packet is what was captured
            default -> chain.length;
        };
        final byte[] fixed = bytes(40);
        fixed[0] = (byte) (0x60 | fixed[0] & 0x0f);
        System.arraycopy(u16(payload), 0, fixed, 4, 2);
        fixed[6] = (byte) next;
        return cat(fixed, chain);
    }

    /** One extension header, its own type in its first byte (replaced by the next header's when chained). */
    private byte[] extensionHeader() {
        final byte[] h;
        switch (random.nextInt(6)) {
            case 0, 1 -> { // fragment: offset in 8-byte units, M flag
                final int field = fragmentField();
                h = cat(new byte[] {44, 0}, u16((field & 0x1fff) << 3 | (field & 0x2000) >>> 13), bytes(4));
            }
            case 2 -> { // authentication header: its length in 4-byte units, minus 2
                final int words = 1 + random.nextInt(6);
                h = bytes((words + 2) * 4);
                h[0] = 51;
                h[1] = (byte) words;
            }
            default -> { // hop-by-hop, routing, destination options, mobility: 8-byte units, minus 1
                final int units = random.nextInt(4);
                h = bytes((units + 1) * 8);
                h[0] = (byte) pick(0, 43, 60, 135);
                h[1] = (byte) units;
            }
        }
        return h;
    }

    /** What an IP header of {@code version} carries; its protocol number goes into {@code proto[0]}. */
    private byte[] carried(final int version, final int depth, final int[] proto) {
        final int choice = random.nextInt(depth > 0 ? 12 : depth == 0 ? 8 : 7);
        switch (choice) {
            case 0, 1, 2 -> {
                proto[0] = 6;
                return tcp();
            }
            case 3, 4, 5 -> {
                proto[0] = 17;
                return udp(Math.max(depth, 0));
            }
            case 6 -> {
                proto[0] = random.nextInt(256);
                return bytes(random.nextInt(41));
            }
            case 7 -> {
                proto[0] = version == 4 ? 1 : 58;
                return icmp(version);
            }
            case 8, 9 -> {
                proto[0] = 47;
                return gre(depth);
            }
            case 10 -> {
                proto[0] = 4;
                return ipv4(depth - 1);
            }
            default -> {
                proto[0] = 41;
                return ipv6(depth - 1);
            }
        }
    }

    // ---- transport

    /** TCP with options; the data offset now and then wrong. */
    byte[] tcp() {
        final byte[] options = bytes(4 * (random.nextInt(3) == 0 ? random.nextInt(11) : 0));
        final byte[] h = bytes(20);
        final int offset = random.nextInt(10) == 0 ? random.nextInt(16) : 5 + options.length / 4;
        h[12] = (byte) (offset << 4);
        return cat(h, options, bytes(random.nextInt(41)));
    }

    /** UDP; the length now and then wrong; {@code depth} deep now and then a VXLAN packet on port 4789. */
    byte[] udp(final int depth) {
        final boolean vxlan = depth > 0 && random.nextInt(4) == 0;
        final byte[] payload = vxlan ? vxlan(depth) : bytes(random.nextInt(41));
        final byte[] h = bytes(8);
        if (vxlan || random.nextInt(8) == 0) {
            System.arraycopy(u16(HeaderOffsets.Vxlan.PORT), 0, h, 2, 2);
        }
        System.arraycopy(u16(random.nextInt(10) == 0 ? random.nextInt(0x10000) : 8 + payload.length), 0, h, 4, 2);
        return cat(h, payload);
    }

    // ---- tunnels

    /** A VXLAN header (the I flag mostly set) and an Ethernet frame. */
    byte[] vxlan(final int depth) {
        final byte[] h = bytes(8);
        h[0] = (byte) (random.nextInt(5) == 0 ? random.nextInt(256) : 0x08);
        return cat(h, ethernet(ip(depth - 1)));
    }

    /**
     * GRE versions 0 and 1 with any optional fields, carrying IP, Ethernet (transparent bridging,
     * ERSPAN I and II), ERSPAN III with or without its subheader, PPP, or something else.
     */
    byte[] gre(final int depth) {
        final int flags = switch (random.nextInt(6)) {
            case 0 -> pick(0x3001, 0x3081); // version 1 (PPTP): key and sequence, with or without ack
            case 1 -> random.nextInt(0x10000);
            default -> pick(0, 0x8000, 0x2000, 0x1000, 0xb000);
        };
        final byte[] ip = ip(depth - 1);
        final int protocol;
        final byte[] inner;
        switch (random.nextInt(7)) {
            case 0 -> {
                protocol = HeaderOffsets.Gre.PROTO_TEB;
                inner = ethernet(ip);
            }
            case 1 -> { // ERSPAN I without a sequence number, II (8-byte header) with one
                protocol = HeaderOffsets.Gre.PROTO_ERSPAN_1_2;
                inner = cat((flags & 0x1000) != 0 ? bytes(8) : new byte[0], ethernet(ip));
            }
            case 2 -> {
                protocol = HeaderOffsets.Gre.PROTO_ERSPAN_3;
                final byte[] h = bytes(12);
                final boolean subheader = random.nextBoolean();
                h[10] &= 0x83; // frame type 0: Ethernet
                h[11] = (byte) (subheader ? h[11] | 1 : h[11] & ~1);
                inner = cat(h, bytes(subheader ? 8 : 0), ethernet(ip));
            }
            case 3 -> {
                protocol = HeaderOffsets.Gre.PROTO_PPP;
                inner = ppp(ip);
            }
            case 4 -> {
                protocol = random.nextInt(0x10000);
                inner = bytes(random.nextInt(41));
            }
            default -> {
                protocol = version(ip) == 6 ^ random.nextInt(10) == 0 ? 0x86dd : 0x0800;
                inner = ip;
            }
        }
        final int words = Integer.bitCount(flags & 0xb000) + ((flags & 0x0080) != 0 ? 1 : 0);
        return cat(u16(flags), u16(protocol), bytes(4 * words), inner);
    }

    // ---- ICMP

    /** ICMP (version 4) or ICMPv6 messages, mostly errors quoting a packet cut where a router would cut it. */
    byte[] icmp(final int version) {
        final int type = random.nextInt(5) == 0 ? random.nextInt(256) : version == 4 ? pick(3, 11, 12) : pick(1, 2, 3, 4);
        final byte[] quoted = ip(QUOTE);
        return cat(new byte[] {(byte) type}, bytes(7), Arrays.copyOf(quoted, random.nextInt(quoted.length + 1)));
    }

    // ---- helpers

    private byte[] bytes(final int n) {
        final byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private int pick(final int... values) {
        return values[random.nextInt(values.length)];
    }

    static int version(final byte[] ip) {
        return ip.length == 0 ? 0 : (ip[0] & 0xff) >>> 4;
    }
}
