package org.galerawarden.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Test clock whose instant changes only when a test calls {@link #advance} or {@link #set}, so tests need no
 * sleeps. Clocks made by {@link #withZone} share the instant with the clock they came from. Instances are
 * thread-safe.
 */
public final class MutableClock extends Clock {

    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    /** Creates a clock at {@code start} in UTC. */
    public MutableClock(Instant start) {
        this(new AtomicReference<>(Objects.requireNonNull(start, "start")), ZoneOffset.UTC);
    }

    private MutableClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /** Creates a clock in UTC at an ISO-8601 instant such as {@code 2025-01-01T00:00:00Z}. */
    public static MutableClock at(String isoInstant) {
        return new MutableClock(Instant.parse(isoInstant));
    }

    /** Moves the clock forward by {@code amount}, or back when it is negative. */
    public void advance(Duration amount) {
        now.updateAndGet(current -> current.plus(amount));
    }

    /** Sets the wall time, which may step back as a real clock can after an NTP correction. */
    public void set(Instant instant) {
        now.set(Objects.requireNonNull(instant, "instant"));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId newZone) {
        return new MutableClock(now, newZone);
    }
}
