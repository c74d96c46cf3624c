package org.galerawarden.action;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.galerawarden.probe.ConnectionFactory;

/**
 * Statements that change the local server's Galera state, each on a fresh connection. Each statement
 * runs on a worker thread and the caller waits at most {@code deadline}, because the MariaDB driver
 * does not apply its socket timeout to unix sockets, so a hung server would otherwise block the caller
 * for good. Thread-safe.
 */
public class SqlActions {

    /** Makes the local non-Primary component Primary, as Galera's documentation describes for quorum loss. */
    static final String BOOTSTRAP = "SET GLOBAL wsrep_provider_options='pc.bootstrap=YES'";

    /** Rejects new queries and closes client connections, so the node stops serving without stopping. */
    static final String REJECT_QUERIES = "SET GLOBAL wsrep_reject_queries=ALL_KILL";

    private final ConnectionFactory connections;
    private final Duration deadline;
    private final ExecutorService workers = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "sql-action");
        thread.setDaemon(true);
        return thread;
    });

    public SqlActions(ConnectionFactory connections, Duration deadline) {
        this.connections = connections;
        this.deadline = deadline;
    }

    public void bootstrapPrimary() throws SQLException, IOException {
        execute(BOOTSTRAP);
    }

    public void rejectQueries() throws SQLException, IOException {
        execute(REJECT_QUERIES);
    }

    private void execute(String sql) throws SQLException, IOException {
        Future<Void> result = workers.submit(() -> {
            try (Connection connection = connections.open(); Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
            return null;
        });
        try {
            result.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            result.cancel(true);
            throw new SQLTimeoutException(sql + " got no answer from " + connections.target() + " within "
                    + deadline.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException(sql + " was interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sqlError) {
                throw sqlError;
            }
            if (e.getCause() instanceof IOException ioError) {
                throw ioError;
            }
            throw new SQLException(sql + " failed: " + e.getCause(), e.getCause());
        }
    }
}
