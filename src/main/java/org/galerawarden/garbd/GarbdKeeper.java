package org.galerawarden.garbd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;

import org.galerawarden.audit.RepeatFilter;
import org.galerawarden.config.GarbdSettings;
import org.galerawarden.config.Settings;
import org.galerawarden.loop.MonotonicClock;
import org.galerawarden.model.PeerView;
import org.jboss.logging.Logger;

/**
 * Keeps garbd running: starts it after a passing preflight, writes its pid file, follows its log for
 * membership, and restarts it with exponential backoff when it exits or cannot start. Every decision
 * reads the injected monotonic clock, so tests drive it with a fake launcher and clock. Each call of
 * {@link #tick} does one step and publishes the status. The steps are synchronized because shutdown calls
 * {@link #stop} from another thread; {@link #status} does not wait for a step.
 */
public final class GarbdKeeper {

    private static final Logger LOG = Logger.getLogger(GarbdKeeper.class);

    /** A run at least this long counts as stable and resets the backoff. */
    static final Duration STABLE_RUN = Duration.ofSeconds(60);
    /** Interval between two log lines of the same start failure; the next line gives the count suppressed. */
    static final Duration ERROR_REPEAT_INTERVAL = Duration.ofMinutes(5);
    /** How long the log and the data peers' reports may disagree before a warning; peers report once per poll. */
    static final Duration DISAGREEMENT_GRACE = Duration.ofSeconds(10);
    private static final int EXIT_TAIL_LINES = 10;

    private final String node;
    private final Settings settings;
    private final GarbdSettings garbd;
    private final MonotonicClock clock;
    private final GarbdLauncher launcher;
    private final Supplier<List<String>> preflight;
    private final Supplier<Map<String, PeerView>> peers;
    private final RestartBackoff backoff;
    private final RepeatFilter errors;
    private final List<String> command;

    private boolean leftoverChecked;
    private boolean stopped;
    private GarbdProcess process;
    private long startedNanos;
    private long nextStartNanos;
    private int starts;
    private String lastError = "";
    private Integer lastExitCode;
    private LogFollower follower;
    private GarbdLogState logState = GarbdLogState.initial();
    private PeerEvidence peerEvidence = new PeerEvidence(null, "no report yet");
    private long disagreementSinceNanos = -1;
    private boolean disagreementLogged;
    private volatile GarbdStatus published;

    public GarbdKeeper(Settings settings, MonotonicClock clock, GarbdLauncher launcher,
            Supplier<List<String>> preflight, Supplier<Map<String, PeerView>> peers) {
        this.node = settings.nodeName();
        this.settings = settings;
        this.garbd = settings.garbd();
        this.clock = clock;
        this.launcher = launcher;
        this.preflight = preflight;
        this.peers = peers;
        this.backoff = new RestartBackoff(garbd.backoffInitial(), garbd.backoffMax(), STABLE_RUN);
        this.errors = new RepeatFilter(ERROR_REPEAT_INTERVAL, clock::nanos);
        this.command = command(garbd);
        this.nextStartNanos = clock.nanos();
        this.published = snapshot();
    }

    /** Returns garbd's argument array: executable, cluster address, group, provider options and log file. */
    public static List<String> command(GarbdSettings garbd) {
        return List.of(garbd.binary().toString(), "--address", garbd.address(), "--group", garbd.group(),
                "--options", garbd.providerOptions(), "--log", garbd.logFile().toString());
    }

    /** Does one supervision step: notices an exit, follows the log, or starts garbd when its time has come. */
    public synchronized void tick() {
        if (stopped) {
            return;
        }
        try {
            step();
        } finally {
            published = snapshot();
        }
    }

    private void step() {
        if (!leftoverChecked) {
            leftoverChecked = true;
            stopLeftover();
        }
        long now = clock.nanos();
        if (process != null && !process.alive()) {
            onExit(now);
        }
        if (process != null) {
            followLog();
        } else if (now - nextStartNanos >= 0) {
            start(now);
        }
        crossCheck(now);
    }

