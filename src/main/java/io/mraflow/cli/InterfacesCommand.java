package io.mraflow.cli;

import io.mraflow.capture.LibpcapUnavailableException;
import io.mraflow.capture.LiveInterfaces;
import io.mraflow.report.TextEscape;

import java.io.PrintStream;
import java.util.List;
import org.pcap4j.core.PcapNativeException;

/** {@code mraflow interfaces}: what libpcap can capture on, one line each. */
final class InterfacesCommand {
    private final PrintStream out;
    private final PrintStream err;

    InterfacesCommand(final PrintStream out, final PrintStream err) {
        this.out = out;
        this.err = err;
    }

    ExitCode run() {
        final List<LiveInterfaces.Device> devices;
        try {
            devices = LiveInterfaces.all();
        } catch (PcapNativeException | LibpcapUnavailableException e) {
            err.println("mraflow interfaces: " + TextEscape.of(String.valueOf(e.getMessage())));
            return ExitCode.UNREADABLE;
        }
        out.printf("%-16s %-24s %-30s %s%n", "name", "flags", "addresses", "description");
        for (LiveInterfaces.Device d : devices) {
            final String flags = (d.up() ? "up" : "down") + (d.running() ? ",running" : "") + (d.loopback() ? ",loopback" : "");
            out.printf("%-16s %-24s %-30s %s%n", TextEscape.of(d.name()), flags,
                    d.addresses().isEmpty() ? "-" : TextEscape.of(String.join(",", d.addresses())), TextEscape.of(d.description()));
        }
        return ExitCode.OK;
    }
}
