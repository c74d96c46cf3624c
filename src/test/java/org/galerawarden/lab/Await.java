package org.galerawarden.lab;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition every 100 ms until it holds or the limit passes, then fails with what was awaited. */
public final class Await {

    private Await() {
    }

    public static void until(Duration limit, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            ClusterSampler.sleep(100);
        }
        if (!condition.getAsBoolean()) {
            fail("timed out after " + limit.toSeconds() + " s waiting until " + what);
        }
    }

    /** Checks that a condition holds at every poll for the whole duration. */
    public static void holds(Duration duration, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < deadline) {
            if (!condition.getAsBoolean()) {
                fail("expected " + what + " for " + duration.toSeconds() + " s, but it stopped holding");
            }
            ClusterSampler.sleep(100);
        }
    }
}
