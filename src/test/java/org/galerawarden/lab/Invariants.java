package org.galerawarden.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The invariants every lab scenario ends with:
 * I1 never two Primary components at once; I2 every acknowledged write is on every Synced node;
 * I3 the node that bootstrapped had the highest position of its state UUID; I4 the health endpoint
 * said 200 only for a Synced Primary node (Donor only where allowed).
 */
public final class Invariants {

    /** Two samples closer than this count as simultaneous. */
    private static final long SIMULTANEOUS_MILLIS = 150;
    /** The health answer may lag the server by up to three poll intervals of 1 s, as the contract allows. */
    private static final long HEALTH_LAG_MILLIS = 3000;

    private Invariants() {
    }

    public static void checkAll(Lab lab, ClusterSampler sampler, WriteLoad load, List<String> hosts,
            boolean donorAllowed) {
        checkOnePrimary(sampler.samples());
        checkAcknowledgedWrites(lab, sampler.nodes(), load);
        checkBootstrapsMostAdvanced(sampler.samples(), AuditEntry.ofKind(lab, hosts, "BOOTSTRAP_STARTED"));
        checkHealthOnlyWhenSynced(sampler, donorAllowed);
    }

    /** I1: no two nodes were Primary at the same time while neither listed the other as a member. */
    public static void checkOnePrimary(List<NodeSample> samples) {
        List<NodeSample> primaries = samples.stream().filter(NodeSample::primary).toList();
        for (NodeSample a : primaries) {
            for (NodeSample b : primaries) {
                if (a.node() >= b.node() || Math.abs(a.millis() - b.millis()) > SIMULTANEOUS_MILLIS) {
                    continue;
                }
                boolean apart = !a.members().contains(Lab.nodeAddress(b.node()))
                        && !b.members().contains(Lab.nodeAddress(a.node()));
                assertTrue(!apart, "I1 violated: n" + a.node() + " and n" + b.node()
                        + " were Primary in separate components at " + a.millis() + ": " + a + " / " + b);
            }
        }
    }

    /** I2: every acknowledged write is present on every node that is Synced now. */
    public static void checkAcknowledgedWrites(Lab lab, int nodes, WriteLoad load) {
        Set<Long> acknowledged = new HashSet<>();
        load.acks().forEach(ack -> acknowledged.add(ack.id()));
        int checked = 0;
        for (int node = 1; node <= nodes; node++) {
            Optional<Set<Long>> rows = rowsIfSynced(lab, node);
            if (rows.isEmpty()) {
                continue;
            }
            checked++;
            Set<Long> missing = new HashSet<>(acknowledged);
            missing.removeAll(rows.get());
            assertEquals(Set.of(), missing, "I2 violated: acknowledged writes missing on n" + node);
        }
        assertTrue(checked > 0, "I2 could not be checked: no node is Synced");
        assertTrue(!acknowledged.isEmpty(), "I2 could not be checked: no write was acknowledged");
    }

    private static Optional<Set<Long>> rowsIfSynced(Lab lab, int node) {
        try (Connection connection = lab.connect(node); Statement statement = connection.createStatement()) {
            try (ResultSet state = statement.executeQuery("SHOW GLOBAL STATUS LIKE 'wsrep_local_state'")) {
                if (!state.next() || state.getInt(2) != 4) {
                    return Optional.empty();
                }
            }
            Set<Long> ids = new HashSet<>();
            try (ResultSet rows = statement.executeQuery("SELECT id FROM " + WriteLoad.TABLE)) {
                while (rows.next()) {
                    ids.add(rows.getLong(1));
                }
            }
            return Optional.of(ids);
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    /**
     * I3: at each bootstrap, no other node's last sampled position of the same state UUID was ahead of
     * the bootstrapping node's last sampled position.
     */
    public static void checkBootstrapsMostAdvanced(List<NodeSample> samples, List<AuditEntry> bootstraps) {
        for (AuditEntry bootstrap : bootstraps) {
            int candidate = Integer.parseInt(bootstrap.node().substring(1));
            long at = bootstrap.time().toEpochMilli();
            NodeSample own = lastReachableBefore(samples, candidate, at);
            assertTrue(own != null, "I3 could not be checked: no sample of n" + candidate + " before its bootstrap");
            for (NodeSample other : lastReachablePerNode(samples, at)) {
                if (other.node() == candidate || !other.uuid().equals(own.uuid())) {
                    continue;
                }
                assertTrue(other.lastCommitted() <= own.lastCommitted(), "I3 violated: n" + candidate
                        + " bootstrapped at " + own.lastCommitted() + " but n" + other.node() + " was at "
                        + other.lastCommitted());
            }
        }
    }

    /**
     * I4: every 200 from the health endpoint follows a Synced Primary sample of that node (Donor where
     * allowed) within the health contract's lag. Samples that timed out say nothing about the server and
     * are left out; a refused connection counts as a server that is down.
     */
    public static void checkHealthOnlyWhenSynced(ClusterSampler sampler, boolean donorAllowed) {
        List<NodeSample> samples = sampler.samples();
        for (HealthSample answer : sampler.health()) {
            if (answer.code() != 200) {
                continue;
            }
            List<NodeSample> window = samples.stream().filter(sample -> sample.node() == answer.node()
                    && sample.millis() >= answer.millis() - HEALTH_LAG_MILLIS && sample.millis() <= answer.millis() + 200
                    && (sample.reachable() || sample.refused())).toList();
            boolean justified = window.isEmpty() || window.stream().anyMatch(sample -> sample.primary()
                    && (sample.state() == 4 || donorAllowed && sample.state() == 2));
            assertTrue(justified, "I4 violated: n" + answer.node() + " answered 200 (" + answer.body() + ") at "
                    + answer.millis() + " without being Synced Primary in the preceding " + HEALTH_LAG_MILLIS
                    + " ms: " + window);
        }
    }

    private static NodeSample lastReachableBefore(List<NodeSample> samples, int node, long millis) {
        NodeSample found = null;
        for (NodeSample sample : samples) {
            if (sample.node() == node && sample.reachable() && sample.millis() <= millis) {
                found = sample;
            }
        }
        return found;
    }

    private static List<NodeSample> lastReachablePerNode(List<NodeSample> samples, long millis) {
        List<NodeSample> result = new ArrayList<>();
        Set<Integer> nodes = new HashSet<>();
        samples.forEach(sample -> nodes.add(sample.node()));
        for (int node : nodes) {
            NodeSample last = lastReachableBefore(samples, node, millis);
            if (last != null) {
                result.add(last);
            }
        }
        return result;
    }
}
