package org.galerawarden.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Settings for a data-node agent that starts its own MariaDB server, including the restart of a cluster whose servers
 * all went down.
 *
 * @param enabled whether the agent owns the start of its server; when false it never starts it
 * @param pidFile the server's pid file. While its process lives, the server is starting or hung, not
 *     stopped, even when its socket refuses connections.
 * @param recoverCommand {@code mariadbd --wsrep-recover} as an argument array; {@link #LOG_PLACEHOLDER} in
 *     an argument is replaced by the path of the recovery log
 * @param recoverTimeout limit for one position recovery
 * @param recoverRetry pause before a recovery that found no position runs again
 * @param pcRecoveryGrace how long a server started for {@code pc.recovery} may take to become Primary
 *     before the agent stops it
 */
public record ColdStartSettings(boolean enabled, Path pidFile, List<String> recoverCommand, Duration recoverTimeout,
        Duration recoverRetry, Duration pcRecoveryGrace) {

    /** Replaced by the recovery log path in {@link #recoverCommand}. */
    public static final String LOG_PLACEHOLDER = "{log}";

    public ColdStartSettings {
        recoverCommand = List.copyOf(recoverCommand);
    }

    /** Returns settings under which the agent never starts its server, with Debian's paths. */
    public static ColdStartSettings disabled() {
        return new ColdStartSettings(false, Path.of("/run/mysqld/mysqld.pid"),
                List.of("/usr/sbin/mariadbd", "--user=mysql", "--wsrep-recover", "--disable-log-bin",
                        "--skip-networking", "--log-error=" + LOG_PLACEHOLDER),
                Duration.ofSeconds(120), Duration.ofSeconds(10), Duration.ofSeconds(30));
    }

    /** Returns the recovery command with the log placeholder replaced by {@code log}. */
    public List<String> recoverCommand(Path log) {
        return recoverCommand.stream().map(word -> word.replace(LOG_PLACEHOLDER, log.toString())).toList();
    }
}
