package io.mraflow.report.html;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The first {@code capacity} items in an order, out of any number offered one at a time, with a
 * count of those left out: what keeps each table and plot of the page bounded for a capture of a
 * million flows. One thread.
 *
 * @param <T> the items
 */
final class BoundedSelection<T> {
    private final int capacity;
    private final Comparator<T> order;
    /** The kept items, the last in {@link #order} at the head: the one a better item replaces. */
    private final PriorityQueue<T> kept;
    private long offered;

    BoundedSelection(final int capacity, final Comparator<T> order) {
        this.capacity = capacity;
        this.order = order;
        this.kept = new PriorityQueue<>(Math.min(capacity, 1024) + 1, order.reversed());
    }

    void offer(final T item) {
        offered++;
        if (kept.size() < capacity) {
            kept.add(item);
        } else if (order.compare(item, kept.peek()) < 0) {
            kept.poll();
            kept.add(item);
        }
    }

    /** The kept items, first first. */
    List<T> inOrder() {
        final List<T> list = new ArrayList<>(kept);
        list.sort(order);
        return list;
    }

    /** How many were offered and not kept. */
    long leftOut() {
        return offered - kept.size();
    }

    /** How many were offered. */
    long offered() {
        return offered;
    }
}
