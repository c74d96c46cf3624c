package org.galerawarden.garbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.galerawarden.config.GarbdSettings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checks before each start of garbd. Names resolve through a fixed table, so no test sends a DNS
 * query; the listen checks bind sockets on 127.0.0.1 only.
 */
class GarbdPreflightTest {

    private static final Map<String, byte[]> NAMES = Map.of(
            "db1", new byte[] {10, 0, 0, 11},
            "db2", new byte[] {10, 0, 0, 12},
            "127.0.0.1", new byte[] {127, 0, 0, 1});

    @TempDir
    Path dir;

    private Path binary;
    private int freePort;

    @BeforeEach
    void createBinaryAndFindPort() throws IOException {
        binary = dir.resolve("garbd");
        Files.writeString(binary, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (ServerSocket probe = new ServerSocket(0, 1, loopback())) {
            freePort = probe.getLocalPort();
        }
    }

    private static InetAddress loopback() throws UnknownHostException {
        return InetAddress.getByAddress("127.0.0.1", NAMES.get("127.0.0.1"));
    }

    private static InetAddress[] resolve(String host) throws UnknownHostException {
        byte[] address = NAMES.get(host);
        if (address == null) {
            throw new UnknownHostException(host + ": Name or service not known");
        }
        return new InetAddress[] {InetAddress.getByAddress(host, address)};
    }

    private GarbdSettings settings(String address, String listen, Path workdir) {
        return new GarbdSettings(true, binary, "gwlab", address, listen, "", workdir, Duration.ofSeconds(1),
                Duration.ofSeconds(30));
    }

    private List<String> check(String address, String listen, Path workdir) {
        return new GarbdPreflight(settings(address, listen, workdir), GarbdPreflightTest::resolve).check();
    }

    private String listen() {
        return "tcp://127.0.0.1:" + freePort;
    }

    @Test
    void validSetupPasses() {
        Path workdir = dir.resolve("state").resolve("garbd");

        assertEquals(List.of(), check("gcomm://db1:4567,db2", listen(), workdir));
        assertTrue(Files.isDirectory(workdir), "the working directory is created");
        try (var files = Files.list(workdir)) {
            assertEquals(0, files.count(), "the write probe is deleted");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void missingBinaryRejected() throws IOException {
        Files.delete(binary);

        List<String> problems = check("gcomm://db1", listen(), dir.resolve("work"));

        assertEquals(1, problems.size(), () -> "problems: " + problems);
        assertEquals("garbd executable " + binary + " (warden.garbd.binary) is missing or not executable; install"
                + " the galera-arbitrator-4 package or set warden.garbd.binary", problems.get(0));
    }

    @Test
    void nonExecutableBinaryRejected() throws IOException {
        Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rw-r--r--"));
        // access(2) lets root execute a file only when some execute bit is set, so this holds for root too.

        List<String> problems = check("gcomm://db1", listen(), dir.resolve("work"));

        assertEquals(1, problems.size(), () -> "problems: " + problems);
        assertTrue(problems.get(0).contains("is missing or not executable"), problems.get(0));
    }

    @Test
    void unresolvedPeerNamed() {
        List<String> problems = check("gcomm://db1:4567,nosuch-node.invalid:4567", listen(), dir.resolve("work"));

        assertEquals(1, problems.size(), () -> "problems: " + problems);
        assertEquals("garbd peer host 'nosuch-node.invalid' in gcomm://db1:4567,nosuch-node.invalid:4567"
                + " (warden.garbd.address) does not resolve (UnknownHostException: nosuch-node.invalid: Name or"
                + " service not known); fix the name, add it to /etc/hosts, or use the node's IP address",
                problems.get(0));
    }

    @Test
    void everyBadPeerReported() {
        List<String> problems = check("gcomm://nosuch1,db1:0,nosuch2:70000", listen(), dir.resolve("work"));

        assertEquals(4, problems.size(), () -> "problems: " + problems);
        assertTrue(problems.get(0).startsWith("garbd peer host 'nosuch1'"), problems.get(0));
        assertTrue(problems.get(1).startsWith("garbd peer port 0 of db1 in"), problems.get(1));
        assertTrue(problems.get(1).endsWith("is out of range; use 1 to 65535, Galera's default is 4567"),
                problems.get(1));
        assertTrue(problems.get(2).startsWith("garbd peer port 70000 of nosuch2"), problems.get(2));
        assertTrue(problems.get(3).startsWith("garbd peer host 'nosuch2'"), problems.get(3));
    }

    @Test
    void invalidAddressFormRejected() {
        List<String> problems = check("gcomm://", listen(), dir.resolve("work"));

        assertEquals(1, problems.size(), () -> "problems: " + problems);
        assertTrue(problems.get(0).startsWith("garbd cluster address gcomm:// (warden.garbd.address) is invalid"),
                problems.get(0));
    }

    @Test
    void workdirThatIsFileRejected() throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-directory"), "x");

        List<String> problems = check("gcomm://db1", listen(), file);

        assertEquals(1, problems.size(), () -> "problems: " + problems);
        assertEquals("garbd working directory " + file + " (warden.garbd.working-directory) exists but is not a"
                + " directory; remove that file or set the property to a directory", problems.get(0));
    }

    @Test
    void workdirBelowFileRejected() throws IOException {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");

        List<String> problems = check("gcomm://db1", listen(), file.resolve("garbd"));

        assertEquals(1, problems.size(), () -> "problems: " + problems);
        assertTrue(problems.get(0).startsWith("garbd working directory " + file.resolve("garbd")
                + " (warden.garbd.working-directory) cannot be created because " + file + " is not a directory"),
                problems.get(0));
    }

    @Test
    void unwritableWorkdirRejected() {
        // sysfs refuses new files even to root, unlike a directory with mode 0555.
        Path sysfs = Path.of("/sys/kernel");
        assumeTrue(Files.isDirectory(sysfs), "needs Linux sysfs");

        List<String> problems = check("gcomm://db1", listen(), sysfs);

        assertEquals(1, problems.size(), () -> "problems: " + problems);
        assertTrue(problems.get(0).startsWith("garbd working directory /sys/kernel (warden.garbd.working-directory)"
                + " is not writable ("), problems.get(0));
        assertTrue(problems.get(0).endsWith("give the agent's user write access to it or set the property to a"
                + " writable directory"), problems.get(0));
    }

    @Test
    void busyListenPortRejected() throws IOException {
        try (ServerSocket holder = new ServerSocket()) {
            holder.bind(new InetSocketAddress(loopback(), 0));
            String listen = "tcp://127.0.0.1:" + holder.getLocalPort();

            List<String> problems = check("gcomm://db1", listen, dir.resolve("work"));

            assertEquals(1, problems.size(), () -> "problems: " + problems);
            assertTrue(problems.get(0).startsWith("garbd listen address " + listen
                    + " (warden.garbd.listen-address) cannot be bound (BindException: "), problems.get(0));
            assertTrue(problems.get(0).endsWith("stop the process that listens on port " + holder.getLocalPort()
                    + " (ss -ltnp 'sport = :" + holder.getLocalPort() + "'), or set the property to a free address of"
                    + " this host"), problems.get(0));
        }
    }

    @Test
    void listenPortOutOfRangeRejected() {
        List<String> problems = check("gcomm://db1", "tcp://127.0.0.1:65536", dir.resolve("work"));

        assertEquals(List.of("garbd listen address tcp://127.0.0.1:65536 (warden.garbd.listen-address) has port 65536,"
                + " which is out of range; use 1 to 65535, Galera's default is 4567"), problems);
    }

    @Test
    void unresolvedListenHostRejected() {
        List<String> problems = check("gcomm://db1", "tcp://nosuch.invalid:4567", dir.resolve("work"));

        assertEquals(1, problems.size(), () -> "problems: " + problems);
        assertTrue(problems.get(0).startsWith("garbd listen address tcp://nosuch.invalid:4567"
                + " (warden.garbd.listen-address) names host 'nosuch.invalid', which does not resolve"),
                problems.get(0));
    }
}
