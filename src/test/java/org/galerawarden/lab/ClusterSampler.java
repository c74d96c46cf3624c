package org.galerawarden.lab;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * Samples every data node's wsrep status over SQL and its health endpoint over HTTP, every 100 ms per
 * node, each from its own thread so that a hung server cannot stall the health samples, until closed.
 * The samples feed the invariant checks.
 */
public final class ClusterSampler implements AutoCloseable {

    private static final String QUERY = "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_cluster_status',"
            + " 'wsrep_local_state', 'wsrep_local_state_uuid', 'wsrep_last_committed', 'wsrep_incoming_addresses')";

    private final Lab lab;
    private final int nodes;
    private final List<NodeSample> samples = new CopyOnWriteArrayList<>();
    private final List<HealthSample> health = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    private volatile boolean running = true;

    public ClusterSampler(Lab lab, int nodes) {
        this.lab = lab;
        this.nodes = nodes;
        for (int node = 1; node <= nodes; node++) {
            int current = node;
            start("sql-sampler-n" + node, () -> sqlLoop(current));
            start("health-sampler-n" + node, () -> healthLoop(current));
        }
    }

    private void start(String name, Runnable loop) {
        Thread thread = new Thread(loop, name);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    /** Samples over TCP, because the driver's socket timeout does not apply to unix sockets. */
    private void sqlLoop(int node) {
        Connection connection = null;
        while (running) {
            long started = System.currentTimeMillis();
            try {
                if (connection == null) {
                    connection = lab.connectTcp(node);
                }
                samples.add(query(connection, node));
            } catch (SQLException | RuntimeException e) {
                boolean refused = String.valueOf(e.getMessage()).contains("Connection refused");
                samples.add(new NodeSample(started, node, false, "", 0, "", -1, Set.of(), refused));
                close(connection);
                connection = null;
            }
            pause(started);
        }
        close(connection);
    }

    private void healthLoop(int node) {
        while (running) {
            long started = System.currentTimeMillis();
            health.add(checkHealth(node));
            pause(started);
        }
    }

    private static void pause(long started) {
        long left = 100 - (System.currentTimeMillis() - started);
        if (left > 0) {
            sleep(left);
        }
    }

    private static NodeSample query(Connection connection, int node) throws SQLException {
        long now = System.currentTimeMillis();
        Map<String, String> values = new HashMap<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(QUERY)) {
            while (rows.next()) {
                values.put(rows.getString(1).toLowerCase(), rows.getString(2));
            }
        }
        Set<String> members = Arrays.stream(values.getOrDefault("wsrep_incoming_addresses", "").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).map(s -> s.replaceAll(":\\d+$", ""))
                .collect(Collectors.toSet());
        return new NodeSample(now, node, true, values.getOrDefault("wsrep_cluster_status", ""),
                Integer.parseInt(values.getOrDefault("wsrep_local_state", "0")),
                values.getOrDefault("wsrep_local_state_uuid", ""),
                Long.parseLong(values.getOrDefault("wsrep_last_committed", "-1")), members, false);
    }

    private HealthSample checkHealth(int node) {
        long now = System.currentTimeMillis();
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(Lab.agentUrl("n" + node) + "/"))
                    .timeout(Duration.ofMillis(800)).GET().build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new HealthSample(now, node, response.statusCode(), response.body().strip());
        } catch (java.io.IOException e) {
            return new HealthSample(now, node, 0, e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new HealthSample(now, node, 0, "interrupted");
        }
    }

    public List<NodeSample> samples() {
        return List.copyOf(samples);
    }

    public List<HealthSample> health() {
        return List.copyOf(health);
    }

    /** Returns the latest sample of a node, if any. */
    public Optional<NodeSample> latest(int node) {
        NodeSample found = null;
        for (NodeSample sample : samples) {
            if (sample.node() == node) {
                found = sample;
            }
        }
        return Optional.ofNullable(found);
    }

    /** Returns the latest health answer of a node, if any. */
    public Optional<HealthSample> latestHealth(int node) {
        HealthSample found = null;
        for (HealthSample sample : health) {
            if (sample.node() == node) {
                found = sample;
            }
        }
        return Optional.ofNullable(found);
    }

    public int nodes() {
        return nodes;
    }

    @Override
    public void close() {
        running = false;
        for (Thread thread : threads) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void close(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // The connection is discarded either way.
            }
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
