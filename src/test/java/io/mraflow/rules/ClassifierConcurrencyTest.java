package io.mraflow.rules;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

/** One Classifier shared by several threads, each with its own FlowFacts and ClassifierResult, gives the single-thread answers. */
class ClassifierConcurrencyTest {
    @Test
    void aSharedClassifierAnswersEveryThreadAsOneThreadWould() throws Exception {
        final CompiledReference ref = PortReference.load().compile(Settings.defaults());
        final Classifier shared = new Classifier(ref, ReferenceFlows.topology());
        final ReferenceFlows flows = new ReferenceFlows(ref);
        final List<FlowFacts> list = new ArrayList<>();
        for (ReferenceRow r : ref.reference().rows()) {
            for (FlowFacts f : flows.insideFlows(r.index())) {
                list.add(f);
                list.add(ReferenceFlows.reversed(f));
            }
        }
        final FlowFacts[] facts = list.toArray(new FlowFacts[0]);
        final long[] expected = answers(shared, facts, 1);
        final int threads = 4;
        final long[][] got = new long[threads][];
        final CyclicBarrier start = new CyclicBarrier(threads);
        final List<Thread> workers = new ArrayList<>();
        final Throwable[] failure = new Throwable[1];
        for (int t = 0; t < threads; t++) {
            final int id = t;
            final FlowFacts[] own = new FlowFacts[facts.length];
            for (int i = 0; i < facts.length; i++) {
                own[i] = new FlowFacts().copyFrom(facts[i]);
            }
            final Thread w = new Thread(() -> {
                try {
                    start.await();
                    got[id] = answers(shared, own, 200);
                } catch (Throwable e) {
                    failure[0] = e;
                }
            });
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join();
        }
        if (failure[0] != null) {
            throw new AssertionError(failure[0]);
        }
        for (long[] g : got) {
            assertArrayEquals(expected, g);
        }
    }

    /** Row and findings of every flow, classified {@code rounds} times (the last round's answers). */
    private static long[] answers(Classifier c, FlowFacts[] facts, int rounds) {
        final long[] out = new long[facts.length * 2];
        final ClassifierResult v = new ClassifierResult();
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < facts.length; i++) {
                c.classify(facts[i], v);
                out[2 * i] = v.row;
                out[2 * i + 1] = v.findings;
            }
        }
        return out;
    }
}
