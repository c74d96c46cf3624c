package org.galerawarden.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.galerawarden.model.Position;

/**
 * Steps shared by the restart-from-cold scenarios: agents that start their own servers, a power loss of
 * several hosts, edits of Galera's state files, positions read with {@code mariadbd --wsrep-recover},
 * and counts of new-cluster starts in the servers' error logs.
 */
final class ColdStartLab {

    static final List<String> HOSTS = List.of("n1", "n2", "n3");

    /** A table outside the write load, for rows written straight to one node. */
    static final String EXTRA_TABLE = "gwtest.cold_rows";

    /**
     * The line Galera 26.4.23 logs when a server starts with {@code --wsrep-new-cluster}. A normal start,
     * also one that {@code pc.recovery} turns Primary, logs "bootstrap option: 0" instead.
     */
    static final String NEW_CLUSTER_LINE = "Connecting with bootstrap option: 1";

    private static final Pattern RECOVERED = Pattern.compile("Recovered position: ([0-9a-f-]{36}):(-?[0-9]+)");
    private static final long PARALLEL_LIMIT_SECONDS = 330;

    private ColdStartLab() {
    }

    /** Returns the agent settings of a node that starts its own server, followed by {@code extra}. */
    static List<String> agentSettings(Lab lab, int node, String... extra) {
        List<String> settings = new ArrayList<>(List.of(
                "warden.cold-start.enabled=true",
                "warden.commands.recover=" + lab.script() + " db-recover " + node + " {log}",
                "warden.db.pid-file=" + lab.hostDir("n" + node).resolve("mysqld.pid"),
                "warden.cold-start.pc-recovery-grace=15s"));
        settings.addAll(Arrays.asList(extra));
        return settings;
    }

    /** Starts the agents of {@code nodes} at the same time, as hosts do when power returns. */
    static void startAgents(Lab lab, List<Integer> nodes, String... extra) {
        List<Runnable> starts = new ArrayList<>();
        for (int node : nodes) {
            List<String> args = new ArrayList<>(List.of("agent-start", "n" + node));
            args.addAll(agentSettings(lab, node, extra));
            starts.add(() -> lab.run(args.toArray(String[]::new)));
        }
        parallel(starts);
    }

    /**
     * Cuts the power of {@code nodes}: SIGKILL of every agent, then of every server, each group at once.
     * The agents go first, so no agent notices its server down and starts it again. HAProxy keeps
     * routing writes for about two health checks, so the servers still take writes when they die.
     */
    static void powerLoss(Lab lab, int... nodes) {
        List<Runnable> agents = new ArrayList<>();
        List<Runnable> servers = new ArrayList<>();
        for (int node : nodes) {
            agents.add(() -> lab.run("agent-kill", "n" + node));
            servers.add(() -> lab.run("db-kill", String.valueOf(node)));
        }
        parallel(agents);
        parallel(servers);
    }

    /**
     * Kills one node's agent, then its server, and waits until the two other nodes form a Primary
     * component without it. Until Galera evicts the dead member, commits on the others stall.
     */
    static void loseNode(Lab lab, ClusterSampler sampler, int node) {
        lab.run("agent-kill", "n" + node);
        lab.run("db-kill", String.valueOf(node));
        for (int other = 1; other <= sampler.nodes(); other++) {
            if (other == node) {
                continue;
            }
            int survivor = other;
            Await.until(Duration.ofSeconds(30), "n" + survivor + " is Primary without n" + node,
                    () -> sampler.latest(survivor).map(sample -> sample.syncedPrimary()
                            && sample.members().size() == sampler.nodes() - 1).orElse(false));
        }
    }

    /** Stops the agents of {@code nodes} with SIGTERM, at the same time. */
    static void stopAgents(Lab lab, List<Integer> nodes) {
        List<Runnable> stops = new ArrayList<>();
        for (int node : nodes) {
            stops.add(() -> lab.run("agent-stop", "n" + node));
        }
        parallel(stops);
    }

    /**
     * Recovers the positions of the stopped servers of {@code nodes} with {@code lab db-recover}, the
     * command the agents run, into a log of the test's own.
     */
    static Map<Integer, Position> recoverPositions(Lab lab, int... nodes) {
        Map<Integer, Position> positions = new TreeMap<>();
        List<Runnable> runs = new ArrayList<>();
        for (int node : nodes) {
            runs.add(() -> {
                Position position = recoverPosition(lab, node);
                synchronized (positions) {
                    positions.put(node, position);
                }
            });
        }
        parallel(runs);
        System.out.println("recovered positions: " + positions);
        return positions;
    }

