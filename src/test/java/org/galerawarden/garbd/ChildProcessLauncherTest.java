package org.galerawarden.garbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real child processes: small shell scripts stand in for garbd. */
class ChildProcessLauncherTest {

    @TempDir
    Path dir;

    private Path output;
    private ChildProcessLauncher launcher;

    @BeforeEach
    void createLauncher() {
        output = dir.resolve("garbd.out");
        launcher = new ChildProcessLauncher(output);
    }

    private Path script(String name, String body) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    private static void awaitExit(GarbdProcess process) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (process.alive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    @Test
    void exitCodeAndOutputReported() throws Exception {
        Path fake = script("fake-garbd", "echo \"args: $*\"; pwd; exit 3");

        GarbdProcess process = launcher.start(List.of(fake.toString(), "--group", "gwlab"), dir);
        awaitExit(process);

        assertFalse(process.alive(), "alive");
        assertEquals(OptionalInt.of(3), process.exitCode());
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (Files.readAllLines(output).size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(List.of("args: --group gwlab", dir.toRealPath().toString()), Files.readAllLines(output));
    }

    @Test
    void outputAppendedAcrossRuns() throws Exception {
        Files.writeString(output, "earlier run\n");
        Path fake = script("fake-garbd", "echo second run >&2");

        GarbdProcess process = launcher.start(List.of(fake.toString()), dir);
        awaitExit(process);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (Files.readAllLines(output).size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }

        assertEquals(List.of("earlier run", "second run"), Files.readAllLines(output));
    }

    @Test
    void terminateSendsSigterm() throws Exception {
        Path fake = script("fake-garbd", "trap 'exit 0' TERM; while true; do sleep 0.1; done");
        GarbdProcess process = launcher.start(List.of(fake.toString()), dir);
        Thread.sleep(200);

        assertTrue(process.alive(), "alive before terminate");
        assertTrue(process.terminate(Duration.ofSeconds(5)), "exited after SIGTERM");
        assertFalse(process.alive(), "alive after terminate");
        assertEquals(OptionalInt.of(0), process.exitCode());
    }

    @Test
    void terminateEscalatesToSigkill() throws Exception {
        Path fake = script("fake-garbd", "trap '' TERM; while true; do sleep 0.1; done");
        GarbdProcess process = launcher.start(List.of(fake.toString()), dir);
        Thread.sleep(200);

        assertFalse(process.terminate(Duration.ofMillis(500)), "needed SIGKILL");
        assertFalse(process.alive(), "alive after SIGKILL");
    }

    @Test
    void findMatchesOnlySameExecutable() throws Exception {
        Path fake = script("fake-garbd", "while true; do sleep 0.1; done");
        GarbdProcess child = launcher.start(List.of(fake.toString()), dir);
        try {
            // The kernel reports the interpreter as the executable of a script, so match on /bin/sh here.
            Path shell = Path.of("/bin/sh").toRealPath();
            Optional<GarbdProcess> found = launcher.find(child.pid(), shell);
            assertTrue(found.isPresent(), "found by pid and executable");
            assertEquals(child.pid(), found.get().pid());
            assertEquals(OptionalInt.empty(), found.get().exitCode(), "a found process has no known exit code");
            assertTrue(launcher.find(child.pid(), fake.resolveSibling("other")).isEmpty(), "other executable");
        } finally {
            child.terminate(Duration.ofSeconds(5));
        }
        assertTrue(launcher.find(child.pid(), Path.of("/bin/sh")).isEmpty(), "exited process");
    }
}
