package org.galerawarden.garbd;

import java.time.Duration;
import java.util.OptionalInt;

/** A running or finished garbd process, as the supervisor watches it. */
public interface GarbdProcess {

    long pid();

    /** Returns whether the process still runs; a zombie counts as exited. */
    boolean alive();

    /** Returns the exit code once the process has exited, empty while it runs or when it is not a child. */
    OptionalInt exitCode();

    /**
     * Sends SIGTERM and waits up to {@code grace} for the exit, then sends SIGKILL and waits briefly.
     *
     * @return true when the process exited after SIGTERM, false when it needed SIGKILL
     */
    boolean terminate(Duration grace);
}
