package org.galerawarden.garbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

import org.galerawarden.testing.ArbitratorAgent;
import org.galerawarden.testing.SignedRequests;
import org.junit.jupiter.api.Test;

/**
 * The supervisor inside a running arbitrator agent, with a shell script in place of garbd that writes
 * the log lines of a join and then waits. It checks the wiring: start, pid file, membership in
 * {@code GET /status}, and the restart after a kill.
 */
@QuarkusTest
@TestProfile(GarbdSupervisorTest.Profile.class)
class GarbdSupervisorTest {

    /** An arbitrator whose garbd is the fake script, listening on a free loopback port. */
    public static class Profile implements QuarkusTestProfile {

        static final Path DIRECTORY = Path.of("target", "garbd-supervisor-test").toAbsolutePath();
        static final Path FAKE_GARBD = DIRECTORY.resolve("fake-garbd");
        static final Path WORKDIR = DIRECTORY.resolve("garbd");

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> extra = new LinkedHashMap<>();
            extra.put("warden.garbd.enabled", "true");
            extra.put("warden.garbd.binary", FAKE_GARBD.toString());
            extra.put("warden.garbd.group", "gwtest");
            extra.put("warden.garbd.listen-address", "tcp://127.0.0.1:" + ArbitratorAgent.unusedPort());
            extra.put("warden.garbd.working-directory", WORKDIR.toString());
            extra.put("warden.garbd.backoff-initial", "200ms");
            Map<String, String> overrides = ArbitratorAgent.overrides(DIRECTORY, extra);
            writeFakeGarbd();
            return overrides;
        }

        /** Writes a script that logs a join to the file after --log, then waits up to 2 minutes for SIGTERM. */
        private static void writeFakeGarbd() {
            String script = """
                    #!/bin/sh
                    log=""
                    while [ $# -gt 0 ]; do
                        if [ "$1" = "--log" ]; then log="$2"; fi
                        shift
                    done
                    echo "2026-12-04 16:34:06.795  INFO: New COMPONENT: primary = yes, bootstrap = no, my_idx = 2, memb_num = 3" >>"$log"
                    echo "2026-12-04 16:34:06.799  INFO: Shifting JOINED -> SYNCED (TO: 7)" >>"$log"
                    trap 'exit 0' TERM
                    i=0
                    while [ $i -lt 600 ]; do sleep 0.2; i=$((i + 1)); done
                    """;
            try {
                Files.writeString(FAKE_GARBD, script);
                Files.setPosixFilePermissions(FAKE_GARBD, PosixFilePermissions.fromString("rwx------"));
            } catch (IOException e) {
                throw new UncheckedIOException("writing " + FAKE_GARBD + " failed", e);
            }
        }
    }

    private static final Duration LIMIT = Duration.ofSeconds(20);

    private static JsonPath status() {
        String secret = new String(ArbitratorAgent.secret(Profile.DIRECTORY), StandardCharsets.US_ASCII);
        return SignedRequests.unsigned().header("Authorization", "Bearer " + secret).get("/status").jsonPath();
    }

    private static JsonPath awaitStatus(String what, Predicate<JsonPath> condition) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonPath status = status();
            if (status.get("garbd") != null && condition.test(status)) {
                return status;
            }
            Thread.sleep(50);
        }
        fail("timed out after " + LIMIT.toSeconds() + " s waiting until " + what + "; last status: "
                + status().prettify());
        return null;
    }

    @Test
    void garbdStartsJoinsAndRestarts() throws Exception {
        JsonPath joined = awaitStatus("garbd is a member", s -> s.getBoolean("garbd.member"));
        long pid = joined.getLong("garbd.pid");
        assertTrue(joined.getBoolean("garbd.running"), "running");
        assertEquals("SYNCED", joined.getString("garbd.state"));
        assertEquals(3, joined.getInt("garbd.componentMembers"));
        List<String> command = joined.getList("garbd.command");
        assertEquals(Profile.FAKE_GARBD.toString(), command.get(0));
        assertEquals(List.of("--group", "gwtest"), command.subList(3, 5));
        assertEquals(pid + "", Files.readString(Profile.WORKDIR.resolve("garbd.pid")).strip());

        ProcessHandle.of(pid).orElseThrow().destroyForcibly();

        JsonPath restarted = awaitStatus("garbd runs again under a new pid",
                s -> s.getBoolean("garbd.running") && s.getLong("garbd.pid") != pid && s.getBoolean("garbd.member"));
        assertEquals(1, restarted.getInt("garbd.restarts"));
        assertEquals(137, restarted.getInt("garbd.lastExitCode"));
        assertTrue(restarted.getString("garbd.lastError").startsWith("exited with exit code 137 after "),
                restarted.getString("garbd.lastError"));
    }
}
