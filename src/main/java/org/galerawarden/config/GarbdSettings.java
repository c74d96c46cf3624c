package org.galerawarden.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the arbitrator agent runs garbd, the Galera arbitrator, as a supervised child process.
 *
 * @param enabled whether this agent starts and supervises garbd; only an arbitrator may
 * @param binary the garbd executable
 * @param group the Galera group to join, the cluster's {@code wsrep_cluster_name}
 * @param address the cluster address garbd connects to, {@code gcomm://host:port,...}
 * @param listenAddress where garbd listens for the other members, {@code tcp://host:port}
 * @param options extra provider options, appended after {@code gmcast.listen_addr}; empty for none
 * @param workingDirectory garbd's working directory, which contains {@code gvwstate.dat}, its log, output and pid
 *     file
 * @param backoffInitial delay before the first restart after a failure
 * @param backoffMax the maximum delay between two restarts
 */
public record GarbdSettings(
        boolean enabled,
        Path binary,
        String group,
        String address,
        String listenAddress,
        String options,
        Path workingDirectory,
        Duration backoffInitial,
        Duration backoffMax) {

    /** Galera's group name when {@code wsrep_cluster_name} is not set (MariaDB's default). */
    public static final String DEFAULT_GROUP = "my_wsrep_cluster";

    /** Returns settings with garbd switched off and the documented defaults below {@code stateDir}. */
    public static GarbdSettings disabled(Path stateDir) {
        return new GarbdSettings(false, Path.of("/usr/bin/garbd"), DEFAULT_GROUP, "", "tcp://0.0.0.0:4567", "",
                stateDir.resolve("garbd"), Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    /** Returns the provider options garbd gets: the listen address first, then the extra options. */
    public String providerOptions() {
        String listen = "gmcast.listen_addr=" + listenAddress;
        return options.isBlank() ? listen : listen + ";" + options.strip();
    }

    public Path logFile() {
        return workingDirectory.resolve("garbd.log");
    }

    /** Returns the file that receives garbd's standard output and error. */
    public Path outputFile() {
        return workingDirectory.resolve("garbd.out");
    }

    public Path pidFile() {
        return workingDirectory.resolve("garbd.pid");
    }
}