    /** Stops garbd for good: SIGTERM, up to {@code grace} for it to leave the cluster, then SIGKILL. */
    public synchronized void stop(Duration grace) {
        stopped = true;
        if (process == null) {
            published = snapshot();
            return;
        }
        LOG.infof("[%s] stopping garbd (pid %d)", node, process.pid());
        boolean clean = process.terminate(grace);
        if (!clean) {
            LOG.warnf("[%s] garbd (pid %d) did not exit within %d s after SIGTERM, so it got SIGKILL", node,
                    process.pid(), grace.toSeconds());
        }
        deletePidFile();
        process = null;
        published = snapshot();
    }

    /** Returns the status as of the last step. */
    public GarbdStatus status() {
        return published;
    }

    private GarbdStatus snapshot() {
        long now = clock.nanos();
        boolean running = process != null;
        return new GarbdStatus(running, running ? process.pid() : -1,
                running ? Duration.ofNanos(now - startedNanos).toMillis() : -1, starts, Math.max(0, starts - 1),
                lastError, lastExitCode, running ? -1 : Math.max(0, Duration.ofNanos(nextStartNanos - now).toMillis()),
                running && logState.member(), running ? logState.primary() : null,
                running ? logState.members() : 0, running ? logState.state() : "", logState.evidence(),
                peerEvidence.extraMember(), peerEvidence.detail(), command, garbd.workingDirectory().toString());
    }

    /**
     * Stops a garbd that an earlier run of the agent left, as its pid file shows. Its settings may differ
     * from this run's and its exit code cannot be read, so this agent starts its own. garbd leaves the
     * cluster cleanly on SIGTERM, which costs no quorum.
     */
    private void stopLeftover() {
        Optional<Long> pid = readPidFile();
        if (pid.isEmpty()) {
            return;
        }
        Optional<GarbdProcess> leftover = launcher.find(pid.get(), garbd.binary());
        if (leftover.isPresent()) {
            LOG.warnf("[%s] garbd (pid %d) from an earlier run of the agent is still running; stopping it so that"
                    + " this agent starts and watches its own", node, pid.get());
            if (!leftover.get().terminate(Duration.ofSeconds(10))) {
                LOG.warnf("[%s] garbd (pid %d) did not exit within 10 s after SIGTERM, so it got SIGKILL", node,
                        pid.get());
            }
        }
        deletePidFile();
    }

    private void start(long now) {
        List<String> problems = preflight.get();
        if (!problems.isEmpty()) {
            failStart(now, String.join("; ", problems));
            return;
        }
        long logOffset = LogFollower.sizeOf(garbd.logFile());
        try {
            process = launcher.start(command, garbd.workingDirectory());
        } catch (IOException | RuntimeException e) {
            failStart(now, "starting " + garbd.binary() + " failed: " + e.getMessage());
            return;
        }
        startedNanos = now;
        starts++;
        follower = new LogFollower(garbd.logFile(), logOffset);
        logState = GarbdLogState.initial();
        disagreementSinceNanos = -1;
        disagreementLogged = false;
        writePidFile(process.pid());
        LOG.infof("[%s] garbd started (pid %d, start %d): %s", node, process.pid(), starts, String.join(" ", command));
    }

    private void failStart(long now, String error) {
        Duration delay = backoff.afterFailedStart();
        nextStartNanos = now + delay.toNanos();
        lastError = error;
        // Reasons in brackets vary between identical failures, because the JDK words a cached failed lookup
        // differently, so they are left out of the repeat key.
        long suppressed = errors.admit(error.replaceAll("\\([^()]*\\)", "()"));
        if (suppressed >= 0) {
            LOG.errorf("[%s] garbd not started: %s; next attempt in %d ms (%d identical failures suppressed)", node,
                    error, delay.toMillis(), suppressed);
        }
    }

