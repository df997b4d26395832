package io.mraflow.rules;

import io.mraflow.inspect.AppProto;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-flow path allocates nothing: classify over every row's flows, their reverses and edges. */
class AllocationTest {
    private static final int CALLS = 1_000_000;

    @Test
    void classifyAllocatesNothingAfterWarmUp() {
        final com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(mx.isThreadAllocatedMemorySupported());
        mx.setThreadAllocatedMemoryEnabled(true);

        final CompiledReference ref = PortReference.load().compile(Settings.defaults().with("turn-tcp-443", "true"));
        final ReferenceFlows flows = new ReferenceFlows(ref);
        final List<FlowFacts> list = new ArrayList<>();
        for (ReferenceRow r : ref.reference().rows()) {
            for (FlowFacts f : flows.insideFlows(r.index())) {
                list.add(f);
                list.add(ReferenceFlows.reversed(f));
                final FlowFacts sip = new FlowFacts().copyFrom(f);
                sip.appProto = AppProto.SIP;
                sip.sni = "www.example.com";
                list.add(sip);
            }
        }
        final FlowFacts[] facts = list.toArray(new FlowFacts[0]);
        final Classifier[] classifiers = {new Classifier(ref, ReferenceFlows.topology()), new Classifier(ref, null)};
        final ClassifierResult v = new ClassifierResult();
        long sink = 0;
        for (int i = 0; i < 200_000; i++) { // warm up: let the JIT compile classify
            classifiers[i & 1].classify(facts[i % facts.length], v);
            sink += v.row + v.findings;
        }
        final long tid = Thread.currentThread().getId();
        final long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < CALLS; i++) {
            classifiers[i & 1].classify(facts[i % facts.length], v);
            sink += v.row + v.findings;
        }
        final long allocated = mx.getThreadAllocatedBytes(tid) - before;
        final double perCall = (double) allocated / CALLS;
        assertTrue(perCall < 0.01, "allocated " + allocated + " bytes over " + CALLS + " calls (" + perCall + "/call), sink " + sink);
    }
}
