/**
 * Packet sources: capture files (and, later, live interfaces) handed over one packet at a time,
 * zero-copy and allocation-free, through {@link io.mraflow.capture.PacketSource}.
 *
 * <p>{@link io.mraflow.capture.CaptureFiles#open} is the entry point for files. libpcap reads
 * them ({@link io.mraflow.capture.LibpcapFileSource}, {@code pcap_next_ex} through JNA direct
 * mapping); where libpcap 1.10 stops in a well-formed pcapng file (interfaces that differ in link
 * type or snap length, a section of the other byte order, ...),
 * {@link io.mraflow.capture.PcapngFileSource} goes on in Java
 * ({@link io.mraflow.capture.CaptureFiles#resume}). Standard input, pipes and anything else that
 * is not a regular file are read once, as streams, in Java
 * ({@link io.mraflow.capture.CaptureStreams}). The Java readers share their record and block
 * parsing ({@code PcapReader}, {@code PcapngReader}) over a window on the bytes: a mapped file or
 * a reused buffer filled from a channel. Damage is located to the byte by
 * {@link io.mraflow.capture.DamageLocator}; the layouts are in
 * {@link io.mraflow.capture.CaptureFileFormat}.
 *
 * <p>Runtime requirement: {@link io.mraflow.capture.CapturedPacket#bytes} is an Agrona 2.x
 * {@code UnsafeBuffer}, which needs the JVM option
 * {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED} (in tests, in the launcher, or
 * {@code Add-Exports: java.base/jdk.internal.misc} in an executable jar's manifest); without it
 * the first read fails with {@code IllegalAccessError}.
 */
package io.mraflow.capture;
