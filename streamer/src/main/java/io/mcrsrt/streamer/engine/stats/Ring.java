package io.mcrsrt.streamer.engine.stats;

import java.util.ArrayList;
import java.util.List;

/**
 * A bounded history that keeps the newest {@code capacity} items: once-a-second statistics (600 = ten minutes) or
 * connection events. Written by a stream's owner thread, read by front ends; both sides lock the ring briefly.
 */
public final class Ring<T> {
    private final Object[] items;
    private int next;
    private int size;

    public Ring(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity + " (expected: >= 1)");
        }
        this.items = new Object[capacity];
    }

    public synchronized void add(T item) {
        items[next] = item;
        next = (next + 1) % items.length;
        if (size < items.length) {
            size++;
        }
    }

    /** The items, oldest first. */
    @SuppressWarnings("unchecked")
    public synchronized List<T> snapshot() {
        List<T> out = new ArrayList<>(size);
        int start = (next - size + items.length) % items.length;
        for (int i = 0; i < size; i++) {
            out.add((T) items[(start + i) % items.length]);
        }
        return out;
    }

    public synchronized int size() {
        return size;
    }
}
