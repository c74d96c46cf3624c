package org.galerawarden.garbd;

import static org.galerawarden.testing.Fixtures.NOW;
import static org.galerawarden.testing.Fixtures.STATE_UUID;
import static org.galerawarden.testing.Fixtures.data;
import static org.galerawarden.testing.Fixtures.peers;
import static org.galerawarden.testing.Fixtures.primary;
import static org.galerawarden.testing.Fixtures.reachable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;

import org.galerawarden.config.GarbdSettings;
import org.galerawarden.config.Settings;
import org.galerawarden.model.PeerView;
import org.galerawarden.testing.Fixtures;
import org.galerawarden.testing.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor's decisions: when garbd starts, when it restarts, what it logs and reports. A fake
 * launcher replaces processes and a counter replaces the monotonic clock, so no test sleeps.
 */
class GarbdKeeperTest {

    private static final String JOINED = """
            2026-12-04 16:34:06.299  INFO: view(view_id(PRIM,82dd274e-9b6d,3) memb {
            2026-12-04 16:34:06.795  INFO: New COMPONENT: primary = yes, bootstrap = no, my_idx = 2, memb_num = 3
            2026-12-04 16:34:06.799  INFO: Shifting JOINED -> SYNCED (TO: 7)
            """;
    private static final String LOST = """
            2026-12-04 16:40:01.100  INFO: view(view_id(NON_PRIM,82dd274e-9b6d,7) memb {
            2026-12-04 16:40:01.101  INFO: New COMPONENT: primary = no, bootstrap = no, my_idx = 0, memb_num = 1
            2026-12-04 16:40:01.102  INFO: Shifting SYNCED -> OPEN (TO: 400)
            """;

    @TempDir
    Path dir;

    private final AtomicLong now = new AtomicLong(NOW);
    private final FakeLauncher launcher = new FakeLauncher();
    private final List<List<String>> preflightResults = new ArrayList<>();
    private int preflightRuns;
    private Map<String, PeerView> peerViews = Map.of();
    private Settings settings;
    private GarbdKeeper keeper;
    private LogCapture logs;

    @BeforeEach
    void createKeeper() throws IOException {
        Path workdir = Files.createDirectories(dir.resolve("garbd"));
        Settings base = Fixtures.twoDataAndArbitrator("arb", dir);
        GarbdSettings garbd = new GarbdSettings(true, Path.of("/usr/bin/garbd"), "gwlab",
                "gcomm://10.0.0.11:4567,10.0.0.12:4567", "tcp://0.0.0.0:4567", "evs.suspect_timeout=PT2S", workdir,
                Duration.ofSeconds(1), Duration.ofSeconds(30));
        settings = new Settings(base.nodeName(), base.role(), base.mode(), base.peers(), base.stateDir(),
                base.secretFile(), base.pollInterval(), base.db(), base.health(), base.recovery(), base.commands(),
                garbd);
        keeper = new GarbdKeeper(settings, now::get, launcher, this::nextPreflight, () -> peerViews);
        logs = LogCapture.attach(GarbdKeeper.class.getName());
    }

    @AfterEach
    void detachLogs() {
        logs.close();
    }

    private List<String> nextPreflight() {
        preflightRuns++;
        return preflightResults.isEmpty() ? List.of() : preflightResults.remove(0);
    }

    private void advance(long millis) {
        now.addAndGet(Duration.ofMillis(millis).toNanos());
    }

    private Path logFile() {
        return settings.garbd().logFile();
    }

