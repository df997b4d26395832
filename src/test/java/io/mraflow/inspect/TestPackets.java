package io.mraflow.inspect;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Test-only header walker: link layer (Ethernet with VLAN/QinQ, Linux SLL and SLL2, BSD NULL and
 * LOOP, raw IP), IPv4/IPv6 (extension headers; fragments other than unfragmented packets are
 * skipped), IP-in-IP, GRE (IP, transparent Ethernet, ERSPAN II), TCP and UDP. Finds where the
 * transport payload starts in the frame.
 */
final class TestPackets {

    /** One decoded TCP or UDP packet: the 5-tuple and where the captured payload is. */
    static final class Decoded {
        int ipProto;
        byte[] src;
        byte[] dst;
        int srcPort;
        int dstPort;
        int payloadOffset;
        int payloadLength;

        String srcEndpoint() {
            return endpoint(src, srcPort);
        }

        String dstEndpoint() {
            return endpoint(dst, dstPort);
        }

        private static String endpoint(final byte[] a, final int port) {
            try {
                final String host = InetAddress.getByAddress(a).getHostAddress();
                return (a.length == 16 ? "[" + host + "]" : host) + ":" + port;
            } catch (UnknownHostException e) {
                return Arrays.toString(a) + ":" + port;
            }
        }
    }

    private TestPackets() {
    }

    /** Decodes a frame, or returns null when it holds no unfragmented TCP/UDP packet. */
    static Decoded decode(final int linkType, final byte[] f) {
        try {
            return switch (linkType) {
                case 1 -> ether(f, 0, 0);
                case 0 -> ip(f, 4, 0);
                case 108 -> ip(f, 4, 0);
                case 101, 12, 14, 228, 229 -> ip(f, 0, 0);
                case 113 -> f.length >= 16 ? byType(f, 16, u16(f, 14), 0) : null;
                case 276 -> f.length >= 20 ? byType(f, 20, u16(f, 0), 0) : null;
                default -> null;
            };
        } catch (ArrayIndexOutOfBoundsException e) {
            return null;
        }
    }

    private static Decoded ether(final byte[] f, final int off, final int depth) {
        int p = off + 12;
        int type = u16(f, p);
        while (type == 0x8100 || type == 0x88a8 || type == 0x9100) {
            p += 4;
            type = u16(f, p);
        }
        return byType(f, p + 2, type, depth);
    }

    private static Decoded byType(final byte[] f, final int p, final int type, final int depth) {
        if (type == 0x0800 || type == 0x86dd) {
            return ip(f, p, depth);
        }
        return null;
    }

    private static Decoded ip(final byte[] f, final int p, final int depth) {
        if (depth > 4 || p >= f.length) {
            return null;
        }
        final int v = (f[p] & 0xff) >> 4;
        int proto;
        int q;
        byte[] src;
        byte[] dst;
        int end;
        if (v == 4) {
            final int ihl = (f[p] & 0x0f) * 4;
            final int flagsFrag = u16(f, p + 6);
            if ((flagsFrag & 0x3fff) != 0) {
                return null;
            }
            proto = f[p + 9] & 0xff;
            src = Arrays.copyOfRange(f, p + 12, p + 16);
            dst = Arrays.copyOfRange(f, p + 16, p + 20);
            end = Math.min(f.length, p + u16(f, p + 2));
            q = p + ihl;
        } else if (v == 6) {
            proto = f[p + 6] & 0xff;
            src = Arrays.copyOfRange(f, p + 8, p + 24);
            dst = Arrays.copyOfRange(f, p + 24, p + 40);
            end = Math.min(f.length, p + 40 + u16(f, p + 4));
            q = p + 40;
            while (proto == 0 || proto == 43 || proto == 60 || proto == 44) {
                if (proto == 44) {
                    if ((u16(f, q + 2) & 0xfff9) != 0) {
                        return null;
                    }
                    proto = f[q] & 0xff;
                    q += 8;
                } else {
                    proto = f[q] & 0xff;
                    q += 8 + 8 * (f[q + 1] & 0xff);
                }
            }
        } else {
            return null;
        }
        if (proto == 4 || proto == 41) {
            return ip(f, q, depth + 1);
        }
        if (proto == 47) {
            final int flags = u16(f, q);
            final int gtype = u16(f, q + 2);
            int h = q + 4;
            if ((flags & 0x8000) != 0) {
                h += 4;
            }
            if ((flags & 0x2000) != 0) {
                h += 4;
            }
            if ((flags & 0x1000) != 0) {
                h += 4;
            }
            if (gtype == 0x6558) {
                return ether(f, h, depth + 1);
            }
            if (gtype == 0x88be) {
                return ether(f, h + 8, depth + 1);
            }
            return byType(f, h, gtype, depth + 1);
        }
        final Decoded d = new Decoded();
        d.ipProto = proto;
        d.src = src;
        d.dst = dst;
        if (proto == 6) {
            d.srcPort = u16(f, q);
            d.dstPort = u16(f, q + 2);
            final int hl = ((f[q + 12] & 0xff) >> 4) * 4;
            d.payloadOffset = q + hl;
        } else if (proto == 17) {
            d.srcPort = u16(f, q);
            d.dstPort = u16(f, q + 2);
            d.payloadOffset = q + 8;
            end = Math.min(end, q + u16(f, q + 4));
        } else {
            return null;
        }
        d.payloadLength = Math.max(0, end - d.payloadOffset);
        return d;
    }

    static int u16(final byte[] f, final int i) {
        return ((f[i] & 0xff) << 8) | (f[i + 1] & 0xff);
    }
}
