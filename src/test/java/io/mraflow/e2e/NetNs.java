package io.mraflow.e2e;

import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * Two network namespaces made for a test, E and C, joined by a veth pair whose ends carry the
 * namespaces' names ({@code mfw<PID><tag>e} in E, {@code mfw<PID><tag>c} in C). Traffic stays on
 * that pair: nothing else is reachable from the namespaces. IPv6 is off in both (no router
 * solicitations or MLD reports on the pair), loopback is up. {@link #close} removes both
 * namespaces (and with them the veth pair); {@link #create} first removes what a test JVM that died
 * left behind: names of this prefix whose PID is no longer running.
 *
 * <p>Where namespaces cannot be made (not Linux, not root, no {@code ip}, or {@code ip netns add}
 * refused), {@link #create} aborts the test: JUnit reports it skipped, with the reason printed.
 */
final class NetNs implements AutoCloseable {
    static final String PREFIX = "mfw";
    private static final Pattern OURS = Pattern.compile("^" + PREFIX + "(\\d+)[a-z][ce]$");
    private static final long COMMAND_TIMEOUT_S = 30;

    /** Namespace E's name, also the name of its end of the veth pair. */
    final String e;
    /** Namespace C's name, also the name of its end of the veth pair. */
    final String c;

    private NetNs(final String e, final String c) {
        this.e = e;
        this.c = c;
    }

    /**
     * Makes the namespaces and the veth pair (MTU {@code mtu}); with {@code ipE} and {@code ipC}
     * non-null, gives the ends those IPv4 addresses in a /24.
     *
     * @param tag a lower-case letter that tells the test's pairs apart
     */
    static NetNs create(final char tag, final int mtu, final String ipE, final String ipC) {
        final String why = unavailable();
        if (why != null) {
            System.out.println("SKIPPED: network namespaces cannot be made here: " + why);
            Assumptions.abort("network namespaces cannot be made here: " + why);
        }
        removeLeftovers();
        final String base = PREFIX + ProcessHandle.current().pid() + tag;
        final NetNs net = new NetNs(base + "e", base + "c");
        net.close(); // a pair of the same name from an earlier test of this JVM
        final Result add = run("ip", "netns", "add", net.e);
        if (add.exit != 0) {
            System.out.println("SKIPPED: ip netns add refused: " + add.output);
            Assumptions.abort("ip netns add refused: " + add.output);
        }
        try {
            for (String ns : List.of(net.e, net.c)) {
                if (!ns.equals(net.e)) {
                    ok("ip", "netns", "add", ns);
                }
                ok("ip", "netns", "exec", ns, "sh", "-c", "for f in all default; do"
                        + " [ -w /proc/sys/net/ipv6/conf/$f/disable_ipv6 ] && echo 1 > /proc/sys/net/ipv6/conf/$f/disable_ipv6;"
                        + " done; true");
                ok("ip", "-n", ns, "link", "set", "lo", "up");
            }
            ok("ip", "link", "add", net.e, "type", "veth", "peer", "name", net.c);
            ok("ip", "link", "set", net.e, "netns", net.e);
            ok("ip", "link", "set", net.c, "netns", net.c);
            for (String ns : List.of(net.e, net.c)) {
                final String ip = ns.equals(net.e) ? ipE : ipC;
                if (ip != null) {
                    ok("ip", "-n", ns, "addr", "add", ip + "/24", "dev", ns);
                }
                ok("ip", "-n", ns, "link", "set", ns, "mtu", Integer.toString(mtu), "up");
            }
            return net;
        } catch (RuntimeException | Error e) {
            net.close();
            throw e;
        }
    }

    /** Why namespaces cannot be made here, or null when they can be tried. */
    static String unavailable() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return "not Linux";
        }
        if (!isRoot()) {
            return "not root (network namespaces and veth pairs need root)";
        }
        final Result v = run("ip", "-V");
        return v.exit == 0 ? null : "no working ip command (iproute2): " + v.output;
    }

    /** Whether this JVM runs as uid 0. */
    static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[1].equals("0");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /** Removes namespaces and links named as ours whose test JVM is gone. */
    private static void removeLeftovers() {
        for (String ns : run("ip", "netns", "list").output.split("\n")) {
            final String name = ns.trim().split("\\s+")[0];
            if (isLeftover(name)) {
                System.out.println("removing leftover namespace " + name);
                run("ip", "netns", "del", name);
            }
        }
        for (String line : run("ip", "-o", "link", "show").output.split("\n")) {
            final String[] parts = line.split(": ");
            if (parts.length > 1) {
                final String name = parts[1].split("@")[0];
                if (isLeftover(name)) {
                    System.out.println("removing leftover link " + name);
                    run("ip", "link", "del", name);
                }
            }
        }
    }

    private static boolean isLeftover(final String name) {
        final Matcher m = OURS.matcher(name);
        return m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).map(p -> !p.isAlive()).orElse(true);
    }

    /** The command prefix that runs a program inside namespace {@code ns}. */
    static List<String> in(final String ns) {
        return List.of("ip", "netns", "exec", ns);
    }

    /** A counter of {@code /sys/class/net/DEV/statistics/} of the veth end in its namespace. */
    long counter(final String ns, final String name) {
        final Result r = run("ip", "netns", "exec", ns, "cat", "/sys/class/net/" + ns + "/statistics/" + name);
        assertEquals(0, r.exit, r.output);
        return Long.parseLong(r.output.trim());
    }

    /** Packets the veth pair itself dropped (C's end sending, E's end receiving). */
    long vethDrops() {
        return counter(c, "tx_dropped") + counter(e, "rx_dropped");
    }

    @Override
    public void close() {
        run("ip", "netns", "del", e);
        run("ip", "netns", "del", c);
        run("ip", "link", "del", e); // only there when the pair was made but not yet moved
    }

    record Result(int exit, String output) {
    }

    /** Runs a command (at most 30 s); its exit code and its stdout and stderr together. */
    static Result run(final String... command) {
        return run(COMMAND_TIMEOUT_S, List.of(command));
    }

    static Result run(final long timeoutSeconds, final List<String> command) {
        try {
            final Path out = Files.createTempFile("mraflow-cmd", ".txt");
            try {
                final Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
                        .redirectOutput(out.toFile()).start();
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    return new Result(-1, "timed out after " + timeoutSeconds + " s: " + command);
                }
                return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            return new Result(-1, command.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted: " + command);
        }
    }

    /** Runs a command that must succeed. */
    static String ok(final String... command) {
        final Result r = run(command);
        if (r.exit != 0) {
            throw new IllegalStateException(String.join(" ", command) + ": exit " + r.exit + ": " + r.output);
        }
        return r.output;
    }
}
