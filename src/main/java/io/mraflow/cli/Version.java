package io.mraflow.cli;

import io.mraflow.capture.CaptureFiles;

/** What --version prints: our version, the JVM, and the libpcap actually loaded. */
final class Version {
    private Version() {
    }

    static String describe() {
        String ours = Main.class.getPackage().getImplementationVersion();
        return "mraflow " + (ours == null ? "dev" : ours)
                + "\njava " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
                + "\n" + CaptureFiles.describe();
    }
}
