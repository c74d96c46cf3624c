package org.galerawarden.probe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

import org.galerawarden.config.DbSettings;

/** Opens connections to the local MariaDB server over its unix socket or TCP, with bounded timeouts. */
public class ConnectionFactory {

    /**
     * Whether JNA is on the class path. Connector/J 3.x opens unix sockets through JNA, and without it falls
     * back to a TCP socket that fails with "connect: The address can't be null".
     */
    private static final boolean JNA_PRESENT = isJnaPresent();

    private final DbSettings db;

    public ConnectionFactory(DbSettings db) {
        this.db = db;
    }

    /** Names the server for messages: the socket path, or host and port. */
    public String target() {
        return db.socket().map(Path::toString).orElseGet(() -> db.host() + ":" + db.port());
    }

    /**
     * Opens a connection.
     *
     * @throws IOException when the password file cannot be read
     * @throws SQLException when the server cannot be reached or rejects the login
     */
    public Connection open() throws IOException, SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", db.user());
        if (db.passwordFile().isPresent()) {
            properties.setProperty("password", readPassword(db.passwordFile().get()));
        }
        // MariaDB Connector/J 3.x option names, both in milliseconds. socketTimeout bounds every read, so a
        // server that hangs mid-query fails the call instead of blocking the caller.
        properties.setProperty("connectTimeout", Long.toString(toMillis(db.connectTimeout())));
        properties.setProperty("socketTimeout", Long.toString(toMillis(db.queryTimeout())));
        String url;
        if (db.socket().isPresent()) {
            if (!JNA_PRESENT) {
                throw new SQLException("the MariaDB driver needs JNA (net.java.dev.jna:jna) on the class path to "
                        + "open a unix socket; add it, or configure host and port instead of the socket");
            }
            properties.setProperty("localSocket", db.socket().get().toString());
            url = "jdbc:mariadb://localhost/";
        } else {
            String host = db.host().contains(":") && !db.host().startsWith("[") ? "[" + db.host() + "]" : db.host();
            url = "jdbc:mariadb://" + host + ":" + db.port() + "/";
        }
        // The driver is called directly, not through DriverManager, so no other registered driver can
        // claim the URL.
        Connection opened = new org.mariadb.jdbc.Driver().connect(url, properties);
        if (opened == null) {
            throw new SQLException("the MariaDB driver rejected the URL " + url);
        }
        return opened;
    }

    /** Reads the password, removing the line ends an editor leaves at the end of the file. */
    static String readPassword(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
            end--;
        }
        return text.substring(0, end);
    }

    private static boolean isJnaPresent() {
        try {
            Class.forName("com.sun.jna.Native", false, org.mariadb.jdbc.Driver.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static long toMillis(Duration duration) {
        return Math.min(Math.max(duration.toMillis(), 1), Integer.MAX_VALUE);
    }
}
