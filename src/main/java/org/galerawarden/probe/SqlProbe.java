package org.galerawarden.probe;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.galerawarden.config.DbSettings;
import org.galerawarden.model.ClusterStatus;
import org.galerawarden.model.LocalState;
import org.galerawarden.model.ServerStatus;
import org.jboss.logging.Logger;

/**
 * Reads the wsrep status and the write-related server variables of the local MariaDB server over JDBC.
 *
 * <p>One connection stays open between probes, because opening one costs a handshake and, over TCP with a
 * password, an authentication round trip on every poll. When a query on that kept connection fails (the
 * server restarted, or {@code wsrep_reject_queries=ALL_KILL} killed it), the probe closes it and retries
 * once on a fresh connection, so a stale connection alone never reports the server as unreachable.
 *
 * <p>The JDBC work runs on a worker thread that the caller waits for at most the connect timeout plus twice
 * the query timeout. Connector/J 3.5.7 does not apply socketTimeout to unix sockets, so a probe of a stopped
 * (SIGSTOP) mariadbd stayed blocked in a native recv for more than ten minutes in a test. A probe that misses
 * its deadline stays blocked on the worker, and later probes report that at once instead of starting
 * another thread.
 * Methods are synchronized because the scheduler and the health endpoint may probe concurrently.
 */
public final class SqlProbe implements AutoCloseable {

    static final String STATUS_QUERY = "SHOW GLOBAL STATUS LIKE 'wsrep%'";

    /**
     * SHOW statements run even while the node is not ready or rejects queries. SHOW GLOBAL VARIABLES is used
     * rather than {@code SELECT @@read_only, ...} so that a variable missing from the server is left out
     * instead of failing the whole query. MariaDB 10.11 has all five.
     */
    static final String VARIABLES_QUERY = "SHOW GLOBAL VARIABLES WHERE Variable_name IN "
            + "('wsrep_on', 'read_only', 'wsrep_reject_queries', 'wsrep_desync', 'wsrep_sst_donor_rejects_queries')";

    private static final Logger LOG = Logger.getLogger(SqlProbe.class);

    private final DbSettings db;
    private final String target;
    private final ConnectionFactory connections;
    private final Duration deadline;
    private final ExecutorService worker;
    /** Used only on the worker thread, except by {@link #close()}. */
    private volatile Connection connection;
    private Future<ServerStatus> blockedProbe;
    private int failedProbes;

    /**
     * Creates a probe of the server that {@code db} describes.
     *
     * @throws IllegalArgumentException when the connect or query timeout is not positive
     */
    public SqlProbe(DbSettings db) {
        this(db, db.connectTimeout().plus(db.queryTimeout().multipliedBy(2)));
    }

