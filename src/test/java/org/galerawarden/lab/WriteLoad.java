package org.galerawarden.lab;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes numbered rows through HAProxy, about 20 per second, and records every write the server
 * acknowledged with the time of the acknowledgement. It stops by itself after {@code maxWrites} writes
 * or when closed.
 */
public final class WriteLoad implements AutoCloseable {

    public static final String TABLE = "gwtest.writes";

    /** An acknowledged write: its id and when the commit returned. */
    public record Ack(long id, long millis) {
    }

    private final List<Ack> acks = new CopyOnWriteArrayList<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private final Thread thread;
    private final long maxWrites;
    private volatile boolean running = true;

    /** Creates the table on node 1 and starts writing. */
    public static WriteLoad start(Lab lab, long maxWrites) {
        lab.run("sql", "1", "CREATE TABLE IF NOT EXISTS " + TABLE
                + " (id BIGINT PRIMARY KEY, written_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3))");
        return new WriteLoad(maxWrites);
    }

    private WriteLoad(long maxWrites) {
        this.maxWrites = maxWrites;
        this.thread = new Thread(this::writeLoop, "write-load");
        thread.setDaemon(true);
        thread.start();
    }

    private void writeLoop() {
        Connection connection = null;
        while (running && nextId.get() <= maxWrites) {
            try {
                if (connection == null) {
                    connection = connect();
                }
                long id = nextId.getAndIncrement();
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + TABLE + " (id) VALUES (?)")) {
                    insert.setLong(1, id);
                    insert.executeUpdate();
                }
                acks.add(new Ack(id, System.currentTimeMillis()));
                ClusterSampler.sleep(50);
            } catch (SQLException e) {
                if (connection != null) {
                    try {
                        connection.close();
                    } catch (SQLException ignored) {
                        // Replaced by a new connection on the next write.
                    }
                }
                connection = null;
                ClusterSampler.sleep(100);
            }
        }
    }

    private static Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", "app");
        properties.setProperty("password", "app");
        properties.setProperty("connectTimeout", "1000");
        properties.setProperty("socketTimeout", "3000");
        return new org.mariadb.jdbc.Driver().connect("jdbc:mariadb://" + Lab.LB_ADDRESS + ":3306/gwtest", properties);
    }

    public List<Ack> acks() {
        return List.copyOf(acks);
    }

    /** Returns the time of the first acknowledgement after {@code millis}, or -1. */
    public long firstAckAfter(long millis) {
        for (Ack ack : acks) {
            if (ack.millis() > millis) {
                return ack.millis();
            }
        }
        return -1;
    }

    /** Returns the longest time between two consecutive acknowledgements. */
    public long longestGapMillis() {
        long longest = 0;
        List<Ack> all = acks();
        for (int i = 1; i < all.size(); i++) {
            longest = Math.max(longest, all.get(i).millis() - all.get(i - 1).millis());
        }
        return longest;
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(10000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
