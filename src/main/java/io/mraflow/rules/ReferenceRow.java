package io.mraflow.rules;

import io.mraflow.decode.IpProto;
import io.mraflow.inspect.AppProto;

/**
 * One documented flow of the port reference, as read from {@code rules/mra-ports.tsv}; immutable.
 * Port fields are kept as written (they may name settings); {@link #openerPorts(Settings)} and
 * {@link #responderPorts(Settings)} resolve them.
 *
 * @param index          position in {@link PortReference#rows()}: the row index verdicts carry
 * @param id             stable row id, e.g. {@code T3.2}
 * @param purpose        the table's purpose text
 * @param openerRoles    role mask of who may open the flow ({@link Role#ALL_MASK} for ANY)
 * @param openerAny      the opener was written {@code ANY}
 * @param openerPortText opener ports as written
 * @param protoText      protocol as written (TLS, TCP, UDP, TCP+UDP)
 * @param transports     {@link #TCP_BIT} and/or {@link #UDP_BIT}
 * @param responderRoles role mask of who may answer ({@link Role#ALL_MASK} for ANY and CLOUD)
 * @param responderAny   the responder was written {@code ANY}
 * @param respPortText   responder ports as written
 * @param payload        accepted payload protocols as {@link AppProto#bit(int)} bits (all bits for *)
 * @param ice            claimed only on ICE evidence (T1.1)
 * @param sniHost        CLOUD host name recognised by TLS server name, or null
 * @param sipCleartextNotRecommended cleartext SIP on this row is NOT_RECOMMENDED, not a mismatch
 * @param trunkPeers     role mask: SIP from these roles to this row's port is the trunk footnote
 * @param when           boolean setting the row depends on, or null
 * @param stage          the stage of an MRA client's life the row serves (the diagnosis groups flows by it), or null
 * @param notes          footnotes and notes, free text
 * @param line           line in the source file
 */
public record ReferenceRow(
        int index,
        String id,
        String purpose,
        int openerRoles,
        boolean openerAny,
        String openerPortText,
        String protoText,
        int transports,
        int responderRoles,
        boolean responderAny,
        String respPortText,
        int payload,
        boolean ice,
        String sniHost,
        boolean sipCleartextNotRecommended,
        int trunkPeers,
        String when,
        Stage stage,
        String notes,
        int line) {

    /** Bit of {@code transports}: the row is carried over TCP. */
    public static final int TCP_BIT = 1;
    /** Bit of {@code transports}: the row is carried over UDP. */
    public static final int UDP_BIT = 2;

    /** Opener ports under {@code settings}. */
    public PortSet openerPorts(final Settings settings) {
        return PortReference.resolvePorts(openerPortText, settings);
    }

    /** Responder ports under {@code settings}. */
    public PortSet responderPorts(final Settings settings) {
        return PortReference.resolvePorts(respPortText, settings);
    }

    /** True when the row carries IP protocol {@code ipProto} ({@link IpProto#TCP} or {@link IpProto#UDP}). */
    public boolean carries(final int ipProto) {
        return (ipProto == IpProto.TCP && (transports & TCP_BIT) != 0) || (ipProto == IpProto.UDP && (transports & UDP_BIT) != 0);
    }

    /** Opener as the spec writes it (ANY, EXPE, EXPC, ...). */
    public String openerLabel() {
        return openerAny ? "ANY" : Role.label(openerRoles);
    }

    /** Responder as the spec writes it, with the CLOUD host when there is one. */
    public String responderLabel() {
        return sniHost != null ? "CLOUD " + sniHost : responderAny ? "ANY" : Role.label(responderRoles);
    }
}
