package org.galerawarden.action;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.galerawarden.probe.ConnectionFactory;

/** Statements that change the local server's Galera state, each on a fresh connection. */
public class SqlActions {

    /** Makes the local non-Primary component Primary, as Galera's documentation describes for quorum loss. */
    static final String BOOTSTRAP = "SET GLOBAL wsrep_provider_options='pc.bootstrap=YES'";

    /** Rejects new queries and closes client connections, so the node stops serving without stopping. */
    static final String REJECT_QUERIES = "SET GLOBAL wsrep_reject_queries=ALL_KILL";

    private final ConnectionFactory connections;

    public SqlActions(ConnectionFactory connections) {
        this.connections = connections;
    }

    public void bootstrapPrimary() throws SQLException, IOException {
        execute(BOOTSTRAP);
    }

    public void rejectQueries() throws SQLException, IOException {
        execute(REJECT_QUERIES);
    }

    private void execute(String sql) throws SQLException, IOException {
        try (Connection connection = connections.open(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
