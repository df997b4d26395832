package io.mraflow.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import io.mraflow.synth.RtpPackets;
import io.mraflow.synth.TlsRecords;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Real traffic for the live tests, from inside a network namespace: a child JVM that reads one
 * command a line on stdin and answers one line on stdout ({@code ok ...} or {@code err ...}).
 * {@link Remote} drives it from the test.
 *
 * <pre>
 * listen-tcp IP PORT                     accept connections; read each to its end, then close it
 * rtp-echo IP PORT                       answer every datagram with an RTP packet of its own stream
 * tcp SRC SPORT DST DPORT none|tls|bulk  connect from SRC:SPORT, send nothing, a TLS ClientHello or
 *                                        4 MiB of zeros, half-close, read to the end, close:
 *                                        "ok connected" or "ok refused"
 * rtp SRC SPORT DST DPORT N              N RTP packets (version 2, PCMU, sequence numbers and
 *                                        timestamps increasing) 20 ms apart: "ok sent N received M"
 * udp SRC SPORT DST DPORT N [SIZE]       N datagrams of plain text (of SIZE bytes): "ok sent N"
 * get URL FILE                           HTTP GET, the body written to FILE: "ok STATUS"
 * exit
 * </pre>
 * Servers bind with SO_REUSEADDR and run on daemon threads until {@code exit}.
 */
public final class LiveAgent {
    private static final int TIMEOUT_MS = 5_000;

    private LiveAgent() {
    }

    public static void main(final String[] args) throws IOException {
        // answers go to stdout, one line each; nothing else writes there
        final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        out.println("ready");
        String line;
        while ((line = in.readLine()) != null) {
            final String[] a = line.trim().split("\\s+");
            try {
                final String answer = switch (a[0]) {
                    case "listen-tcp" -> listenTcp(a[1], Integer.parseInt(a[2]));
                    case "rtp-echo" -> rtpEcho(a[1], Integer.parseInt(a[2]));
                    case "tcp" -> tcp(a[1], Integer.parseInt(a[2]), a[3], Integer.parseInt(a[4]), a[5]);
                    case "rtp" -> rtp(a[1], Integer.parseInt(a[2]), a[3], Integer.parseInt(a[4]), Integer.parseInt(a[5]));
                    case "udp" -> udp(a[1], Integer.parseInt(a[2]), a[3], Integer.parseInt(a[4]), Integer.parseInt(a[5]),
                            a.length > 6 ? Integer.parseInt(a[6]) : 0);
                    case "get" -> get(a[1], Path.of(a[2]));
                    case "exit" -> null;
                    default -> "err unknown command " + a[0];
                };
                if (answer == null) {
                    out.println("ok");
                    return;
                }
                out.println(answer);
            } catch (IOException | InterruptedException | RuntimeException e) {
                out.println("err " + e.toString().replace('\n', ' '));
            }
        }
    }