    /** Creates a probe that waits at most {@code deadline} for one probe. */
    SqlProbe(DbSettings db, Duration deadline) {
        if (db.connectTimeout().isNegative() || db.connectTimeout().isZero() || db.queryTimeout().isNegative()
                || db.queryTimeout().isZero()) {
            throw new IllegalArgumentException("connect timeout " + db.connectTimeout() + " and query timeout "
                    + db.queryTimeout() + " must both be positive");
        }
        this.db = db;
        this.target = db.socket().map(Path::toString).orElseGet(() -> db.host() + ":" + db.port());
        this.connections = new ConnectionFactory(db);
        this.deadline = deadline;
        this.worker = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sql-probe " + target);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Probes the server. Never throws: every failure becomes an unreachable status with the reason. */
    public synchronized ServerStatus probe() {
        ServerStatus status = probeWithDeadline();
        if (!status.reachable()) {
            if (failedProbes == 0) {
                LOG.warnf("Probing MariaDB at %s failed: %s", target, status.error());
            }
            failedProbes++;
        } else if (failedProbes > 0) {
            LOG.infof("MariaDB at %s responds again after %d failed probes", target, failedProbes);
            failedProbes = 0;
        }
        return status;
    }

    /**
     * Stops the worker thread and closes the kept connection, so later probes return unreachable. A worker
     * blocked in a native read stays blocked until the server sends data or its socket closes.
     */
    @Override
    public synchronized void close() {
        worker.shutdownNow();
        closeConnection();
    }

    private ServerStatus probeWithDeadline() {
        if (blockedProbe != null && !blockedProbe.isDone()) {
            return ServerStatus.unreachable("an earlier probe of " + target + " is still waiting for the server "
                    + "to answer, so the server is stopped or hung");
        }
        blockedProbe = null;
        Future<ServerStatus> future;
        try {
            future = worker.submit(this::probeWithRetry);
        } catch (RejectedExecutionException e) {
            return ServerStatus.unreachable("the probe of " + target + " is closed");
        }
        try {
            return future.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            blockedProbe = future;
            return ServerStatus.unreachable("probing " + target + " timed out after " + deadline.toMillis()
                    + " ms without an answer from the server");
        } catch (ExecutionException e) {
            return ServerStatus.unreachable("probing " + target + " failed: " + e.getCause());
        } catch (InterruptedException e) {
            blockedProbe = future;
            Thread.currentThread().interrupt();
            return ServerStatus.unreachable("probing " + target + " was interrupted");
        }
    }

    private ServerStatus probeWithRetry() {
        if (connection != null) {
            try {
                return toServerStatus(query(connection));
            } catch (SQLException | RuntimeException e) {
                LOG.infof("Kept connection to %s failed (%s), reconnecting", target, e.getMessage());
                closeConnection();
            }
        }
        try {
            connection = connect();
        } catch (IOException e) {
            return ServerStatus.unreachable(describePasswordFailure(e));
        } catch (SQLException | RuntimeException e) {
            String error = "connecting to " + target + " failed: " + e.getMessage();
            return isStopped(e) ? ServerStatus.stopped(error) : ServerStatus.unreachable(error);
        }
        try {
            return toServerStatus(query(connection));
        } catch (SQLException | RuntimeException e) {
            closeConnection();
            return ServerStatus.unreachable("querying " + target + " failed: " + e.getMessage());
        }
    }

    private Connection connect() throws IOException, SQLException {
        return connections.open();
    }

    private String describePasswordFailure(IOException e) {
        Path file = db.passwordFile().orElseThrow();
        return "reading the SQL password file " + file + " failed: " + GrastateParser.describe(e)
                + "; make the file readable by the agent's user, or remove the password file setting to use "
                + "socket authentication";
    }

    private static Map<String, String> query(Connection connection) throws SQLException {
        Map<String, String> values = new HashMap<>();
        try (Statement statement = connection.createStatement()) {
            readRows(statement, STATUS_QUERY, values);
            readRows(statement, VARIABLES_QUERY, values);
        }
        return values;
    }

    private static void readRows(Statement statement, String sql, Map<String, String> values) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                String value = rows.getString(2);
                values.put(rows.getString(1).toLowerCase(Locale.ROOT), value == null ? "" : value);
            }
        }
    }

    private void closeConnection() {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debugf("Closing the connection to %s failed: %s", target, e.getMessage());
        }
        connection = null;
    }

    /**
     * Maps the rows of {@link #STATUS_QUERY} and {@link #VARIABLES_QUERY}, keyed by lowercase variable name,
     * to a reachable status. Without wsrep the cluster status is UNKNOWN and the error gives the reason. A
     * value that does not parse keeps the default of {@link ServerStatus#unreachable} and is named in the
     * error.
     */
    /**
     * Tells whether a failed connect proves that no server runs: the socket file is missing, or nothing
     * listens on the socket or port. Any other failure leaves open that a hung server is still Primary.
     */
    static boolean isStopped(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            String message = String.valueOf(cause.getMessage());
            if (cause instanceof java.net.ConnectException || message.contains("Connection refused")
                    || message.contains("No such file or directory")) {
                return true;
            }
        }
        return false;
    }

    static ServerStatus toServerStatus(Map<String, String> values) {
        List<String> problems = new ArrayList<>();
        String wsrepOff = describeWsrepOff(values);
        if (wsrepOff != null) {
            problems.add(wsrepOff);
        }
        ClusterStatus clusterStatus = wsrepOff != null ? ClusterStatus.UNKNOWN
                : ClusterStatus.parse(values.get("wsrep_cluster_status"));
        // Every number is parsed before the status is built, so the error lists each value that failed.
        long localStateCode = parseNumber(values, "wsrep_local_state", 0, problems);
        long clusterSize = parseNumber(values, "wsrep_cluster_size", 0, problems);
        long clusterConfId = parseNumber(values, "wsrep_cluster_conf_id", -1, problems);
        long lastCommitted = parseNumber(values, "wsrep_last_committed", -1, problems);
        return new ServerStatus(
                true,
                String.join("; ", problems),
                clusterStatus,
                LocalState.of((int) Math.min(localStateCode, Integer.MAX_VALUE)),
                values.getOrDefault("wsrep_local_state_comment", ""),
                isOn(values.get("wsrep_ready")),
                isOn(values.get("wsrep_connected")),
                (int) Math.min(clusterSize, Integer.MAX_VALUE),
                clusterConfId,
                values.getOrDefault("wsrep_cluster_state_uuid", ""),
                values.getOrDefault("wsrep_local_state_uuid", ""),
                lastCommitted,
                // A missing variable reads as the server default: read_only OFF, wsrep_reject_queries NONE,
                // wsrep_desync OFF and wsrep_sst_donor_rejects_queries OFF.
                isOn(values.get("read_only")),
                values.getOrDefault("wsrep_reject_queries", "NONE"),
                isOn(values.get("wsrep_desync")),
                isOn(values.get("wsrep_sst_donor_rejects_queries")),
                false);
    }

    /**
     * Returns why the server does not run Galera replication, or null when it does. MariaDB 10.11 with
     * wsrep_on=OFF still returns wsrep status rows (wsrep_cluster_status Disconnected), so wsrep_on decides.
     * The missing-row check covers servers whose status has no wsrep rows at all.
     */
    private static String describeWsrepOff(Map<String, String> values) {
        String wsrepOn = values.get("wsrep_on");
        if (wsrepOn != null && !isOn(wsrepOn)) {
            return "wsrep_on is " + wsrepOn + ", so the server does not replicate with Galera; start it with "
                    + "wsrep_on=ON and a wsrep_provider";
        }
        if (!values.containsKey("wsrep_cluster_status")) {
            return "SHOW GLOBAL STATUS returned no wsrep_cluster_status, so the server runs without wsrep; "
                    + "start it with wsrep_on=ON and a wsrep_provider";
        }
        return null;
    }

    /** Reads ON/OFF, 1/0 and TRUE/FALSE. Any other non-empty value is true, and an absent one is false. */
    private static boolean isOn(String value) {
        if (value == null) {
            return false;
        }
        String normalized = value.trim().toUpperCase(Locale.ROOT);
        return !normalized.isEmpty() && !normalized.equals("OFF") && !normalized.equals("0")
                && !normalized.equals("FALSE");
    }

    private static long parseNumber(Map<String, String> values, String name, long absent, List<String> problems) {
        String value = values.get(name);
        if (value == null) {
            return absent;
        }
        try {
            // MariaDB 10.11.19 reports wsrep_cluster_conf_id as 18446744073709551615, which is -1 printed as
            // unsigned, in a non-Primary component and without wsrep. parseSeqno reads it as -1.
            return GrastateParser.parseSeqno(name, value.trim());
        } catch (NumberFormatException e) {
            problems.add(e.getMessage());
            return absent;
        }
    }
}
