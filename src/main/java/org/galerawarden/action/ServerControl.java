package org.galerawarden.action;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import org.galerawarden.config.Settings;
import org.galerawarden.model.GrastateFile;
import org.galerawarden.model.Position;
import org.galerawarden.model.ServerStatus;
import org.galerawarden.probe.GrastateParser;
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

    public ServerStatus status() {
        return probe.probe();
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
        return waitForPrimary();
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
            org.galerawarden.action.GrastateEditor.setSafeToBootstrap(grastatePath, expected);
        } catch (IOException | RuntimeException e) {
            run("start", settings.commands().start());
            return "setting safe_to_bootstrap failed (" + e.getMessage() + "), so the node was started normally";
        }
        CommandResult start = run("new-cluster", settings.commands().newCluster());
        if (!start.succeeded()) {
            return "new-cluster command failed: " + start.describe();
        }
        return waitForPrimary();
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
        LOG.warnf("[%s] running the %s command: %s", settings.nodeName(), name, String.join(" ", command));
        CommandResult result = commands.run(command, settings.commands().timeout());
        if (result.succeeded()) {
            LOG.infof("[%s] %s command finished: %s", settings.nodeName(), name, result.describe());
        } else {
            LOG.errorf("[%s] %s command failed: %s", settings.nodeName(), name, result.describe());
        }
        return result;
    }

    private String waitForPrimary() {
        long deadline = System.nanoTime() + PRIMARY_WAIT.toNanos();
        ServerStatus status = probe.probe();
        while (!status.isPrimary() && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(200));
            status = probe.probe();
        }
        return status.isPrimary() ? "" : "server is still " + status.clusterStatus() + " " + PRIMARY_WAIT.toSeconds()
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
