package org.galerawarden.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** Repeats within a 10 s interval, on a clock that moves only when a test moves it. */
class RepeatFilterTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    private final AtomicLong nanos = new AtomicLong(1_000 * SECOND);
    private final RepeatFilter filter = new RepeatFilter(Duration.ofSeconds(10), nanos::get);

    @Test
    void firstLinePasses() {
        assertEquals(0, filter.admit("peer n2 unreachable"));
    }

    @Test
    void repeatWithinIntervalIsSuppressed() {
        filter.admit("peer n2 unreachable");
        nanos.addAndGet(10 * SECOND - 1);

        assertEquals(-1, filter.admit("peer n2 unreachable"));
    }

    @Test
    void repeatAfterIntervalReportsCount() {
        filter.admit("peer n2 unreachable");
        nanos.addAndGet(SECOND);
        filter.admit("peer n2 unreachable");
        filter.admit("peer n2 unreachable");
        filter.admit("peer n2 unreachable");
        nanos.addAndGet(9 * SECOND);

        assertEquals(3, filter.admit("peer n2 unreachable"));
        assertEquals(-1, filter.admit("peer n2 unreachable"));
    }

    @Test
    void passedLineResetsCount() {
        filter.admit("key");
        filter.admit("key");
        nanos.addAndGet(10 * SECOND);
        filter.admit("key");
        nanos.addAndGet(10 * SECOND);

        assertEquals(0, filter.admit("key"));
    }

    @Test
    void keysAreCountedApart() {
        filter.admit("peer n2 unreachable");
        filter.admit("peer n2 unreachable");

        assertEquals(0, filter.admit("peer n3 unreachable"));
        assertEquals(-1, filter.admit("peer n3 unreachable"));
        nanos.addAndGet(10 * SECOND);
        assertEquals(1, filter.admit("peer n2 unreachable"));
        assertEquals(1, filter.admit("peer n3 unreachable"));
    }

    @Test
    void oldestKeyIsForgottenPastLimit() {
        filter.admit("first");
        filter.admit("first");
        for (int i = 0; i < 1000; i++) {
            filter.admit("key " + i);
        }

        assertEquals(0, filter.admit("first"));
        assertEquals(-1, filter.admit("key 999"));
    }

    @Test
    void recentlyUsedKeyIsKept() {
        filter.admit("first");
        for (int i = 0; i < 999; i++) {
            filter.admit("key " + i);
        }
        filter.admit("first");
        filter.admit("one more");

        assertEquals(-1, filter.admit("first"));
        assertEquals(0, filter.admit("key 0"));
    }
}