    private static Position recoverPosition(Lab lab, int node) {
        Path log = lab.hostDir("n" + node).resolve("test-recover.log");
        lab.run("db-recover", String.valueOf(node), log.toString());
        String text = read(log);
        Matcher matcher = RECOVERED.matcher(text);
        Position found = null;
        while (matcher.find()) {
            found = new Position(matcher.group(1), Long.parseLong(matcher.group(2)));
        }
        if (found == null) {
            fail("db-recover of n" + node + " logged no 'Recovered position' line in " + log + ":\n" + text);
        }
        return found;
    }

    /**
     * Returns the node that should restart the cluster: the highest seqno, then a node in
     * {@code flagged} (a {@code safe_to_bootstrap: 1} that Galera set on a saved position), then the
     * smallest node number. Every position must share one state UUID.
     */
    static int expectedWinner(Map<Integer, Position> positions, Set<Integer> flagged) {
        long uuids = positions.values().stream().map(Position::uuid).distinct().count();
        if (uuids != 1) {
            fail("the recovered positions hold " + uuids + " state UUIDs: " + positions);
        }
        int best = -1;
        for (Map.Entry<Integer, Position> entry : positions.entrySet()) {
            if (best < 0) {
                best = entry.getKey();
                continue;
            }
            long seqno = entry.getValue().seqno();
            long bestSeqno = positions.get(best).seqno();
            if (seqno > bestSeqno || seqno == bestSeqno && flagged.contains(entry.getKey()) && !flagged.contains(best)) {
                best = entry.getKey();
            }
        }
        return best;
    }

    /** Counts the starts with {@code --wsrep-new-cluster} in a node's MariaDB error log. */
    static long newClusterStarts(Lab lab, int node) {
        return read(lab.hostDir("n" + node).resolve("error.log")).lines().filter(line -> line.contains(NEW_CLUSTER_LINE))
                .count();
    }

    /** Counts the new-cluster starts of every node, by node number. */
    static Map<Integer, Long> newClusterStartsByNode(Lab lab, int nodes) {
        Map<Integer, Long> counts = new TreeMap<>();
        for (int node = 1; node <= nodes; node++) {
            counts.put(node, newClusterStarts(lab, node));
        }
        return counts;
    }

    /** Returns a file of a node's data directory. */
    static Path dataFile(Lab lab, int node, String name) {
        return lab.hostDir("n" + node).resolve("data").resolve(name);
    }

    /** Deletes a file from a stopped node's data directory; a missing file is fine. */
    static void deleteDataFile(Lab lab, int node, String name) {
        try {
            Files.deleteIfExists(dataFile(lab, node, name));
        } catch (IOException e) {
            throw new IllegalStateException("deleting " + name + " of n" + node + " failed", e);
        }
    }

