/**
 * Packet sources: capture files (and, later, live interfaces) handed over one packet at a time,
 * zero-copy and allocation-free, through {@link io.mraflow.capture.PacketSource}.
 *
 * <p>{@link io.mraflow.capture.CaptureFiles#open} is the entry point for files. libpcap reads
 * them ({@link io.mraflow.capture.LibpcapFileSource}, {@code pcap_next_ex} through JNA direct
 * mapping); {@link io.mraflow.capture.PcapngFileSource} reads, in Java, the pcapng files libpcap
 * 1.10 refuses because their interfaces differ in link type or snap length. Damage is located to
 * the byte by {@link io.mraflow.capture.DamageLocator}; its layouts are in
 * {@link io.mraflow.capture.CaptureFileFormat}.
 *
 * <p>Runtime requirement: {@link io.mraflow.capture.CapturedPacket#bytes} is an Agrona 2.x
 * {@code UnsafeBuffer}, which needs the JVM option
 * {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED} (in tests, in the launcher, or
 * {@code Add-Exports: java.base/jdk.internal.misc} in an executable jar's manifest); without it
 * the first read fails with {@code IllegalAccessError}.
 */
package io.mraflow.capture;
