package org.galerawarden.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.galerawarden.config.DbSettings;
import org.galerawarden.model.ClusterStatus;
import org.galerawarden.model.ServerStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failure paths of {@link SqlProbe} that need no running server. */
class SqlProbeTest {

    private static DbSettings tcp(int port, Optional<Path> passwordFile, Path datadir) {
        return new DbSettings(Optional.empty(), "127.0.0.1", port, "warden", passwordFile, Duration.ofSeconds(2),
                Duration.ofSeconds(2), datadir);
    }

    @Test
    void probeMissingSocket(@TempDir Path directory) {
        Path socket = directory.resolve("absent.sock");
        DbSettings db = new DbSettings(Optional.of(socket), "127.0.0.1", 3306, "warden", Optional.empty(),
                Duration.ofSeconds(2), Duration.ofSeconds(2), directory);

        try (SqlProbe probe = new SqlProbe(db)) {
            ServerStatus status = probe.probe();

            assertFalse(status.reachable());
            assertEquals(ClusterStatus.UNKNOWN, status.clusterStatus());
            assertTrue(status.error().startsWith("connecting to " + socket + " failed: "), status.error());
        }
    }

    @Test
    void probeClosedPort(@TempDir Path directory) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }

        try (SqlProbe probe = new SqlProbe(tcp(port, Optional.empty(), directory))) {
            ServerStatus status = probe.probe();

            assertFalse(status.reachable());
            assertTrue(status.error().startsWith("connecting to 127.0.0.1:" + port + " failed: "), status.error());
        }
    }

    @Test
    void probeMissingPasswordFile(@TempDir Path directory) {
        Path passwordFile = directory.resolve("password");

        try (SqlProbe probe = new SqlProbe(tcp(3306, Optional.of(passwordFile), directory))) {
            ServerStatus status = probe.probe();

            assertFalse(status.reachable());
            assertTrue(status.error().startsWith("reading the SQL password file " + passwordFile + " failed: "
                    + "NoSuchFileException"), status.error());
            assertTrue(status.error().endsWith("or remove the password file setting to use socket authentication"),
                    status.error());
        }
    }

    @Test
    void probeAfterCloseIsUnreachable(@TempDir Path directory) {
        SqlProbe probe = new SqlProbe(tcp(3306, Optional.empty(), directory));
        probe.close();

        ServerStatus status = probe.probe();

        assertFalse(status.reachable());
        assertEquals("the probe of 127.0.0.1:3306 is closed", status.error());
    }

    /** A server that accepts connections and never sends its handshake, like a stopped mariadbd. */
    @Test
    void probeSilentServerTimesOut(@TempDir Path directory) throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
                SqlProbe probe = new SqlProbe(tcp(silent.getLocalPort(), Optional.empty(), directory),
                        Duration.ofMillis(300))) {
            String target = "127.0.0.1:" + silent.getLocalPort();

            ServerStatus first = probe.probe();
            ServerStatus second = probe.probe();

            assertFalse(first.reachable());
            assertEquals("probing " + target + " timed out after 300 ms without an answer from the server",
                    first.error());
            assertFalse(second.reachable());
            assertEquals("an earlier probe of " + target + " is still waiting for the server to answer, so the "
                    + "server is stopped or hung", second.error());
        }
    }

    @Test
    void readPasswordTrimsLineEnds(@TempDir Path directory) throws IOException {
        Path unix = Files.writeString(directory.resolve("unix"), "s3cret \n");
        Path windows = Files.writeString(directory.resolve("windows"), "s3cret\r\n\r\n");
        Path bare = Files.writeString(directory.resolve("bare"), "s3cret");

        assertEquals("s3cret ", ConnectionFactory.readPassword(unix));
        assertEquals("s3cret", ConnectionFactory.readPassword(windows));
        assertEquals("s3cret", ConnectionFactory.readPassword(bare));
    }
}
