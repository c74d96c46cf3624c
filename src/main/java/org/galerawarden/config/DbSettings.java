package org.galerawarden.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How the agent reaches its local MariaDB server and where the server keeps its data.
 *
 * @param socket unix socket path; when present it is used instead of host and port
 * @param host TCP host, used without a socket
 * @param port TCP port, used without a socket
 * @param user SQL user
 * @param passwordFile file holding the SQL password, absent for socket authentication
 * @param connectTimeout limit for opening a connection
 * @param queryTimeout limit for one probe query
 * @param datadir the server's data directory, holding {@code grastate.dat} and {@code gvwstate.dat}
 */
public record DbSettings(
        Optional<Path> socket,
        String host,
        int port,
        String user,
        Optional<Path> passwordFile,
        Duration connectTimeout,
        Duration queryTimeout,
        Path datadir) {
}
