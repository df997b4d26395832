package io.mraflow.pipeline;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When libmraflowbatch.so cannot be loaded, {@code mraflow analyze} reads through pcap_next_ex,
 * says so once on stderr, and prints the same JSON lines as with the native reader.
 */
class NativeUnavailableFallbackTest {

    @Test
    void unloadableNativeReaderFallsBackAndSaysSoOnce() throws Exception {
        final String[] files = {"pcaps/mra-sample.pcapng", "src/test/resources/captures/ndpi/sip.pcap"};
        final String[] normal = analyze(null, files);
        final String[] fallback = analyze("/nonexistent/libmraflowbatch.so", files);
        assertEquals(normal[0], fallback[0], "same JSON lines");
        assertTrue(!normal[0].isEmpty());
        final long said = fallback[1].lines().filter(l -> l.contains("native batch reader is not available")).count();
        assertEquals(1, said, "said once: " + fallback[1]);
        assertTrue(fallback[1].contains("(libpcap pcap_next_ex)"), fallback[1]);
        assertTrue(!normal[1].contains("not available"), normal[1]);
    }

    /** {stdout, stderr} of {@code mraflow analyze --format json --stats FILES} in a fresh JVM. */
    private static String[] analyze(String nativePath, String... files) throws Exception {
        final List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        cmd.add("--add-exports");
        cmd.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        if (nativePath != null) {
            cmd.add("-Dmraflow.native.path=" + nativePath);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.mraflow.cli.Main");
        cmd.add("analyze");
        cmd.add("--format");
        cmd.add("json");
        cmd.add("--stats");
        cmd.addAll(List.of(files));
        final File err = File.createTempFile("mraflow-err", ".txt");
        err.deleteOnExit();
        final Process p = new ProcessBuilder(cmd).redirectError(err).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new String[] {out, java.nio.file.Files.readString(err.toPath())};
    }
}
