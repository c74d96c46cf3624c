package org.galerawarden.garbd;

import java.time.Duration;

/**
 * The delay before garbd's next start. Each failure (a start that failed, or a run shorter than
 * {@code stableAfter}) doubles the delay from {@code initial} up to {@code max}. A run that lasted
 * {@code stableAfter} or longer resets it, so garbd that ran well is restarted after {@code initial}.
 * Not thread-safe: the supervisor's thread owns it.
 */
public final class RestartBackoff {

    private final Duration initial;
    private final Duration max;
    private final Duration stableAfter;
    private int failures;

    public RestartBackoff(Duration initial, Duration max, Duration stableAfter) {
        this.initial = initial;
        this.max = max;
        this.stableAfter = stableAfter;
    }

    /** Records a start that failed (preflight or launch) and returns the delay before the next attempt. */
    public Duration afterFailedStart() {
        failures++;
        return current();
    }

    /** Records an exit after garbd ran for {@code ranFor} and returns the delay before the restart. */
    public Duration afterExit(Duration ranFor) {
        if (ranFor.compareTo(stableAfter) >= 0) {
            failures = 0;
        }
        failures++;
        return current();
    }

    /** Returns the failures counted since the last reset. */
    public int failures() {
        return failures;
    }

    private Duration current() {
        Duration delay = initial;
        for (int i = 1; i < failures && delay.compareTo(max) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(max) > 0 ? max : delay;
    }
}