    /** Replaces the contents of an existing file in a node's data directory, keeping its owner. */
    static void writeDataFile(Lab lab, int node, String name, String text) {
        Path file = dataFile(lab, node, name);
        if (!Files.exists(file)) {
            fail(file + " does not exist, so the test cannot edit it");
        }
        try {
            Files.writeString(file, text, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException("writing " + file + " failed", e);
        }
    }

    /** Deletes {@code gvwstate.dat} of every node, so no saved Primary view can be restored. */
    static void deleteViews(Lab lab, int nodes) {
        for (int node = 1; node <= nodes; node++) {
            deleteDataFile(lab, node, "gvwstate.dat");
        }
    }

    /** Replaces the seqno in a stopped node's {@code grastate.dat} by {@code abc}, which is not a number. */
    static void damageSeqno(Lab lab, int node) {
        String text = readDataFile(lab, node, "grastate.dat");
        writeDataFile(lab, node, "grastate.dat", text.replaceAll("(?m)^seqno:.*$", "seqno:   abc"));
    }

    static String readDataFile(Lab lab, int node, String name) {
        return read(dataFile(lab, node, name));
    }

    /** Returns the entries of the given kinds that the hosts' agents journaled at or after {@code since}. */
    static List<AuditEntry> entriesSince(Lab lab, Instant since, String... kinds) {
        List<AuditEntry> found = new ArrayList<>();
        for (String kind : kinds) {
            for (AuditEntry entry : AuditEntry.ofKind(lab, HOSTS, kind)) {
                if (!entry.time().isBefore(since)) {
                    found.add(entry);
                }
            }
        }
        return found;
    }

    /** Returns the nodes of the entries, in journal order per host. */
    static List<String> nodesOf(List<AuditEntry> entries) {
        return entries.stream().map(AuditEntry::node).toList();
    }

    /** Creates the table for rows written straight to one node. */
    static void createExtraTable(Lab lab) {
        lab.run("sql", "1", "CREATE TABLE IF NOT EXISTS " + EXTRA_TABLE + " (id BIGINT PRIMARY KEY)");
    }

    /**
     * Inserts rows {@code first} to {@code first + count - 1} into {@link #EXTRA_TABLE} on one node over
     * TCP, one transaction per row, so each row advances the node's seqno by one.
     */
    static void insertRows(Lab lab, int node, long first, int count) {
        try (Connection connection = lab.connectTcp(node);
                PreparedStatement insert = connection.prepareStatement("INSERT INTO " + EXTRA_TABLE + " (id) VALUES (?)")) {
            for (long id = first; id < first + count; id++) {
                insert.setLong(1, id);
                insert.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("inserting rows " + first + ".. into n" + node + " failed", e);
        }
    }

    /** Returns how many rows of {@link #EXTRA_TABLE} lie in [{@code first}, {@code first + count}) on a node. */
    static long countRows(Lab lab, int node, long first, int count) {
        String output = lab.run("sql", String.valueOf(node), "SELECT COUNT(*) FROM " + EXTRA_TABLE + " WHERE id >= "
                + first + " AND id < " + (first + count));
        String[] lines = output.strip().split("\n");
        return Long.parseLong(lines[lines.length - 1].strip());
    }

    /**
     * Waits until every data node is a Synced Primary member, prints and returns the time since
     * {@code agentsStartedMillis}.
     */
    static Duration awaitAllSynced(ClusterSampler sampler, String scenario, long agentsStartedMillis, Duration limit) {
        Await.until(limit, "all " + sampler.nodes() + " nodes are Synced after " + scenario, () -> {
            for (int node = 1; node <= sampler.nodes(); node++) {
                if (!sampler.latest(node).map(NodeSample::syncedPrimary).orElse(false)) {
                    return false;
                }
            }
            return true;
        });
        Duration took = Duration.ofMillis(System.currentTimeMillis() - agentsStartedMillis);
        System.out.printf("cold start %s: %.1f s from agent start to all Synced%n", scenario, took.toMillis() / 1000.0);
        return took;
    }

    /**
     * Checks that exactly one node started as a new cluster since {@code since}: {@code expected}, by
     * one NEW_CLUSTER_DONE entry and by one more new-cluster start in its error log than in
     * {@code startsBefore}, and none on the other nodes.
     */
    static void assertOneNewCluster(Lab lab, Instant since, Map<Integer, Long> startsBefore, int expected) {
        List<AuditEntry> done = entriesSince(lab, since, "NEW_CLUSTER_DONE");
        assertEquals(List.of("n" + expected), nodesOf(done), "nodes with NEW_CLUSTER_DONE");
        Map<Integer, Long> startsAfter = newClusterStartsByNode(lab, startsBefore.size());
        for (int node : startsBefore.keySet()) {
            long added = startsAfter.get(node) - startsBefore.get(node);
            assertEquals(node == expected ? 1 : 0, added, "new-cluster starts in the error log of n" + node);
        }
    }

    /**
     * Checks that the NEW_CLUSTER decision journaled since {@code since} was taken on the positions the
     * test recovered itself: its evidence contains the same position for every node.
     */
    static void assertChoiceMadeOn(Lab lab, Instant since, Map<Integer, Position> positions) {
        List<AuditEntry> decisions = entriesSince(lab, since, "NEW_CLUSTER").stream()
                .filter(entry -> entry.type().equals("decision")).toList();
        assertTrue(!decisions.isEmpty(), "no NEW_CLUSTER decision was journaled");
        AuditEntry last = decisions.get(decisions.size() - 1);
        for (Map.Entry<Integer, Position> entry : positions.entrySet()) {
            assertEquals(entry.getValue().toString(), last.evidence().get("pos_n" + entry.getKey()),
                    "position of n" + entry.getKey() + " in the NEW_CLUSTER decision of " + last.node());
        }
    }

    /** Waits until HAProxy takes writes again after {@code sinceMillis}, then checks invariant I2. */
    static void assertWritesSurvived(Lab lab, WriteLoad load, int nodes, long sinceMillis) {
        Await.until(Duration.ofSeconds(30), "writes through HAProxy resume", () -> load.firstAckAfter(sinceMillis) > 0);
        Invariants.checkAcknowledgedWrites(lab, nodes, load);
    }

    /** Runs the tasks at the same time and waits for all; the first failure fails the caller. */
    static void parallel(List<Runnable> tasks) {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Runnable task : tasks) {
                futures.add(pool.submit(task));
            }
            for (Future<?> future : futures) {
                future.get(PARALLEL_LIMIT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("lab commands did not finish within " + PARALLEL_LIMIT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            throw new IllegalStateException("reading " + file + " failed", e);
        }
    }
}
