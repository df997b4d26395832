package io.mraflow.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.LongSupplier;

/**
 * Finds where a capture file is damaged, in bytes: libpcap says what it disliked but not where.
 * Run only after libpcap failed to open or to read a file, never per packet.
 *
 * <p>It reads the file with the Java readers, which make the checks libpcap makes:
 * {@link PcapReader} for classic pcap (read front to back through a {@link ChannelWindow}),
 * {@link PcapngFileSource} for pcapng. It reads up to the record libpcap stopped at and that
 * record, so that what it reports is where libpcap stopped: the damage there, or, when the walk
 * finds none (libpcap refused something sound), the offset of that record all the same.
 *
 * <p>Thread safety: stateless; any thread.
 */
final class DamageLocator {
    private DamageLocator() {
    }

    /**
     * What the walk found where libpcap stopped.
     *
     * @param offset        start of the damaged header, record or block; or of the record libpcap
     *                      stopped at when the walk finds no damage
     * @param packetsBefore packets in the file before it
     * @param reason        what is wrong there, in words
     * @param damaged       false when the walk finds nothing wrong there
     */
    record Finding(long offset, long packetsBefore, String reason, boolean damaged) {
    }

    /**
     * The damage of {@code path} at the record after the first {@code stoppedAfter} packets (or
     * before it), where libpcap stopped reading: 0 when it could not open the file.
     */
    static Finding locate(final Path path, final long stoppedAfter) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            final long size = channel.size();
            if (size == 0) {
                return damage(0, "empty file");
            }
            if (size < 4) {
                return damage(0, "file of " + size + " bytes is too short for a capture file header");
            }
            final ByteBuffer head = ByteBuffer.allocate(4);
            while (head.hasRemaining() && channel.read(head, head.position()) >= 0) {
                // a file of 4 bytes or more: the loop ends with all 4
            }
            final int magic = head.getInt(0);
            if (magic == CaptureFileFormat.PCAPNG_SHB_TYPE) {
                try (PcapngFileSource pcapng = new PcapngFileSource(path)) {
                    return walk(pcapng, pcapng::position, stoppedAfter);
                }
            }
            if (PcapReader.recordHeaderLength(magic) == 0) {
                return damage(0, String.format("not a pcap or pcapng file (magic 0x%08x)", magic));
            }
            channel.position(0);
            try (PcapReader pcap = PcapReader.open(path.toString(), new ChannelWindow(channel, "file", ChannelWindow.DEFAULT_CAPACITY))) {
                return walk(pcap, pcap::position, stoppedAfter);
            }
        } catch (CaptureOpenException e) {
            return damage(e.byteOffset(), e.reason());
        } catch (IOException e) {
            return damage(0, "cannot read the file: " + e.getMessage());
        }
    }

    /**
     * The damage to report when libpcap stopped reading {@code path} with {@code libpcapText}
     * after delivering {@code delivered} packets: located by {@link #locate}, in libpcap's words too.
     */
    static CaptureDamage whereLibpcapStopped(final Path path, final long delivered, final String libpcapText) {
        final Finding finding = locate(path, delivered);
        return new CaptureDamage(path.toString(), finding.offset(), delivered, finding.reason() + " (libpcap: " + libpcapText + ")");
    }

    private static Finding walk(final PacketSource source, final LongSupplier position, final long stoppedAfter) {
        final CapturedPacket packet = new CapturedPacket();
        long read = 0;
        long stoppedAt = position.getAsLong();
        while (read < stoppedAfter && source.next(packet)) {
            read++;
            stoppedAt = position.getAsLong();
        }
        if (read == stoppedAfter) {
            source.next(packet); // the record libpcap stopped at
        }
        final CaptureDamage damage = source.damage();
        return damage != null
                ? new Finding(damage.byteOffset(), damage.packetsRead(), damage.reason(), true)
                : new Finding(stoppedAt, read, "mraflow's walk of the file finds no damage from here to the packet libpcap stopped at", false);
    }

    private static Finding damage(final long offset, final String reason) {
        return new Finding(offset, 0, reason, true);
    }
}
