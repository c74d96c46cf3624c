package org.galerawarden.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.zeroturnaround.exec.ProcessExecutor;
import org.zeroturnaround.exec.ProcessResult;

/**
 * Drives the lab script {@code lab/lab}: network namespaces with real MariaDB Galera servers, HAProxy,
 * garbd and agents. {@link #close} tears the lab down even after a failed test.
 */
public final class Lab implements AutoCloseable {

    public static final String LB_ADDRESS = "198.18.0.10";

    private final Path repo;
    private final Path script;
    private final Path dir;

    public Lab() {
        this.repo = Path.of(System.getProperty("warden.repo", ".")).toAbsolutePath().normalize();
        this.script = repo.resolve("lab/lab");
        String labDir = System.getenv("GW_LAB_DIR");
        this.dir = Path.of(labDir == null ? "/tmp/gwlab" : labDir);
    }

    /** Runs a lab subcommand and returns its output; fails the test when it exits non-zero. */
    public String run(String... args) {
        List<String> command = new ArrayList<>();
        command.add(script.toString());
        command.addAll(Arrays.asList(args));
        try {
            ProcessResult result = new ProcessExecutor().command(command).redirectErrorStream(true).readOutput(true)
                    .timeout(300, TimeUnit.SECONDS).exitValueAny().execute();
            if (result.getExitValue() != 0) {
                throw new IllegalStateException("lab " + String.join(" ", args) + " failed with exit code "
                        + result.getExitValue() + ":\n" + result.outputUTF8());
            }
            return result.outputUTF8();
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("lab " + String.join(" ", args) + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Tears down any lab left by an earlier run, then creates a new one. */
    public void up(int nodes, String... options) {
        run("down");
        List<String> args = new ArrayList<>(List.of("up", String.valueOf(nodes)));
        args.addAll(Arrays.asList(options));
        run(args.toArray(String[]::new));
    }

    /** Returns the absolute path of the lab script, for agent commands that call it. */
    public Path script() {
        return script;
    }

    public static String nodeAddress(int node) {
        return "198.18.0." + (10 + node);
    }

    public static String agentUrl(String host) {
        return "http://" + (host.equals("arb") ? LB_ADDRESS : nodeAddress(Integer.parseInt(host.substring(1))))
                + ":9200";
    }

    public Path hostDir(String host) {
        return dir.resolve(host.equals("arb") ? "arb" : host);
    }

    public Path socket(int node) {
        return dir.resolve("n" + node).resolve("mysqld.sock");
    }

    public Path secretFile() {
        return dir.resolve("secret");
    }

    public Path agentLog(String host) {
        return hostDir(host).resolve("agent.log");
    }

    public Path auditJournal(String host) {
        return hostDir(host).resolve("agent-state").resolve("audit.jsonl");
    }

    public String agentLogText(String host) {
        try {
            return Files.exists(agentLog(host)) ? Files.readString(agentLog(host), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Opens a root connection over a node's unix socket, with short timeouts. */
    public Connection connect(int node) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", "root");
        properties.setProperty("localSocket", socket(node).toString());
        properties.setProperty("connectTimeout", "1000");
        properties.setProperty("socketTimeout", "2000");
        return new org.mariadb.jdbc.Driver().connect("jdbc:mariadb://localhost/", properties);
    }

    /** Opens a connection as the test user over TCP, where the socket timeout bounds every read. */
    public Connection connectTcp(int node) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", "app");
        properties.setProperty("password", "app");
        properties.setProperty("connectTimeout", "1000");
        properties.setProperty("socketTimeout", "1000");
        return new org.mariadb.jdbc.Driver().connect("jdbc:mariadb://" + nodeAddress(node) + ":3306/", properties);
    }

    @Override
    public void close() {
        if (Boolean.getBoolean("warden.lab.keep")) {
            return;
        }
        try {
            run("down");
        } catch (RuntimeException e) {
            System.err.println("lab teardown failed: " + e.getMessage());
        }
    }
}
