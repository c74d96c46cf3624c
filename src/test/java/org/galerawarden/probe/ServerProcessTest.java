package org.galerawarden.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only mariadbd or mysqld processes count as a server; this test's own JVM is neither. */
class ServerProcessTest {

    @TempDir
    Path dir;

    @Test
    void pidFileOfAnotherProcessIsIgnored() throws IOException {
        Path pidFile = Files.writeString(dir.resolve("mysqld.pid"), ProcessHandle.current().pid() + "\n");

        assertEquals(Optional.empty(), ServerProcess.find(pidFile, dir));
        assertEquals(Optional.empty(), ServerProcess.pid(pidFile, dir));
    }

    @Test
    void garbagePidFileIsIgnored() throws IOException {
        Path pidFile = Files.writeString(dir.resolve("mysqld.pid"), "not a pid");

        assertEquals(Optional.empty(), ServerProcess.find(pidFile, dir));
    }

    @Test
    void noPidFileNoServerFound() {
        assertEquals(Optional.empty(), ServerProcess.find(dir.resolve("missing.pid"), dir));
    }
}
