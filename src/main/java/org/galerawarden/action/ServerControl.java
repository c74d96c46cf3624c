package org.galerawarden.action;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.galerawarden.config.Settings;
import org.galerawarden.model.FileStatus;
import org.galerawarden.model.GrastateFile;
import org.galerawarden.model.GvwstateFile;
import org.galerawarden.model.Position;
import org.galerawarden.model.ServerStatus;
import org.galerawarden.probe.GrastateParser;
import org.galerawarden.probe.GvwstateParser;
import org.galerawarden.probe.ServerProcess;
import org.galerawarden.probe.SnapshotCollector;
import org.galerawarden.probe.SqlProbe;
import org.jboss.logging.Logger;

/**
 * The steps that change the local server: {@code pc.bootstrap}, a restart as a new cluster, and the two
 * ways of fencing. Each step checks the server's state first, so running it twice does no harm.
 */
public class ServerControl {

    private static final Logger LOG = Logger.getLogger(ServerControl.class);
    private static final Duration PRIMARY_WAIT = Duration.ofSeconds(10);

    private final Settings settings;
    private final SqlProbe probe;
    private final SqlActions sql;
    private final CommandRunner commands;

    public ServerControl(Settings settings, SqlProbe probe, SqlActions sql, CommandRunner commands) {
        this.settings = settings;
        this.probe = probe;
        this.sql = sql;
        this.commands = commands;
    }

    /** Probes the server; a refused connection counts as stopped only while no server process runs. */
    public ServerStatus status() {
        return SnapshotCollector.withServerProcess(settings, probe.probe());
    }

    /**
     * Makes this node's component Primary with {@code pc.bootstrap}. Returns an empty string on success,
     * otherwise why it failed.
     */
    public String bootstrapInPlace() {
        try {
            sql.bootstrapPrimary();
        } catch (SQLException | IOException e) {
            return "SET GLOBAL wsrep_provider_options='pc.bootstrap=YES' failed: " + e.getMessage();
        }
        return waitForPrimary(PRIMARY_WAIT);
    }

    /**
     * Restarts this node as a new cluster: clean stop, {@code safe_to_bootstrap: 1} in its own
     * {@code grastate.dat} only when the saved position is still {@code expected}, then the new-cluster
     * command. When the saved position differs, the node is started normally instead, so it is never
     * left stopped, and the reason is returned. Returns an empty string on success.
     */
    public String restartAsNewCluster(Position expected) {
        CommandResult stop = run("stop", settings.commands().stop());
        if (!stop.succeeded()) {
            return "stop command failed: " + stop.describe();
        }
        Path grastatePath = settings.db().datadir().resolve("grastate.dat");
        GrastateFile grastate = GrastateParser.read(grastatePath);
        if (grastate.position().isEmpty() || !grastate.position().get().equals(expected)) {
            run("start", settings.commands().start());
            return grastatePath + " holds " + grastate.position().map(Position::toString).orElse("no position ("
                    + grastate.reason() + ")") + " after the stop, not the granted " + expected
                    + ", so the node was started normally instead";
        }
        try {
            GrastateEditor.setSafeToBootstrap(grastatePath, expected);
        } catch (IOException | RuntimeException e) {
            run("start", settings.commands().start());
            return "setting safe_to_bootstrap failed (" + e.getMessage() + "), so the node was started normally";
        }
        CommandResult start = run("new-cluster", settings.commands().newCluster());
        if (!start.succeeded()) {
            return "new-cluster command failed: " + start.describe();
        }
        return waitForPrimary(PRIMARY_WAIT);
    }

    /**
     * Starts the stopped server normally, so that it joins a Primary Component or, with every member of
     * its last Primary view, restores one. A broken {@code gvwstate.dat} is moved aside first, and a
     * {@code grastate.dat} that does not parse is replaced by one that contains {@code recovered}, the
     * position recovered from InnoDB. Without that position such a server is not started. The start
     * command ends when the server accepts connections, which a starting server does once it is Primary, so
     * {@code limit} bounds that wait. Returns an empty string on success.
     */
    public String start(Optional<Position> recovered, Duration limit) {
        String repair = repairUnparsableGrastate(recovered);
        if (!repair.isEmpty()) {
            return repair;
        }
        moveBrokenGvwstateAside();
        CommandResult start = run("start", settings.commands().start(), limit);
        return start.succeeded() ? "" : "start command failed: " + start.describe();
    }

    /** Replaces a {@code grastate.dat} that Galera would misread; see {@link GrastateEditor#replaceUnparsable}. */
    private String repairUnparsableGrastate(Optional<Position> recovered) {
        Path grastatePath = settings.db().datadir().resolve("grastate.dat");
        GrastateFile parsed = GrastateParser.read(grastatePath);
        if (parsed.status() != FileStatus.INVALID && parsed.status() != FileStatus.EMPTY) {
            return "";
        }
        if (recovered.isEmpty() && sstUnfinished()) {
            // The data is incomplete anyway, and without grastate.dat Galera starts over with a full transfer.
            String failure = moveAside(grastatePath, parsed.status() + " (" + parsed.reason() + ") after a state"
                    + " transfer that did not finish");
            return failure.isEmpty() ? "" : failure + ", so the server was not started";
        }
        if (recovered.isEmpty()) {
            return grastatePath + " is " + parsed.status() + " (" + parsed.reason() + ") and this node's position"
                    + " is unknown, so the server was not started, because Galera reads a seqno it cannot parse as 0."
                    + " The agent rewrites the file once mariadbd --wsrep-recover finds the position";
        }
        try {
            if (GrastateEditor.replaceUnparsable(grastatePath, recovered.get())) {
                LOG.warnf("[%s] %s was %s (%s); replaced it by the recovered position %s", settings.nodeName(),
                        grastatePath, parsed.status(), parsed.reason(), recovered.get());
            }
            return "";
        } catch (IOException | RuntimeException e) {
            return "replacing the unparsable " + grastatePath + " failed, so the server was not started: "
                    + e.getMessage();
        }
    }

