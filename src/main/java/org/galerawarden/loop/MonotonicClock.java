package org.galerawarden.loop;

/** The local monotonic clock in nanoseconds, injected so that tests can drive time. */
@FunctionalInterface
public interface MonotonicClock {

    long nanos();

    static MonotonicClock system() {
        return System::nanoTime;
    }
}