    private void onExit(long now) {
        GarbdProcess exited = process;
        process = null;
        followLog();
        Duration ranFor = Duration.ofNanos(now - startedNanos);
        Duration delay = backoff.afterExit(ranFor);
        nextStartNanos = now + delay.toNanos();
        OptionalInt code = exited.exitCode();
        lastExitCode = code.isPresent() ? code.getAsInt() : null;
        String outcome = code.isPresent() ? "exit code " + code.getAsInt() : "an unknown exit code";
        lastError = "exited with " + outcome + " after " + ranFor.toSeconds() + " s";
        if (logState.member()) {
            LOG.warnf("[%s] garbd (pid %d) left the Primary Component: it exited", node, exited.pid());
        }
        LOG.warnf("[%s] garbd (pid %d) exited with %s after %d s; restarting in %d ms; last lines of %s: %s", node,
                exited.pid(), outcome, ranFor.toSeconds(), delay.toMillis(), garbd.logFile(),
                String.join(" | ", LogFollower.tail(garbd.logFile(), EXIT_TAIL_LINES)));
        logState = GarbdLogState.initial();
        deletePidFile();
    }

    private void followLog() {
        boolean wasMember = logState.member();
        try {
            for (String line : follower.readNewLines()) {
                logState = logState.apply(line);
            }
        } catch (IOException e) {
            long suppressed = errors.admit("log " + e.getMessage());
            if (suppressed >= 0) {
                LOG.warnf("[%s] reading %s failed: %s; membership is unknown until it succeeds (%d identical"
                        + " failures suppressed)", node, garbd.logFile(), e.getMessage(), suppressed);
            }
        }
        long pid = process == null ? -1 : process.pid();
        if (!wasMember && logState.member()) {
            LOG.infof("[%s] garbd (pid %d) became a member of the Primary Component: %d members, state %s", node,
                    pid, logState.members(), logState.state().isEmpty() ? "unknown" : logState.state());
        } else if (wasMember && !logState.member() && process != null) {
            LOG.warnf("[%s] garbd (pid %d) left the Primary Component: %s", node, pid, logState.evidence());
        }
    }

    /** Warns when the log and the data peers' reports disagree for longer than the grace period. */
    private void crossCheck(long now) {
        peerEvidence = PeerEvidence.evaluate(settings, peers.get());
        Boolean seen = peerEvidence.extraMember();
        boolean disagree = seen != null && process != null && seen != logState.member();
        if (!disagree) {
            disagreementSinceNanos = -1;
            disagreementLogged = false;
            return;
        }
        if (disagreementSinceNanos < 0) {
            disagreementSinceNanos = now;
        }
        if (!disagreementLogged && now - disagreementSinceNanos >= DISAGREEMENT_GRACE.toNanos()) {
            disagreementLogged = true;
            LOG.warnf("[%s] garbd's log shows it %s the Primary Component, but the data nodes' reports disagree: %s",
                    node, logState.member() ? "in" : "outside", peerEvidence.detail());
        }
    }

    private Optional<Long> readPidFile() {
        try {
            String text = Files.readString(garbd.pidFile(), StandardCharsets.UTF_8).strip();
            return text.matches("[0-9]{1,10}") ? Optional.of(Long.parseLong(text)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private void writePidFile(long pid) {
        Path file = garbd.pidFile();
        try {
            Files.writeString(file, pid + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.warnf("[%s] writing garbd's pid file %s failed: %s; a later agent cannot find this garbd", node,
                    file, e.getMessage());
        }
    }

    private void deletePidFile() {
        try {
            Files.deleteIfExists(garbd.pidFile());
        } catch (IOException e) {
            LOG.warnf("[%s] deleting garbd's pid file %s failed: %s", node, garbd.pidFile(), e.getMessage());
        }
    }
}
