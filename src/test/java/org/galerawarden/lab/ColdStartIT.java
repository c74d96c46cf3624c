package org.galerawarden.lab;

import static org.galerawarden.lab.ColdStartLab.HOSTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.galerawarden.model.GrastateFile;
import org.galerawarden.model.Position;
import org.galerawarden.probe.GrastateParser;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three data nodes whose agents start their own servers, restarted after every server went down: the
 * choice of the node that starts a new cluster, and the restart that Galera's {@code pc.recovery} does
 * by itself. Each scenario cuts the power of every host (or stops every server) and starts the agents
 * only; the agents start the servers.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ColdStartIT extends ColdStartScenario {

    @Test
    @Order(1)
    void mostAdvancedNodeStartsNewCluster() {
        awaitNewWrites();
        ColdStartLab.powerLoss(lab, 1, 2, 3);
        long lostAt = System.currentTimeMillis();
        ColdStartLab.deleteViews(lab, 3);
        Map<Integer, Position> positions = ColdStartLab.recoverPositions(lab, 1, 2, 3);
        int expected = ColdStartLab.expectedWinner(positions, Set.of());
        Map<Integer, Long> startsBefore = ColdStartLab.newClusterStartsByNode(lab, 3);
        Instant since = Instant.now();

        ColdStartLab.startAgents(lab, NODES);
        ColdStartLab.awaitAllSynced(sampler, "after kill -9 without gvwstate.dat", since.toEpochMilli(), SYNC_LIMIT);

        ColdStartLab.assertOneNewCluster(lab, since, startsBefore, expected);
        ColdStartLab.assertChoiceMadeOn(lab, since, positions);
        ColdStartLab.assertWritesSurvived(lab, load, 3, lostAt);
    }

    /**
     * Every member of the last Primary view comes back with its {@code gvwstate.dat}, so Galera restores
     * the Primary by itself. n2's {@code grastate.dat} contains {@code seqno: abc}, which Galera reads as
     * seqno 0; the agent replaces it by the recovered position first, or n2 would diverge.
     */
    @Test
    @Order(2)
    void intactViewRestoresPrimaryWithoutBootstrap() {
        awaitNewWrites();
        ColdStartLab.powerLoss(lab, 1, 2, 3);
        long lostAt = System.currentTimeMillis();
        for (int node : NODES) {
            assertTrue(ColdStartLab.readDataFile(lab, node, "gvwstate.dat").contains("my_uuid"),
                    "n" + node + " keeps gvwstate.dat after kill -9");
        }
        ColdStartLab.damageSeqno(lab, 2);
        Map<Integer, Long> startsBefore = ColdStartLab.newClusterStartsByNode(lab, 3);
        Instant since = Instant.now();

        ColdStartLab.startAgents(lab, NODES);
        ColdStartLab.awaitAllSynced(sampler, "after kill -9 with gvwstate.dat (pc.recovery)", since.toEpochMilli(),
                SYNC_LIMIT);

        assertEquals(List.of(), ColdStartLab.entriesSince(lab, since, "NEW_CLUSTER_STARTED", "NEW_CLUSTER_DONE",
                "NEW_CLUSTER_FAILED", "NEW_CLUSTER_REFUSED"), "new-cluster entries");
        assertEquals(List.of(), ColdStartLab.entriesSince(lab, since, "BOOTSTRAP_STARTED", "BOOTSTRAP_DONE",
                "BOOTSTRAP_FAILED", "BOOTSTRAP_REFUSED"), "bootstrap entries");
        assertEquals(startsBefore, ColdStartLab.newClusterStartsByNode(lab, 3), "new-cluster starts in the error logs");
        Await.until(Duration.ofSeconds(10), "every agent journals its normal start as done",
                () -> ColdStartLab.entriesSince(lab, since, "START_DONE").size() == 3);
        assertTrue(lab.agentLogText("n2").contains("replaced it by the recovered position"),
                "n2 replaces its unparsable grastate.dat before the start");
        ColdStartLab.assertWritesSurvived(lab, load, 3, lostAt);
    }

    /** Checks the choice without {@code gvwstate.dat} when n1 is behind and comes back first. */
    @Test
    @Order(3)
    void laggingNodeBackFirstLoses() {
        awaitNewWrites();
        ColdStartLab.loseNode(lab, sampler, 1);
        // HAProxy now sends the write load to n2, and 500 more rows go straight to n2.
        ColdStartLab.insertRows(lab, 2, 1_000, 500);
        ColdStartLab.powerLoss(lab, 2, 3);
        long lostAt = System.currentTimeMillis();
        ColdStartLab.deleteViews(lab, 3);
        Map<Integer, Position> positions = ColdStartLab.recoverPositions(lab, 1, 2, 3);
        assertTrue(positions.get(1).seqno() + 500 <= Math.max(positions.get(2).seqno(), positions.get(3).seqno()),
                "n1 is at least 500 write-sets behind: " + positions);
        int expected = ColdStartLab.expectedWinner(positions, Set.of());
        Map<Integer, Long> startsBefore = ColdStartLab.newClusterStartsByNode(lab, 3);
        Instant since = Instant.now();

        ColdStartLab.startAgents(lab, List.of(1));
        Await.until(Duration.ofSeconds(60), "n1 recovers its position",
                () -> ColdStartLab.nodesOf(ColdStartLab.entriesSince(lab, since, "POSITION_RECOVERED")).contains("n1"));
        Await.holds(Duration.ofSeconds(5), "n1 starts nothing while n2 and n3 are down",
                () -> ColdStartLab.entriesSince(lab, since, "START_STARTED", "NEW_CLUSTER_STARTED").isEmpty());
        ColdStartLab.startAgents(lab, List.of(2, 3));
        ColdStartLab.awaitAllSynced(sampler, "with n1 behind and back first", since.toEpochMilli(), SYNC_LIMIT);

        assertNotEquals(1, expected, "expected winner");
        ColdStartLab.assertOneNewCluster(lab, since, startsBefore, expected);
        for (int node : NODES) {
            assertEquals(500, ColdStartLab.countRows(lab, node, 1_000, 500), "rows written to n2 found on n" + node);
        }
        ColdStartLab.assertWritesSurvived(lab, load, 3, lostAt);
    }

    /**
     * Damaged {@code grastate.dat} files: n2 falls behind and then contains the zero UUID, seqno -1 and
     * {@code safe_to_bootstrap: 1}, the most advanced node contains {@code seqno: abc}, and the third node
     * has no {@code grastate.dat}. Every position comes from {@code --wsrep-recover}. The views in
     * {@code gvwstate.dat} are deleted, so the agents choose.
     */
    @Test
    @Order(4)
    void damagedStateFilesUseRecoveredPositions() {
        awaitNewWrites();
        ColdStartLab.loseNode(lab, sampler, 2);
        ColdStartLab.insertRows(lab, 1, 2_000, 50);
        ColdStartLab.powerLoss(lab, 1, 3);
        long lostAt = System.currentTimeMillis();
        ColdStartLab.deleteViews(lab, 3);
        Map<Integer, Position> positions = ColdStartLab.recoverPositions(lab, 1, 2, 3);
        int expected = ColdStartLab.expectedWinner(positions, Set.of());
        assertNotEquals(2, expected, "expected winner");
        int third = expected == 1 ? 3 : 1;

        ColdStartLab.writeDataFile(lab, 2, "grastate.dat", "# GALERA saved state\nversion: 2.1\nuuid:    "
                + Position.ZERO_UUID + "\nseqno:   -1\nsafe_to_bootstrap: 1\n");
        ColdStartLab.damageSeqno(lab, expected);
        ColdStartLab.deleteDataFile(lab, third, "grastate.dat");
        Map<Integer, Long> startsBefore = ColdStartLab.newClusterStartsByNode(lab, 3);
        Instant since = Instant.now();

        ColdStartLab.startAgents(lab, NODES);
        ColdStartLab.awaitAllSynced(sampler, "with damaged grastate.dat files", since.toEpochMilli(), SYNC_LIMIT);

        List<String> recovered = ColdStartLab.nodesOf(ColdStartLab.entriesSince(lab, since, "POSITION_RECOVERED"));
        for (String host : HOSTS) {
            assertTrue(recovered.contains(host), host + " recovered its position with --wsrep-recover: " + recovered);
        }
        ColdStartLab.assertOneNewCluster(lab, since, startsBefore, expected);
        ColdStartLab.assertChoiceMadeOn(lab, since, positions);
        ColdStartLab.assertWritesSurvived(lab, load, 3, lostAt);
    }

    @Test
    @Order(5)
    void lastStoppedNodeStartsCluster() {
        awaitNewWrites();
        ColdStartLab.stopAgents(lab, NODES);
        // HAProxy marks every server down after two failed checks of 1 s, so no write lands after this.
        ClusterSampler.sleep(4000);
        long stoppedAt = System.currentTimeMillis();
        for (int node : NODES) {
            lab.run("db-stop", String.valueOf(node));
        }
        Map<Integer, Position> positions = new java.util.TreeMap<>();
        for (int node : NODES) {
            GrastateFile state = GrastateParser.read(ColdStartLab.dataFile(lab, node, "grastate.dat"));
            assertTrue(state.position().isPresent(), "n" + node + " saved its position at a clean stop: " + state);
            assertEquals(node == 3, state.safeToBootstrap(), "safe_to_bootstrap of n" + node + " after the stops");
            positions.put(node, state.position().get());
        }
        System.out.println("saved positions: " + positions);
        assertEquals(3, ColdStartLab.expectedWinner(positions, Set.of(3)), "expected winner");
        Map<Integer, Long> startsBefore = ColdStartLab.newClusterStartsByNode(lab, 3);
        Instant since = Instant.now();

        ColdStartLab.startAgents(lab, NODES);
        ColdStartLab.awaitAllSynced(sampler, "after clean stops", since.toEpochMilli(), SYNC_LIMIT);

        ColdStartLab.assertOneNewCluster(lab, since, startsBefore, 3);
        assertEquals(List.of(), ColdStartLab.entriesSince(lab, since, "POSITION_RECOVERED", "POSITION_UNKNOWN"),
                "position recoveries when grastate.dat holds the positions");
        ColdStartLab.assertWritesSurvived(lab, load, 3, stoppedAt);
    }
}
