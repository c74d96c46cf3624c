package org.galerawarden.audit;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Rate-limits repeated log lines: a line with a given key passes at most once per interval, and the
 * next line that passes reports how many were suppressed meanwhile. Thread-safe.
 */
public final class RepeatFilter {

    private static final int MAX_KEYS = 1000;

    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final Map<String, long[]> seen = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
            return size() > MAX_KEYS;
        }
    };

    public RepeatFilter(Duration interval, LongSupplier nanoClock) {
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
    }

    /**
     * Returns -1 when a line with this key must be suppressed, otherwise the number of lines suppressed
     * since the last one that passed.
     */
    public synchronized long admit(String key) {
        long now = nanoClock.getAsLong();
        long[] entry = seen.get(key);
        if (entry == null) {
            seen.put(key, new long[] {now, 0});
            return 0;
        }
        if (now - entry[0] < intervalNanos) {
            entry[1]++;
            return -1;
        }
        long suppressed = entry[1];
        entry[0] = now;
        entry[1] = 0;
        return suppressed;
    }
}
