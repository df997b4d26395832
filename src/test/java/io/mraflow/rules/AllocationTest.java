package io.mraflow.rules;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mraflow.inspect.AppProto;
import io.mraflow.testing.AllocationMeter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-flow path allocates nothing: classify over every row's flows, their reverses and edges. */
class AllocationTest {
    private static final int CALLS = 1_000_000;

    private long sink;

    @Test
    void classifyAllocatesNothingAfterWarmUp() throws Exception {
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
        AllocationMeter.assertAllocatesNothing("classify", CALLS, n -> {
            for (int i = 0; i < n; i++) {
                classifiers[i & 1].classify(facts[i % facts.length], v);
                sink += v.row + v.findings;
            }
        });
        assertTrue(sink != 1); // keeps the verdicts
    }
}
