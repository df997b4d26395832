package io.mraflow.flow;

import io.mraflow.decode.DecodeStatus;
import io.mraflow.decode.PacketView;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Builds {@link PacketView}s by hand, as the decoder would fill them. */
final class TestPackets {

    static final int FIN = 0x01;
    static final int SYN = 0x02;
    static final int RST = 0x04;
    static final int PSH = 0x08;
    static final int ACK = 0x10;

    static final long SECOND = 1_000_000_000L;
    static final long T0 = 1_700_000_000L * SECOND;

    private TestPackets() {
    }

    /** {@code ::ffff:a.b.c.d} low half. */
    static long v4(int a, int b, int c, int d) {
        return 0x0000_ffff_0000_0000L | ((long) a << 24) | ((long) b << 16) | ((long) c << 8) | d;
    }

    /** Address literal as {hi, lo} in PacketView form (IPv4 v4-mapped). */
    static long[] addr(String literal) {
        try {
            final byte[] raw = InetAddress.getByName(literal).getAddress();
            if (raw.length == 4) {
                return new long[] {0, 0x0000_ffff_0000_0000L
                        | (ByteBuffer.wrap(raw).getInt() & 0xffff_ffffL)};
            }
            final ByteBuffer b = ByteBuffer.wrap(raw);
            return new long[] {b.getLong(), b.getLong()};
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    static PacketView base(long ts, int proto, long srcLo, int srcPort, long dstLo, int dstPort) {
        final PacketView p = new PacketView();
        fill(p, ts, proto, srcLo, srcPort, dstLo, dstPort);
        return p;
    }

    static void fill(PacketView p, long ts, int proto, long srcLo, int srcPort, long dstLo,
                     int dstPort) {
        p.reset();
        p.status = DecodeStatus.OK;
        p.tsNanos = ts;
        p.ipVersion = 4;
        p.srcHi = 0;
        p.srcLo = srcLo;
        p.dstHi = 0;
        p.dstLo = dstLo;
        p.ipProto = proto;
        p.hasPorts = true;
        p.srcPort = srcPort;
        p.dstPort = dstPort;
    }

    static PacketView udp(long ts, long srcLo, int srcPort, long dstLo, int dstPort, int payload) {
        final PacketView p = base(ts, 17, srcLo, srcPort, dstLo, dstPort);
        p.payloadLen = payload;
        p.ipLen = 20 + 8 + payload;
        p.wireLen = p.ipLen + 14;
        return p;
    }

    /** Collects emitted flows. */
    static final class Sink implements FlowSink {
        final List<FlowRecord> flows = new ArrayList<>();

        @Override
        public void flowEnded(FlowRecord flow) {
            flows.add(flow);
        }
    }

    /**
     * One TCP conversation between a client and a server; each call sends one segment with the
     * sender's next sequence number and acknowledging everything the other side sent, one
     * millisecond after the previous packet.
     */
    static final class Tcp {
        final FlowTable table;
        final long client;
        final long server;
        final int clientPort;
        final int serverPort;
        long ts = T0;
        long clientSeq;
        long serverSeq;
        int window = 65535;

        Tcp(FlowTable table, long client, int clientPort, long server, int serverPort,
            long clientIsn, long serverIsn) {
            this.table = table;
            this.client = client;
            this.server = server;
            this.clientPort = clientPort;
            this.serverPort = serverPort;
            this.clientSeq = clientIsn;
            this.serverSeq = serverIsn;
        }

        Tcp(FlowTable table) {
            this(table, v4(10, 0, 0, 1), 40000, v4(192, 0, 2, 10), 443, 1000, 5000);
        }

        /** Client sends. */
        Tcp c(int flags, int len) {
            clientSeq = send(true, flags, len, clientSeq, serverSeq);
            return this;
        }

        /** Server sends. */
        Tcp s(int flags, int len) {
            serverSeq = send(false, flags, len, serverSeq, clientSeq);
            return this;
        }

        /** Client sends with an explicit sequence number (retransmissions, new ISNs). */
        Tcp cAt(int flags, int len, long seq) {
            final long next = send(true, flags, len, seq, serverSeq);
            if (((next - clientSeq) & 0xffff_ffffL) < 0x8000_0000L) {
                clientSeq = next;
            }
            return this;
        }

        Tcp idle(long nanos) {
            ts += nanos;
            return this;
        }

        PacketView packet(boolean fromClient, int flags, int len, long seq, long ack) {
            final PacketView p = base(ts, 6, fromClient ? client : server,
                    fromClient ? clientPort : serverPort, fromClient ? server : client,
                    fromClient ? serverPort : clientPort);
            p.tcpFlags = flags;
            p.tcpSeq = seq & 0xffff_ffffL;
            p.tcpAck = (flags & ACK) != 0 ? ack & 0xffff_ffffL : 0;
            p.tcpWindow = window;
            p.payloadLen = len;
            p.payloadCapLen = len;
            p.ipLen = 20 + 20 + len;
            p.wireLen = p.ipLen + 14;
            return p;
        }

        private long send(boolean fromClient, int flags, int len, long seq, long ack) {
            ts += 1_000_000L;
            table.onPacket(packet(fromClient, flags, len, seq, ack));
            long consumed = len;
            if ((flags & SYN) != 0) {
                consumed++;
            }
            if ((flags & FIN) != 0) {
                consumed++;
            }
            if ((flags & RST) != 0) {
                consumed = 0;
            }
            return (seq + consumed) & 0xffff_ffffL;
        }
    }
}
