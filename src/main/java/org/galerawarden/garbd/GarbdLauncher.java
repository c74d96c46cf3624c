package org.galerawarden.garbd;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Starts garbd and finds a garbd left running by an earlier run of the agent. */
public interface GarbdLauncher {

    /** Starts {@code command} (an argument array, no shell) in {@code directory}. */
    GarbdProcess start(List<String> command, Path directory) throws IOException;

    /** Returns the running process {@code pid} when it runs the executable {@code binary}. */
    Optional<GarbdProcess> find(long pid, Path binary);
}
