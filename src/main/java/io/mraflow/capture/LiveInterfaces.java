package io.mraflow.capture;

import java.util.ArrayList;
import java.util.List;
import org.pcap4j.core.PcapAddress;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.Pcaps;

/** The interfaces libpcap can capture on (pcap4j's {@code findAllDevs}), as {@code mraflow interfaces} lists them. */
public final class LiveInterfaces {
    /**
     * One interface.
     *
     * @param name        what {@code watch -i} takes
     * @param description libpcap's description, or ""
     * @param addresses   its addresses, text
     * @param up          administratively up
     * @param running     operationally up (a carrier)
     * @param loopback    a loopback interface
     */
    public record Device(String name, String description, List<String> addresses, boolean up, boolean running,
                         boolean loopback) {
    }

    private LiveInterfaces() {
    }

    /** Every interface libpcap sees. */
    public static List<Device> all() throws PcapNativeException {
        Libpcap.requireLoaded();
        final List<Device> out = new ArrayList<>();
        for (PcapNetworkInterface nif : Pcaps.findAllDevs()) {
            final List<String> addresses = new ArrayList<>();
            for (PcapAddress a : nif.getAddresses()) {
                if (a.getAddress() != null) {
                    addresses.add(a.getAddress().getHostAddress());
                }
            }
            out.add(new Device(nif.getName(), nif.getDescription() == null ? "" : nif.getDescription(), addresses,
                    nif.isUp(), nif.isRunning(), nif.isLoopBack()));
        }
        return out;
    }

    /** The names, comma separated, for a message; "none" when there is none or they cannot be listed. */
    static String names() {
        try {
            final List<String> names = all().stream().map(Device::name).toList();
            return names.isEmpty() ? "interfaces: none" : "interfaces: " + String.join(", ", names);
        } catch (PcapNativeException | RuntimeException e) {
            return "interfaces: cannot be listed";
        }
    }
}
