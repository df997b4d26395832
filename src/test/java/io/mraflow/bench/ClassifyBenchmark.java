package io.mraflow.bench;

import io.mraflow.flow.FlowRecord;
import io.mraflow.flow.FlowTableConfig;
import io.mraflow.inspect.AppProto;
import io.mraflow.pipeline.FileAnalysis;
import io.mraflow.rules.Classifier;
import io.mraflow.rules.ClassifierResult;
import io.mraflow.rules.FlowFacts;
import io.mraflow.rules.PortReference;
import io.mraflow.rules.TopologyFile;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link Classifier#classify} over the flows of the sample capture (found by the flow table, as
 * {@code mraflow analyze} finds them), with the sample's topology ({@code pcaps/mra-sample.topology},
 * roles and ports) and by ports alone. The reference is compiled with the topology file's settings
 * in both cases. No payload inspection exists yet, so every flow's {@code appProto} is UNKNOWN and
 * there is no SNI or ICE evidence. One operation = one flow classified.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class ClassifyBenchmark {
    /** {@code topology}: roles from pcaps/mra-sample.topology; {@code ports}: no topology. */
    @Param({"topology", "ports"})
    public String basis;

    private FlowFacts[] facts;
    private Classifier classifier;
    private final ClassifierResult verdict = new ClassifierResult();
    private int next;

    @Setup
    public void load() throws Exception {
        final TopologyFile topo = TopologyFile.parse(
                Path.of(System.getProperty("mraflow.bench.topology", "pcaps/mra-sample.topology")));
        classifier = new Classifier(PortReference.load().compile(topo.settings()),
                "topology".equals(basis) ? topo.topology() : null);
        final List<FlowRecord> flows = new FileAnalysis(FlowTableConfig.defaults())
                .run(List.of(SamplePackets.captureFile())).flows().toList();
        if (flows.isEmpty()) {
            throw new IllegalStateException("the sample capture gave no flows");
        }
        facts = new FlowFacts[flows.size()];
        for (int i = 0; i < facts.length; i++) {
            final FlowRecord r = flows.get(i);
            facts[i] = new FlowFacts().reset()
                    .set(r.ipProto(), r.origHi(), r.origLo(), r.origPort(), r.respHi(), r.respLo(), r.respPort());
            facts[i].appProto = AppProto.UNKNOWN;
        }
    }

    /** Returns a sum over the verdicts so that classifying cannot be optimised away. */
    @Benchmark
    @OperationsPerInvocation(SamplePackets.BATCH)
    public long classify() {
        final FlowFacts[] fs = facts;
        final Classifier c = classifier;
        final ClassifierResult v = verdict;
        int i = next;
        long sum = 0;
        for (int k = 0; k < SamplePackets.BATCH; k++) {
            c.classify(fs[i], v);
            sum += v.row + v.findings;
            if (++i == fs.length) {
                i = 0;
            }
        }
        next = i;
        return sum;
    }
}
