/**
 * Packet decoding: from a captured frame to the primitive fields of a
 * {@link io.mraflow.decode.PacketView}, in place and without allocating.
 *
 * <p>{@link io.mraflow.decode.PacketDecoder} drives the others over one reused
 * {@code LayerCursor}: {@code LinkLayerDecoder} (capture link types, Ethernet with VLAN/MPLS/PPPoE,
 * PPP), {@code IpDecoder} with {@code Ipv6ExtensionChain}, {@code TunnelDecoder} (GRE, ERSPAN,
 * VXLAN; IP-in-IP needs no header of its own), {@code TransportDecoder} (TCP, UDP) and
 * {@code IcmpErrorDecoder}. {@code HeaderOffsets} owns every header layout and field offset;
 * {@code NetworkOrder} reads fields. Data moves one way: link, IP, (tunnel, link, IP)*,
 * transport.
 */
package io.mraflow.decode;