    private static String listenTcp(final String ip, final int port) throws IOException {
        final ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getByName(ip), port));
        daemon(() -> {
            while (true) {
                try {
                    final Socket s = server.accept();
                    daemon(() -> {
                        try (s) {
                            s.setSoTimeout(TIMEOUT_MS);
                            drain(s.getInputStream()); // to its end: closing with unread data would reset
                        } catch (IOException e) {
                            // the flow shows what happened
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
        return "ok";
    }

    private static String rtpEcho(final String ip, final int port) throws IOException {
        final DatagramSocket socket = new DatagramSocket(null);
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getByName(ip), port));
        daemon(() -> {
            final Map<InetSocketAddress, Integer> seq = new HashMap<>();
            final byte[] buf = new byte[2048];
            while (true) {
                try {
                    final DatagramPacket p = new DatagramPacket(buf, buf.length);
                    socket.receive(p);
                    final InetSocketAddress from = (InetSocketAddress) p.getSocketAddress();
                    final int n = seq.merge(from, 1, Integer::sum);
                    final byte[] rtp = RtpPackets.packet(RtpPackets.PT_PCMU, n == 1, 5_000 + n,
                            80_000L + (long) n * RtpPackets.G711_FRAME, 0x0E0E0E0E, RtpPackets.G711_FRAME);
                    socket.send(new DatagramPacket(rtp, rtp.length, from));
                } catch (IOException e) {
                    return;
                }
            }
        });
        return "ok";
    }

    private static String tcp(final String src, final int srcPort, final String dst, final int dstPort,
                              final String payload) throws IOException {
        try (Socket s = new Socket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(src), srcPort));
            try {
                s.connect(new InetSocketAddress(InetAddress.getByName(dst), dstPort), TIMEOUT_MS);
            } catch (ConnectException e) {
                return "ok refused";
            }
            s.setSoTimeout(TIMEOUT_MS);
            if (payload.equals("tls")) {
                s.getOutputStream().write(TlsRecords.clientHello(null, true, null, new SplittableRandom(7)));
            } else if (payload.equals("bulk")) {
                s.getOutputStream().write(new byte[4 << 20]);
            } else if (!payload.equals("none")) {
                return "err payload " + payload + " is none of none, tls, bulk";
            }
            s.shutdownOutput();
            drain(s.getInputStream());
            return "ok connected";
        }
    }

    private static String rtp(final String src, final int srcPort, final String dst, final int dstPort, final int n)
            throws IOException, InterruptedException {
        try (DatagramSocket s = bound(src, srcPort)) {
            final InetSocketAddress to = new InetSocketAddress(InetAddress.getByName(dst), dstPort);
            final int[] received = {0};
            final Thread reader = daemon(() -> {
                final byte[] buf = new byte[2048];
                try {
                    s.setSoTimeout(2_000);
                    while (received[0] < n) {
                        s.receive(new DatagramPacket(buf, buf.length));
                        received[0]++;
                    }
                } catch (IOException e) {
                    // timed out: the count says how many came back
                }
            });
            for (int i = 0; i < n; i++) {
                final byte[] p = RtpPackets.packet(RtpPackets.PT_PCMU, i == 0, 100 + i, 1_000L + (long) i * RtpPackets.G711_FRAME,
                        0x0C0C0C0C, RtpPackets.G711_FRAME);
                s.send(new DatagramPacket(p, p.length, to));
                Thread.sleep(20);
            }
            reader.join(5_000);
            return "ok sent " + n + " received " + received[0];
        }
    }

    private static String udp(final String src, final int srcPort, final String dst, final int dstPort, final int n,
                              final int size) throws IOException, InterruptedException {
        try (DatagramSocket s = bound(src, srcPort)) {
            final byte[] hello = "hello, is anybody listening?\n".getBytes(StandardCharsets.US_ASCII);
            final byte[] text = size <= 0 ? hello : new byte[size];
            for (int i = 0; size > 0 && i < size; i++) {
                text[i] = hello[i % hello.length];
            }
            for (int i = 0; i < n; i++) {
                s.send(new DatagramPacket(text, text.length, new InetSocketAddress(InetAddress.getByName(dst), dstPort)));
                Thread.sleep(20);
            }
            return "ok sent " + n;
        }
    }

    private static String get(final String url, final Path file) throws IOException {
        final HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setConnectTimeout(TIMEOUT_MS);
        c.setReadTimeout(TIMEOUT_MS);
        try (InputStream in = c.getInputStream()) {
            Files.write(file, in.readAllBytes());
        }
        return "ok " + c.getResponseCode();
    }

    private static DatagramSocket bound(final String ip, final int port) throws IOException {
        final DatagramSocket s = new DatagramSocket(null);
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getByName(ip), port));
        return s;
    }

    private static void drain(final InputStream in) throws IOException {
        final byte[] buf = new byte[4096];
        while (in.read(buf) >= 0) {
            // discard
        }
    }

    private interface Body {
        void run() throws IOException, InterruptedException;
    }

    private static Thread daemon(final Body body) {
        final Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (IOException | InterruptedException e) {
                // ends the thread
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The agent in a child JVM, started with a command prefix ({@code ip netns exec NS}). */
    @SuppressWarnings("try") // close() waits for a child process; an interrupt there is the test runner's to see
    static final class Remote implements AutoCloseable {
        private final Process process;
        private final Writer stdin;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final List<String> log = new ArrayList<>();

        Remote(final List<String> prefix) throws IOException, InterruptedException {
            final List<String> command = new ArrayList<>(prefix);
            command.addAll(WatchProcess.java(List.of("-Xmx64m", "-XX:TieredStopAtLevel=1"), LiveAgent.class.getName()));
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            stdin = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            final Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String l;
                    while ((l = r.readLine()) != null) {
                        lines.add(l);
                    }
                } catch (IOException e) {
                    // the process ended
                }
            });
            reader.setDaemon(true);
            reader.start();
            final String first = lines.poll(30, TimeUnit.SECONDS);
            if (!"ready".equals(first)) {
                close();
                fail("agent did not start: " + first + " " + String.join(" | ", lines));
            }
        }

        /** Sends a command, returns its answer (at most 30 s); fails the test on "err". */
        String call(final String command) throws IOException, InterruptedException {
            stdin.write(command + "\n");
            stdin.flush();
            final String answer = lines.poll(30, TimeUnit.SECONDS);
            log.add(command + " -> " + answer);
            if (answer == null || !answer.startsWith("ok")) {
                fail("agent: " + command + " -> " + answer);
            }
            return answer;
        }

        @Override
        public void close() throws InterruptedException {
            try {
                stdin.write("exit\n");
                stdin.flush();
            } catch (IOException e) {
                // already gone
            }
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }

        @Override
        public String toString() {
            return String.join("\n", log);
        }
    }
}
