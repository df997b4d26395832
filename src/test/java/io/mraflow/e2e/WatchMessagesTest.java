package io.mraflow.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What {@code interfaces} and {@code watch} say when capture cannot start: {@code interfaces} lists
 * the loopback with its flags; a filter libpcap cannot compile, an interface that does not exist
 * and a user without the capabilities each exit 2 with one line that says why (libpcap's own
 * compile message; the interface's name and the ones there are; root or CAP_NET_RAW and
 * CAP_NET_ADMIN, and the setcap command). The unprivileged run is a child JVM under uid 65534
 * ({@code setpriv}, else {@code runuser -u nobody}) reading a copy of the class path it may read.
 */
@Tag("slow") // child JVMs watching an interface
class WatchMessagesTest {
    private record Run(int exit, String out, String err) {
        List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    private static Run mraflow(final List<String> prefix, final List<String> java, final String... args)
            throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>(prefix);
        command.addAll(java);
        command.addAll(List.of(args));
        final Path out = Files.createTempFile("mraflow-out", ".txt");
        final Path err = Files.createTempFile("mraflow-err", ".txt");
        try {
            final Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("no exit within 60 s: " + command + "\n" + Files.readString(err));
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static Run mraflow(final String... args) throws IOException, InterruptedException {
        return mraflow(List.of(), WatchProcess.java(List.of("-Xmx128m"), "io.mraflow.cli.Main"), args);
    }

    private static void assumeRoot(final String why) {
        if (!NetNs.isRoot()) {
            System.out.println("SKIPPED: not root: " + why);
            Assumptions.abort("not root: " + why);
        }
    }

    @Test
    @Timeout(120)
    void interfacesListsTheLoopbackWithItsFlags() throws Exception {
        final Run r = mraflow("interfaces");
        assertEquals(0, r.exit(), r.err());
        final List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).matches("name\\s+flags\\s+addresses\\s+description"), lines.get(0));
        final String lo = lines.stream().filter(l -> l.startsWith("lo ")).findFirst()
                .orElseThrow(() -> new AssertionError("no lo in\n" + r.out()));
        final String[] fields = lo.trim().split("\\s+");
        assertEquals("up,running,loopback", fields[1], lo);
        assertTrue(fields[2].contains("127.0.0.1"), lo);
    }

    @Test
    @Timeout(120)
    void aFilterThatDoesNotCompileExits2WithLibpcapsMessage() throws Exception {
        assumeRoot("the filter is compiled on an open capture, which needs root here");
        final Run r = mraflow("watch", "-i", "lo", "--filter", "not a filter (((");
        assertEquals(2, r.exit(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        final String line = r.errLines().get(0);
        assertTrue(line.startsWith("mraflow watch: lo: the filter 'not a filter (((' does not compile: "), line);
        assertTrue(line.contains("syntax error"), "libpcap's own reason: " + line);
        assertEquals("", r.out());
    }

    @Test
    @Timeout(120)
    void anInterfaceThatDoesNotExistExits2NamingIt() throws Exception {
        final Run r = mraflow("watch", "-i", "NO_SUCH");
        assertEquals(2, r.exit(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        final String line = r.errLines().get(0);
        assertTrue(line.startsWith("mraflow watch: NO_SUCH: no such interface ("), line);
        assertTrue(line.matches(".*interfaces: .*\\blo\\b.*; mraflow interfaces lists them\\)"), "names those there are: " + line);
    }

    @Test
    @Timeout(180)
    void withoutThePrivilegeToCaptureOneLineSaysWhatIsNeeded() throws Exception {
        final Path copy = Files.createTempDirectory("mraflow-unprivileged");
        try {
            final List<String> prefix;
            if (NetNs.isRoot()) {
                prefix = unprivileged();
                open(copy);
            } else {
                prefix = List.of(); // already without them, unless this java was given capabilities
            }
            final String classPath = copyClassPath(copy);
            final Path tmp = Files.createDirectory(copy.resolve("tmp"));
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
            final List<String> java = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx128m", "-Djava.io.tmpdir=" + tmp, "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                    "-cp", classPath, "io.mraflow.cli.Main");
            final Run version = mraflow(prefix, java, "--version");
            if (version.exit() != 0) {
                System.out.println("SKIPPED: the JVM cannot run as uid 65534 here: " + version.err());
                Assumptions.abort("the JVM cannot run as uid 65534 here: " + version.err());
            }
            final Run r = mraflow(prefix, java, "watch", "-i", "lo");
            System.out.println("unprivileged: exit " + r.exit() + ": " + r.err());
            assertEquals(2, r.exit(), r.err());
            assertEquals(1, r.errLines().size(), "one line: " + r.err());
            final String line = r.errLines().get(0);
            assertTrue(line.startsWith("mraflow watch: lo: no permission to capture: "), line);
            for (String needed : List.of("root", "CAP_NET_RAW", "CAP_NET_ADMIN", "setcap cap_net_raw,cap_net_admin+eip ")) {
                assertTrue(line.contains(needed), "names " + needed + ": " + line);
            }
            assertEquals("", r.out());
        } finally {
            try (Stream<Path> s = Files.walk(copy)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The command prefix that drops root: uid and gid 65534, no groups, no capabilities. */
    private static List<String> unprivileged() {
        if (NetNs.run("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "true").exit() == 0) {
            return List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");
        }
        if (NetNs.run("runuser", "-u", "nobody", "--", "true").exit() == 0) {
            return List.of("runuser", "-u", "nobody", "--");
        }
        System.out.println("SKIPPED: neither setpriv nor runuser can drop root here");
        Assumptions.abort("neither setpriv nor runuser can drop root here");
        return null;
    }

    /** Copies the main classes (with the native reader) and the jars of the class path; returns the new class path. */
    private static String copyClassPath(final Path dir) throws IOException {
        final List<String> entries = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            final Path from = Path.of(entry);
            if (Files.isDirectory(from) && Files.exists(from.resolve("io/mraflow/cli/Main.class"))) {
                final Path to = dir.resolve("classes");
                try (Stream<Path> s = Files.walk(from)) {
                    for (Path p : (Iterable<Path>) s::iterator) {
                        final Path target = to.resolve(from.relativize(p).toString());
                        if (Files.isDirectory(p)) {
                            Files.createDirectories(target);
                        } else {
                            Files.copy(p, target);
                        }
                        open(target);
                    }
                }
                entries.add(to.toString());
            } else if (Files.isRegularFile(from) && entry.endsWith(".jar")) {
                final Path to = dir.resolve(n++ + "-" + from.getFileName());
                Files.copy(from, to);
                open(to);
                entries.add(to.toString());
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static void open(final Path p) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
    }
}
