package io.mraflow.pipeline;

import io.mraflow.capture.CaptureDamage;
import io.mraflow.capture.CaptureFiles;
import io.mraflow.capture.CaptureOpenException;
import io.mraflow.capture.CapturedPacket;
import io.mraflow.capture.LinkType;
import io.mraflow.capture.PacketSource;
import io.mraflow.decode.DecodeStatus;
import io.mraflow.decode.PacketDecoder;
import io.mraflow.decode.PacketView;
import io.mraflow.flow.FlowRecord;
import io.mraflow.flow.FlowTable;
import io.mraflow.flow.FlowTableConfig;
import io.mraflow.inspect.PayloadInspector;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads capture files one after the other on the calling thread: capture, decode, flow table.
 * Flows continue across files, as if the files were one capture (several files of one rotation).
 * Problems with one file never stop the others: they are collected in the result.
 */
public final class FileAnalysis {

    /** Flow output order: first packet time, then the 5-tuple, so runs are reproducible. */
    public static final Comparator<FlowRecord> FLOW_ORDER = Comparator
            .comparingLong(FlowRecord::tsNanos)
            .thenComparingInt(FlowRecord::ipProto)
            .thenComparingLong(FlowRecord::origHi).thenComparingLong(FlowRecord::origLo)
            .thenComparingInt(FlowRecord::origPort)
            .thenComparingLong(FlowRecord::respHi).thenComparingLong(FlowRecord::respLo)
            .thenComparingInt(FlowRecord::respPort);

    private final FlowTableConfig flowConfig;

    public FileAnalysis(FlowTableConfig flowConfig) {
        this.flowConfig = flowConfig;
    }

    public AnalysisResult run(List<Path> files) {
        List<FlowRecord> flows = new ArrayList<>();
        FlowTable table = new FlowTable(flowConfig, flows::add, new PayloadInspector());
        PacketDecoder decoder = new PacketDecoder();
        CapturedPacket packet = new CapturedPacket();
        PacketView view = new PacketView();
        long[] status = new long[DecodeStatus.COUNT];
        List<String> problems = new ArrayList<>();
        List<CaptureDamage> damaged = new ArrayList<>();
        int unreadable = 0;
        long packets = 0;
        long start = System.nanoTime();

        for (Path file : files) {
            PacketSource source;
            try {
                source = CaptureFiles.open(file);
            } catch (CaptureOpenException e) {
                problems.add(e.getMessage());
                unreadable++;
                continue;
            }
            long unsupported = 0;
            int unsupportedType = -1;
            try (source) {
                while (source.next(packet)) {
                    packets++;
                    decoder.decode(packet, view);
                    status[view.status]++;
                    if (view.status == DecodeStatus.UNSUPPORTED_LINK) {
                        unsupported++;
                        unsupportedType = packet.linkType;
                        continue;
                    }
                    table.onPacket(view);
                }
                if (unsupported > 0) {
                    problems.add(source.name() + ": unsupported " + LinkType.describe(unsupportedType)
                            + ": " + unsupported + " packets skipped");
                }
                CaptureDamage damage = source.damage();
                if (damage != null) {
                    damaged.add(damage);
                    problems.add(damage.message());
                }
            }
        }
        table.flushAll();
        long elapsed = System.nanoTime() - start;
        flows.sort(FLOW_ORDER);
        return new AnalysisResult(List.copyOf(flows), packets, status, List.copyOf(problems),
                List.copyOf(damaged), unreadable, elapsed);
    }
}