    private void appendLog(String text) throws IOException {
        Files.writeString(logFile(), text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    private String pidFile() throws IOException {
        return Files.readString(settings.garbd().pidFile()).strip();
    }

    /** Returns the captured messages at {@code level} and above. */
    private List<String> messages(Level level) {
        return logs.messages(level);
    }

    @Test
    void firstTickStartsGarbd() throws IOException {
        keeper.tick();

        assertEquals(1, launcher.started.size(), "starts");
        assertEquals(List.of("/usr/bin/garbd", "--address", "gcomm://10.0.0.11:4567,10.0.0.12:4567", "--group", "gwlab",
                "--options", "gmcast.listen_addr=tcp://0.0.0.0:4567;evs.suspect_timeout=PT2S", "--log",
                logFile().toString()), launcher.commands.get(0));
        assertEquals(settings.garbd().workingDirectory(), launcher.directories.get(0));
        assertEquals("1001", pidFile());
        GarbdStatus status = keeper.status();
        assertTrue(status.running(), "running");
        assertEquals(1001, status.pid());
        assertEquals(1, status.starts());
        assertEquals(0, status.restarts());
        assertFalse(status.member(), "member before any log line");
        assertTrue(messages(Level.INFO).get(0).startsWith("[arb] garbd started (pid 1001, start 1): /usr/bin/garbd"
                + " --address"), () -> messages(Level.INFO).toString());
    }

    @Test
    void exitRestartsAfterBackoff() throws IOException {
        keeper.tick();
        appendLog("2026-12-04 16:34:07.000  INFO: last words\n");
        advance(5_000);
        launcher.started.get(0).exit(1);

        keeper.tick();

        assertFalse(Files.exists(settings.garbd().pidFile()), "pid file removed after the exit");
        GarbdStatus stopped = keeper.status();
        assertFalse(stopped.running(), "running");
        assertEquals(1, stopped.lastExitCode());
        assertEquals("exited with exit code 1 after 5 s", stopped.lastError());
        assertEquals(1_000, stopped.nextStartInMillis());
        List<String> warnings = messages(Level.WARNING);
        assertEquals(1, warnings.size(), () -> "warnings: " + warnings);
        assertEquals("[arb] garbd (pid 1001) exited with exit code 1 after 5 s; restarting in 1000 ms; last lines of "
                + logFile() + ": 2026-12-04 16:34:07.000  INFO: last words", warnings.get(0));

        advance(999);
        keeper.tick();
        assertEquals(1, launcher.started.size(), "no start before the backoff ends");

        advance(1);
        keeper.tick();
        assertEquals(2, launcher.started.size(), "restart when the backoff ends");
        assertEquals("1002", pidFile());
        assertEquals(1, keeper.status().restarts());

        launcher.started.get(1).exit(137);
        keeper.tick();
        assertEquals(2_000, keeper.status().nextStartInMillis(), "a second short run doubles the backoff");
    }

    @Test
    void stableRunResetsBackoff() {
        keeper.tick();
        launcher.started.get(0).exit(1);
        keeper.tick();
        advance(1_000);
        keeper.tick();
        launcher.started.get(1).exit(1);
        keeper.tick();
        assertEquals(2_000, keeper.status().nextStartInMillis());
        advance(2_000);
        keeper.tick();

        advance(60_000);
        launcher.started.get(2).exit(0);
        keeper.tick();

        assertEquals(1_000, keeper.status().nextStartInMillis(), "a run of 60 s resets the backoff");
    }

    @Test
    void preflightFailureLoggedOnceAndRetried() {
        preflightResults.add(List.of("garbd peer host 'nosuch' does not resolve"));
        preflightResults.add(List.of("garbd peer host 'nosuch' does not resolve"));

        keeper.tick();
        advance(500);
        keeper.tick();
        advance(500);
        keeper.tick();

        assertEquals(0, launcher.started.size(), "no start while the preflight fails");
        assertEquals(2, preflightRuns, "preflight runs");
        List<String> errors = messages(Level.SEVERE);
        assertEquals(List.of("[arb] garbd not started: garbd peer host 'nosuch' does not resolve; next attempt in"
                + " 1000 ms (0 identical failures suppressed)"), errors);
        GarbdStatus status = keeper.status();
        assertEquals("garbd peer host 'nosuch' does not resolve", status.lastError());
        assertEquals(2_000, status.nextStartInMillis());

        advance(2_000);
        keeper.tick();
        assertEquals(1, launcher.started.size(), "start once the preflight passes");
    }

    @Test
    void repeatedPreflightFailureReportedWithCount() {
        for (int i = 0; i < 12; i++) {
            preflightResults.add(List.of("working directory is not writable"));
        }
        for (int i = 0; i < 12; i++) {
            keeper.tick();
            advance(30_000);
        }

        List<String> errors = messages(Level.SEVERE);
        assertEquals(2, errors.size(), () -> "errors: " + errors);
        assertTrue(errors.get(1).endsWith("next attempt in 30000 ms (9 identical failures suppressed)"), errors.get(1));
    }

    @Test
    void failuresDifferingInReasonCountAsRepeats() {
        preflightResults.add(List.of("garbd peer host 'db3' does not resolve (Temporary failure in name resolution)"));
        preflightResults.add(List.of("garbd peer host 'db3' does not resolve (UnknownHostException: db3)"));

        keeper.tick();
        advance(1_000);
        keeper.tick();

        assertEquals(1, messages(Level.SEVERE).size(), () -> "errors: " + messages(Level.SEVERE));
        assertEquals("garbd peer host 'db3' does not resolve (UnknownHostException: db3)", keeper.status().lastError());
    }

    @Test
    void launchFailureRetriedWithBackoff() {
        launcher.failNext = new IOException("Cannot run program \"/usr/bin/garbd\": error=2, No such file or directory");

        keeper.tick();

        assertEquals(0, launcher.started.size());
        assertEquals("starting /usr/bin/garbd failed: Cannot run program \"/usr/bin/garbd\": error=2, No such file or"
                + " directory", keeper.status().lastError());
        assertEquals(1, messages(Level.SEVERE).size());
        advance(1_000);
        keeper.tick();
        assertEquals(1, launcher.started.size());
    }

    @Test
    void membershipTransitionsLogged() throws IOException {
        appendLog(JOINED);
        keeper.tick();
        keeper.tick();
        assertFalse(keeper.status().member(), "lines from before the start do not count");

        appendLog(JOINED);
        keeper.tick();
        GarbdStatus joined = keeper.status();
        assertTrue(joined.member(), "member");
        assertEquals(true, joined.primaryComponent());
        assertEquals(3, joined.componentMembers());
        assertEquals("SYNCED", joined.state());
        assertTrue(messages(Level.INFO).contains("[arb] garbd (pid 1001) became a member of the Primary Component:"
                + " 3 members, state SYNCED"), () -> messages(Level.INFO).toString());

        appendLog(LOST);
        keeper.tick();
        GarbdStatus lost = keeper.status();
        assertFalse(lost.member(), "member");
        assertEquals(false, lost.primaryComponent());
        assertEquals("OPEN", lost.state());
        assertTrue(messages(Level.WARNING).contains("[arb] garbd (pid 1001) left the Primary Component:"
                + " 2026-12-04 16:40:01.101  INFO: New COMPONENT: primary = no, bootstrap = no, my_idx = 0, memb_num = 1"),
                () -> messages(Level.WARNING).toString());
    }

    @Test
    void exitOfMemberReportsLeaving() throws IOException {
        keeper.tick();
        appendLog(JOINED);
        keeper.tick();
        launcher.started.get(0).exit(137);

        keeper.tick();

        assertTrue(messages(Level.WARNING).contains("[arb] garbd (pid 1001) left the Primary Component: it exited"),
                () -> messages(Level.WARNING).toString());
        assertFalse(keeper.status().member());
        assertNull(keeper.status().primaryComponent());
    }

    @Test
    void partialLineWaitsForNewline() throws IOException {
        keeper.tick();
        appendLog("2026-12-04 16:34:06.795  INFO: New COMPONENT: primary = yes, bootstrap = no,");
        keeper.tick();
        assertFalse(keeper.status().member());

        appendLog(" my_idx = 2, memb_num = 3\n");
        keeper.tick();
        assertTrue(keeper.status().member());
    }

    @Test
    void leftoverFromEarlierRunStopped() throws IOException {
        Files.writeString(settings.garbd().pidFile(), "777\n");
        FakeProcess leftover = new FakeProcess(777);
        launcher.running.put(777L, leftover);

        keeper.tick();

        assertEquals(1, leftover.terminations, "the leftover garbd got SIGTERM");
        assertEquals(1, launcher.started.size(), "a new garbd started");
        assertEquals("1001", pidFile());
        assertTrue(messages(Level.WARNING).get(0).startsWith("[arb] garbd (pid 777) from an earlier run of the agent is"
                + " still running; stopping it"), () -> messages(Level.WARNING).toString());
    }

    @Test
    void stalePidFileIgnored() throws IOException {
        Files.writeString(settings.garbd().pidFile(), "778\n");

        keeper.tick();

        assertEquals(1, launcher.started.size());
        assertEquals(List.of(), messages(Level.WARNING));
    }

    @Test
    void stopTerminatesAndEndsSupervision() {
        keeper.tick();

        keeper.stop(Duration.ofSeconds(10));
        keeper.tick();

        assertEquals(1, launcher.started.get(0).terminations, "SIGTERM sent once");
        assertFalse(Files.exists(settings.garbd().pidFile()), "pid file removed");
        assertFalse(keeper.status().running(), "running");
        assertEquals(1, launcher.started.size(), "no start after stop");
        assertTrue(messages(Level.INFO).contains("[arb] stopping garbd (pid 1001)"));
    }

    @Test
    void stopEscalationLogged() {
        keeper.tick();
        launcher.started.get(0).exitsOnSigterm = false;

        keeper.stop(Duration.ofSeconds(10));

        assertTrue(messages(Level.WARNING).contains("[arb] garbd (pid 1001) did not exit within 10 s after SIGTERM, so it"
                + " got SIGKILL"), () -> messages(Level.WARNING).toString());
    }

    @Test
    void peersDisagreeingWarnAfterGrace() throws IOException {
        peerViews = peers(reachable(data("n1", primary(STATE_UUID, 100, 2)), 1, NOW),
                reachable(data("n2", primary(STATE_UUID, 100, 2)), 1, NOW));
        keeper.tick();
        appendLog(JOINED);
        keeper.tick();
        assertEquals(false, keeper.status().peersSeeExtraMember());

        advance(9_999);
        keeper.tick();
        assertFalse(messages(Level.WARNING).stream().anyMatch(m -> m.contains("disagree")), "no warning within grace");

        advance(1);
        keeper.tick();
        keeper.tick();
        List<String> disagreements = messages(Level.WARNING).stream().filter(m -> m.contains("disagree")).toList();
        assertEquals(List.of("[arb] garbd's log shows it in the Primary Component, but the data nodes' reports"
                + " disagree: n1 is Primary with wsrep_cluster_size 2, which the 2 Primary data nodes account for"),
                disagreements);
    }

    @Test
    void peersConfirmingMember() throws IOException {
        peerViews = peers(reachable(data("n1", primary(STATE_UUID, 100, 3)), 1, NOW),
                reachable(data("n2", primary(STATE_UUID, 100, 3)), 1, NOW));
        keeper.tick();
        appendLog(JOINED);
        advance(20_000);
        keeper.tick();

        assertEquals(true, keeper.status().peersSeeExtraMember());
        assertFalse(messages(Level.WARNING).stream().anyMatch(m -> m.contains("disagree")));
    }

    /** A process that exits when the test calls {@link #exit}. */
    static final class FakeProcess implements GarbdProcess {

        private final long pid;
        private boolean alive = true;
        private Integer exitCode;
        private int terminations;
        private boolean exitsOnSigterm = true;

        FakeProcess(long pid) {
            this.pid = pid;
        }

        void exit(int code) {
            alive = false;
            exitCode = code;
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public boolean alive() {
            return alive;
        }

        @Override
        public OptionalInt exitCode() {
            return exitCode == null ? OptionalInt.empty() : OptionalInt.of(exitCode);
        }

        @Override
        public boolean terminate(Duration grace) {
            terminations++;
            alive = false;
            exitCode = exitsOnSigterm ? 143 : 137;
            return exitsOnSigterm;
        }
    }

    /** Hands out processes with pids 1001, 1002 and so on, and records what it started. */
    static final class FakeLauncher implements GarbdLauncher {

        private final List<FakeProcess> started = new ArrayList<>();
        private final List<List<String>> commands = new ArrayList<>();
        private final List<Path> directories = new ArrayList<>();
        private final Map<Long, FakeProcess> running = new HashMap<>();
        private IOException failNext;

        @Override
        public GarbdProcess start(List<String> command, Path directory) throws IOException {
            if (failNext != null) {
                IOException failure = failNext;
                failNext = null;
                throw failure;
            }
            FakeProcess process = new FakeProcess(1001 + started.size());
            started.add(process);
            commands.add(command);
            directories.add(directory);
            return process;
        }

        @Override
        public Optional<GarbdProcess> find(long pid, Path binary) {
            return Optional.<GarbdProcess>ofNullable(running.get(pid)).filter(GarbdProcess::alive);
        }
    }
}
