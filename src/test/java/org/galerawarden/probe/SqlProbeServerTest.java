package org.galerawarden.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import org.galerawarden.config.DbSettings;
import org.galerawarden.model.ClusterStatus;
import org.galerawarden.model.LocalState;
import org.galerawarden.model.ServerStatus;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Probes a running single-node Galera server. Skipped unless {@code warden.test.socket} names the
 * server's unix socket. The socket user is {@code warden.test.user}, by default root, which authenticates
 * with unix_socket when the test runs as root. The TCP test also needs {@code warden.test.port} and
 * {@code warden.test.password-file} for a user {@code warden.test.tcp-user} on 127.0.0.1.
 */
@Tag("server")
class SqlProbeServerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Test
    void probeOverSocket() {
        try (SqlProbe probe = new SqlProbe(socketSettings())) {
            ServerStatus first = probe.probe();
            ServerStatus second = probe.probe();

            assertSyncedSingleNode(first);
            assertSyncedSingleNode(second);
            assertEquals(first.localStateUuid(), second.localStateUuid());
        }
    }

    @Test
    void probeOverTcpWithPassword() {
        String port = System.getProperty("warden.test.port");
        String passwordFile = System.getProperty("warden.test.password-file");
        assumeTrue(port != null && passwordFile != null,
                "set -Dwarden.test.port and -Dwarden.test.password-file to run over TCP");
        DbSettings db = new DbSettings(Optional.empty(), "127.0.0.1", Integer.parseInt(port),
                System.getProperty("warden.test.tcp-user", "warden"), Optional.of(Path.of(passwordFile)), TIMEOUT,
                TIMEOUT, Path.of("/"));

        try (SqlProbe probe = new SqlProbe(db)) {
            assertSyncedSingleNode(probe.probe());
        }
    }

    @Test
    void probeRetriesAfterServerKilledConnection() throws SQLException {
        DbSettings db = socketSettings();
        Properties properties = new Properties();
        properties.setProperty("user", db.user());
        properties.setProperty("localSocket", db.socket().orElseThrow().toString());

        try (SqlProbe probe = new SqlProbe(db);
                Connection admin = new org.mariadb.jdbc.Driver().connect("jdbc:mariadb://localhost/", properties);
                Statement statement = admin.createStatement()) {
            assertSyncedSingleNode(probe.probe());
            int killed = killOtherConnections(statement, db.user());

            assertEquals(1, killed);
            assertSyncedSingleNode(probe.probe());
        }
    }

    /** Kills the sessions of {@code user} other than the current one, the probe's kept connection. */
    private static int killOtherConnections(Statement statement, String user) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery("SELECT ID FROM information_schema.PROCESSLIST "
                + "WHERE ID <> CONNECTION_ID() AND COMMAND = 'Sleep' AND USER = '" + user + "'")) {
            while (rows.next()) {
                ids.add(rows.getLong(1));
            }
        }
        for (long id : ids) {
            statement.execute("KILL CONNECTION " + id);
        }
        return ids.size();
    }

    private static DbSettings socketSettings() {
        String socket = System.getProperty("warden.test.socket");
        assumeTrue(socket != null, "set -Dwarden.test.socket to run against a server");
        return new DbSettings(Optional.of(Path.of(socket)), "localhost", 3306,
                System.getProperty("warden.test.user", "root"), Optional.empty(), TIMEOUT, TIMEOUT, Path.of("/"));
    }

    private static void assertSyncedSingleNode(ServerStatus status) {
        System.out.println("probed: " + status);
        assertTrue(status.reachable(), status.error());
        assertEquals("", status.error());
        assertEquals(ClusterStatus.PRIMARY, status.clusterStatus());
        assertEquals(LocalState.SYNCED, status.localState());
        assertEquals(1, status.clusterSize());
        assertTrue(status.ready());
        assertTrue(status.connected());
        assertTrue(status.position().isPresent(), () -> "no position in " + status);
    }
}
