package org.galerawarden.peer.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.galerawarden.peer.auth.ReplayGuard.Outcome;
import org.galerawarden.testing.MutableClock;
import org.junit.jupiter.api.Test;

class ReplayGuardTest {

    private static final Duration RETENTION = Duration.ofSeconds(60);

    private final MutableClock clock = MutableClock.at("2025-01-01T00:00:00Z");

    @Test
    void secondRecordIsReplay() {
        ReplayGuard guard = new ReplayGuard(clock, RETENTION, 10);

        assertEquals(Outcome.RECORDED, guard.record("db1", "nonce-0000000001"));
        assertEquals(Outcome.REPLAYED, guard.record("db1", "nonce-0000000001"));
    }

    @Test
    void nonceKeyedBySender() {
        ReplayGuard guard = new ReplayGuard(clock, RETENTION, 10);

        assertEquals(Outcome.RECORDED, guard.record("db1", "nonce-0000000001"));
        assertEquals(Outcome.RECORDED, guard.record("db2", "nonce-0000000001"));
    }

    @Test
    void nonceRememberedUntilRetentionEnds() {
        ReplayGuard guard = new ReplayGuard(clock, RETENTION, 10);
        guard.record("db1", "nonce-0000000001");

        clock.advance(RETENTION);
        assertEquals(Outcome.REPLAYED, guard.record("db1", "nonce-0000000001"));

        clock.advance(Duration.ofMillis(1));
        assertEquals(Outcome.RECORDED, guard.record("db1", "nonce-0000000001"));
    }

    @Test
    void expiredEntriesRemoved() {
        ReplayGuard guard = new ReplayGuard(clock, RETENTION, 10);
        guard.record("db1", "nonce-0000000001");
        guard.record("db1", "nonce-0000000002");
        clock.advance(Duration.ofSeconds(30));
        guard.record("db1", "nonce-0000000003");

        clock.advance(Duration.ofSeconds(31));
        guard.record("db1", "nonce-0000000004");

        assertEquals(2, guard.size());
    }

    @Test
    void fullCacheRejectsNewNonces() {
        ReplayGuard guard = new ReplayGuard(clock, RETENTION, 3);
        for (int i = 1; i <= 3; i++) {
            assertEquals(Outcome.RECORDED, guard.record("db1", "nonce-000000000" + i));
        }

        assertEquals(Outcome.FULL, guard.record("db1", "nonce-0000000004"));
        assertEquals(Outcome.REPLAYED, guard.record("db1", "nonce-0000000001"));
        assertEquals(3, guard.size());

        clock.advance(RETENTION.plusMillis(1));
        assertEquals(Outcome.RECORDED, guard.record("db1", "nonce-0000000004"));
        assertEquals(1, guard.size());
    }

    @Test
    void clockStepBackKeepsEntries() {
        ReplayGuard guard = new ReplayGuard(clock, RETENTION, 10);
        guard.record("db1", "nonce-0000000001");

        clock.advance(Duration.ofHours(-1));

        assertEquals(Outcome.REPLAYED, guard.record("db1", "nonce-0000000001"));
    }

    @Test
    void expiredEntryBehindNewerOneReplaced() {
        ReplayGuard guard = new ReplayGuard(clock, RETENTION, 10);
        clock.advance(Duration.ofHours(1));
        guard.record("db1", "nonce-0000000001");
        clock.advance(Duration.ofHours(-1));
        guard.record("db1", "nonce-0000000002");

        // The first entry expires later, so removeExpired stops there and the second, expired entry stays.
        clock.advance(Duration.ofMinutes(2));
        assertEquals(Outcome.RECORDED, guard.record("db1", "nonce-0000000002"));
        assertEquals(Outcome.REPLAYED, guard.record("db1", "nonce-0000000002"));
        assertEquals(2, guard.size());
    }

    @Test
    void concurrentRecordsAcceptOnce() throws Exception {
        ReplayGuard guard = new ReplayGuard(clock, RETENTION, 10);
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Outcome>> outcomes = new ArrayList<>();
            Callable<Outcome> task = () -> {
                start.await();
                return guard.record("db1", "nonce-0000000001");
            };
            for (int i = 0; i < threads; i++) {
                outcomes.add(executor.submit(task));
            }
            start.countDown();
            int recorded = 0;
            for (Future<Outcome> outcome : outcomes) {
                recorded += outcome.get() == Outcome.RECORDED ? 1 : 0;
            }
            assertEquals(1, recorded);
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void forSkewUsesTwiceSkew() {
        ReplayGuard guard = ReplayGuard.forSkew(clock, Duration.ofSeconds(30));

        assertEquals(Duration.ofSeconds(60), guard.retention());
        assertEquals(ReplayGuard.DEFAULT_CAPACITY, guard.capacity());
    }

    @Test
    void invalidSettingsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new ReplayGuard(clock, Duration.ZERO, 10));
        assertThrows(IllegalArgumentException.class, () -> new ReplayGuard(clock, Duration.ofSeconds(-1), 10));
        assertThrows(IllegalArgumentException.class, () -> new ReplayGuard(clock, RETENTION, 0));
    }
}
