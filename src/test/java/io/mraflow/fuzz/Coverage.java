package io.mraflow.fuzz;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsCoverage;

/** How far the property tests' structured inputs get into a parser, asserted, cheaply enough for a million tries. */
public final class Coverage {
    // jqwik keeps a property's coverage checkers in a list and looks every checker passed to it up
    // there: one instance per label and bound keeps that short, where a new lambda each try made a
    // million tries quadratic.
    private static final Map<String, Consumer<StatisticsCoverage>> CHECKERS = new ConcurrentHashMap<>();

    private Coverage() {
    }

    /**
     * Asserts, over all the tries of the property, that {@code reached} held at least
     * {@code percent} of the time: structured inputs that stopped getting past a parser's first
     * checks would leave the checks behind them untested.
     */
    public static void reach(final String what, final boolean reached, final double percent) {
        Statistics.label(what).collect(reached);
        Statistics.label(what).coverage(CHECKERS.computeIfAbsent(what + " >= " + percent,
            k -> coverage -> coverage.check(true).percentage(p -> p >= percent)));
    }
}
