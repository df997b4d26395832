package io.mraflow.e2e;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's {@code chromium}, headless, opening a local page with no network: the DOM after
 * rendering ({@code --dump-dom}) and every message the page wrote to its console (Chromium logs
 * them on stderr as {@code INFO:CONSOLE} lines with {@code --enable-logging=stderr}; a
 * Content-Security-Policy violation is one). Tests that need it are skipped, with the reason, when
 * it is not installed ({@code scripts/install-deps --test} installs it).
 */
final class HeadlessChromium {
    /** What Chromium made of a page. */
    record Page(String dom, List<String> console) {
    }

    private HeadlessChromium() {
    }

    /** The chromium executable on the PATH, or a skipped test saying how to get it. */
    static Path require() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                final Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        System.out.println("SKIPPED: chromium is not installed (scripts/install-deps --test installs it)");
        Assumptions.abort("chromium is not installed (scripts/install-deps --test installs it: apt-get install -y chromium)");
        throw new AssertionError("unreachable");
    }

    /** Opens {@code html} and returns its DOM and console messages. */
    static Page open(final Path html) throws IOException, InterruptedException {
        final List<String> extra = new ArrayList<>(List.of("--enable-logging=stderr", "--v=0", "--dump-dom"));
        final Run r = run(html, extra);
        final List<String> console = r.err().lines().filter(l -> l.contains(":CONSOLE")).toList();
        return new Page(r.out(), console);
    }

    /** Writes a screenshot of {@code html} at {@code width} x {@code height} to {@code png}. */
    static void screenshot(final Path html, final Path png, final int width, final int height) throws IOException, InterruptedException {
        run(html, List.of("--hide-scrollbars", "--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height));
        if (!Files.isRegularFile(png)) {
            throw new AssertionError("chromium wrote no screenshot to " + png);
        }
    }

    private record Run(String out, String err) {
    }

    private static Run run(final Path html, final List<String> extra) throws IOException, InterruptedException {
        final Path profile = Files.createTempDirectory("mraflow-chromium");
        final Path out = Files.createTempFile("chromium-out", ".txt");
        final Path err = Files.createTempFile("chromium-err", ".txt");
        try {
            final List<String> command = new ArrayList<>(List.of(require().toString(), "--headless", "--no-sandbox",
                    "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
                    // no name resolves: the page could not reach the network even if its CSP let it
                    "--host-resolver-rules=MAP * ~NOTFOUND"));
            command.addAll(extra);
            command.add(html.toAbsolutePath().toUri().toString());
            final Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("chromium did not exit within 90 s: " + command);
            }
            final Run r = new Run(Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            if (p.exitValue() != 0) {
                throw new AssertionError("chromium exited " + p.exitValue() + ": " + r.err());
            }
            return r;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            try (Stream<Path> walk = Files.walk(profile)) {
                walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
