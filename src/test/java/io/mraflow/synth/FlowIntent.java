package io.mraflow.synth;

/**
 * What the generator meant one flow to be: its 5-tuple as opened (originator first), the
 * MRA-PORTS.md row it was written to match ({@code -} for none), the finding codes a correct
 * classifier should raise for it ({@code -} for none, else comma-separated) and a note.
 * One line of a {@code .flows.tsv} file.
 */
public record FlowIntent(String proto, String origAddr, int origPort, String respAddr, int respPort,
                         String row, String findings, String note) {

    public static final String TSV_HEADER =
        "# proto\torig_addr\torig_port\tresp_addr\tresp_port\trow\tfindings\tnote";

    public String toTsv() {
        return proto + "\t" + origAddr + "\t" + origPort + "\t" + respAddr + "\t" + respPort
            + "\t" + row + "\t" + findings + "\t" + note;
    }
}