    /**
     * Starts the stopped server as a new cluster from {@code position}: {@code safe_to_bootstrap: 1} in
     * its own {@code grastate.dat} (see {@link GrastateEditor#prepareNewCluster}), then the new-cluster
     * command, then a wait for the Primary Component. Returns an empty string on success.
     */
    public String startNewCluster(Position position) {
        ServerStatus status = status();
        if (status.isPrimary()) {
            return "";
        }
        if (!status.stopped()) {
            return "server is not stopped (" + status.error() + "), so it is not started as a new cluster";
        }
        Path grastatePath = settings.db().datadir().resolve("grastate.dat");
        try {
            GrastateEditor.prepareNewCluster(grastatePath, position);
        } catch (IOException | RuntimeException e) {
            return "preparing " + grastatePath + " failed, so the server was not started: " + e.getMessage();
        }
        LOG.warnf("[%s] set safe_to_bootstrap: 1 in %s for %s", settings.nodeName(), grastatePath, position);
        moveBrokenGvwstateAside();
        CommandResult start = run("new-cluster", settings.commands().newCluster());
        if (!start.succeeded()) {
            return "new-cluster command failed: " + start.describe();
        }
        return waitForPrimary(settings.commands().timeout());
    }

    private boolean sstUnfinished() {
        return SnapshotCollector.SST_MARKERS.stream()
                .anyMatch(marker -> Files.exists(settings.db().datadir().resolve(marker)));
    }

    /** Renames {@code file} with a time suffix so that the server starts without it; returns why it failed. */
    private String moveAside(Path file, String why) {
        Path aside = file.resolveSibling(file.getFileName() + ".broken-" + System.currentTimeMillis());
        try {
            Files.move(file, aside);
            LOG.warnf("[%s] %s is %s; moved it to %s so that the server starts without it", settings.nodeName(), file,
                    why, aside);
            return "";
        } catch (IOException e) {
            return "moving " + file + " (" + why + ") to " + aside + " failed: " + e.getMessage();
        }
    }

    /**
     * Moves an empty or unreadable {@code gvwstate.dat} aside, because Galera refuses to start with one. A
     * missing file is normal after a clean shutdown; a valid one is kept for {@code pc.recovery}.
     */
    private void moveBrokenGvwstateAside() {
        Path gvwstate = settings.db().datadir().resolve("gvwstate.dat");
        GvwstateFile parsed = GvwstateParser.read(gvwstate);
        if (parsed.status() != FileStatus.EMPTY && parsed.status() != FileStatus.INVALID) {
            return;
        }
        String failure = moveAside(gvwstate, parsed.status() + " (" + parsed.reason() + ")");
        if (!failure.isEmpty()) {
            LOG.errorf("[%s] %s", settings.nodeName(), failure);
        }
    }

    /**
     * Ends a server that waits for a Primary Component with SIGKILL. Such a server ignores SIGTERM
     * (MariaDB 10.11.19 blocks it while it waits), and it committed nothing since it started, so InnoDB's
     * crash recovery at the next start loses nothing. Returns an empty string on success.
     */
    public String killWaitingServer() {
        Optional<Long> pid = ServerProcess.pid(settings.coldStart().pidFile(), settings.db().datadir());
        if (pid.isEmpty()) {
            return status().stopped() ? "" : "the server process was not found for sure, so it was not killed;"
                    + " stop it by hand";
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid.get());
        if (process.isEmpty()) {
            return "";
        }
        LOG.warnf("[%s] killing server process %d with SIGKILL: it waits for a Primary Component and ignores"
                + " SIGTERM", settings.nodeName(), pid.get());
        if (!process.get().destroyForcibly()) {
            return "SIGKILL to server process " + pid.get() + " was refused; run the agent as root, or kill it by"
                    + " hand (kill -9 " + pid.get() + "): it committed nothing since its start";
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (process.get().isAlive() && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(100));
        }
        return process.get().isAlive() ? "server process " + pid.get() + " still runs 10 s after SIGKILL" : "";
    }

    /** Stops the server with the stop command. Returns an empty string on success. */
    public String stop() {
        CommandResult result = run("stop", settings.commands().stop());
        return result.succeeded() ? "" : "stop command failed: " + result.describe();
    }

    /** Makes the server reject queries. Returns an empty string on success. */
    public String rejectQueries() {
        try {
            sql.rejectQueries();
            return "";
        } catch (SQLException | IOException e) {
            return "SET GLOBAL wsrep_reject_queries=ALL_KILL failed: " + e.getMessage();
        }
    }

    private CommandResult run(String name, List<String> command) {
        return run(name, command, settings.commands().timeout());
    }

    private CommandResult run(String name, List<String> command, Duration limit) {
        LOG.warnf("[%s] running the %s command: %s", settings.nodeName(), name, String.join(" ", command));
        CommandResult result = commands.run(command, limit);
        if (result.succeeded()) {
            LOG.infof("[%s] %s command finished: %s", settings.nodeName(), name, result.describe());
        } else {
            LOG.errorf("[%s] %s command failed: %s", settings.nodeName(), name, result.describe());
        }
        return result;
    }

    private String waitForPrimary(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        ServerStatus status = probe.probe();
        while (!status.isPrimary() && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(200));
            status = probe.probe();
        }
        return status.isPrimary() ? "" : "server is still " + status.clusterStatus() + " " + limit.toSeconds()
                + " s after the bootstrap (" + status.error() + ")";
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
