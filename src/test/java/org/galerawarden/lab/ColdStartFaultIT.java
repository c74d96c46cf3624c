package org.galerawarden.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.galerawarden.model.Position;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Restarts from cold that go wrong on the way: a position recovery that hangs, an agent killed after it
 * journaled its new-cluster intent or while its server starts, and a host that does not come back. The
 * first three scenarios delete {@code gvwstate.dat}, so the agents choose a node rather than leave the
 * restart to {@code pc.recovery}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ColdStartFaultIT extends ColdStartScenario {

    @Test
    @Order(1)
    void hungRecoveryKeepsOthersWaiting() throws IOException {
        awaitNewWrites();
        // n3 falls behind, so a node that does not know the winner's position could pick a wrong one.
        ColdStartLab.loseNode(lab, sampler, 3);
        ColdStartLab.insertRows(lab, 1, 1_000, 50);
        ColdStartLab.powerLoss(lab, 1, 2);
        long lostAt = System.currentTimeMillis();
        ColdStartLab.deleteViews(lab, 3);
        Map<Integer, Position> positions = ColdStartLab.recoverPositions(lab, 1, 2, 3);
        int winner = ColdStartLab.expectedWinner(positions, Set.of());
        assertNotEquals(3, winner, "expected winner");
        Path hang = lab.hostDir("n" + winner).resolve("recover-hang");
        Files.createFile(hang);
        Map<Integer, Long> startsBefore = ColdStartLab.newClusterStartsByNode(lab, 3);
        Instant since = Instant.now();

        List<Integer> others = NODES.stream().filter(node -> node != winner).toList();
        ColdStartLab.parallel(List.of(
                () -> ColdStartLab.startAgents(lab, List.of(winner), "warden.cold-start.recover-timeout=4s",
                        "warden.cold-start.recover-retry=2s"),
                () -> ColdStartLab.startAgents(lab, others)));
        Await.until(Duration.ofSeconds(60), "n" + winner + " fails to recover its position three times",
                () -> ColdStartLab.entriesSince(lab, since, "POSITION_UNKNOWN").stream()
                        .filter(entry -> entry.node().equals("n" + winner)).count() >= 3);
        assertEquals(List.of(), ColdStartLab.entriesSince(lab, since, "NEW_CLUSTER_STARTED", "START_STARTED"),
                "starts while the position of n" + winner + " is unknown");
        assertTrue(lab.agentLogText("n" + winner).contains("timed out after 4 s"),
                "n" + winner + " logs the recovery timeout");
        Files.delete(hang);
        ColdStartLab.awaitAllSynced(sampler, "after a hung position recovery", since.toEpochMilli(), SYNC_LIMIT);

        ColdStartLab.assertOneNewCluster(lab, since, startsBefore, winner);
        ColdStartLab.assertChoiceMadeOn(lab, since, positions);
        ColdStartLab.assertWritesSurvived(lab, load, 3, lostAt);
    }

    @Test
    @Order(2)
    void agentKilledAfterIntent() {
        awaitNewWrites();
        ColdStartLab.powerLoss(lab, 1, 2, 3);
        long lostAt = System.currentTimeMillis();
        ColdStartLab.deleteViews(lab, 3);
        Map<Integer, Position> positions = ColdStartLab.recoverPositions(lab, 1, 2, 3);
        int winner = ColdStartLab.expectedWinner(positions, Set.of());
        Map<Integer, Long> startsBefore = ColdStartLab.newClusterStartsByNode(lab, 3);
        Instant since = Instant.now();

        ColdStartLab.startAgents(lab, NODES, "warden.recovery.intent-delay=8s");
        Await.until(Duration.ofSeconds(90), "an agent journals its new-cluster intent",
                () -> !ColdStartLab.entriesSince(lab, since, "NEW_CLUSTER_STARTED").isEmpty());
        lab.run("agent-kill", "n" + winner);
        assertEquals(List.of("n" + winner), ColdStartLab.nodesOf(ColdStartLab.entriesSince(lab, since,
                "NEW_CLUSTER_STARTED")), "nodes with a new-cluster intent");
        assertEquals(startsBefore, ColdStartLab.newClusterStartsByNode(lab, 3), "new-cluster starts before the restart");
        ColdStartLab.startAgents(lab, List.of(winner));
        ColdStartLab.awaitAllSynced(sampler, "with the agent killed after its intent", since.toEpochMilli(), SYNC_LIMIT);

        assertEquals(List.of("n" + winner), ColdStartLab.nodesOf(ColdStartLab.entriesSince(lab, since,
                "NEW_CLUSTER_ABANDONED")), "abandoned new-cluster intents");
        assertEquals(2, ColdStartLab.entriesSince(lab, since, "NEW_CLUSTER_STARTED").size(), "new-cluster intents");
        ColdStartLab.assertOneNewCluster(lab, since, startsBefore, winner);
        ColdStartLab.assertWritesSurvived(lab, load, 3, lostAt);
    }

    @Test
    @Order(3)
    void agentKilledDuringStart() {
        awaitNewWrites();
        ColdStartLab.powerLoss(lab, 1, 2, 3);
        long lostAt = System.currentTimeMillis();
        ColdStartLab.deleteViews(lab, 3);
        Map<Integer, Position> positions = ColdStartLab.recoverPositions(lab, 1, 2, 3);
        int winner = ColdStartLab.expectedWinner(positions, Set.of());
        Map<Integer, Long> startsBefore = ColdStartLab.newClusterStartsByNode(lab, 3);
        Instant since = Instant.now();

        ColdStartLab.startAgents(lab, NODES);
        Await.until(Duration.ofSeconds(90), "the server of n" + winner + " starts as a new cluster",
                () -> ColdStartLab.newClusterStarts(lab, winner) > startsBefore.get(winner));
        lab.run("agent-kill", "n" + winner);
        boolean answeredAtKill = primary(winner);
        System.out.println("agent n" + winner + " killed during its new-cluster start; server Primary then: "
                + answeredAtKill);
        ColdStartLab.startAgents(lab, List.of(winner));
        ColdStartLab.awaitAllSynced(sampler, "with the agent killed during the server start", since.toEpochMilli(),
                SYNC_LIMIT);

        assertEquals(List.of("n" + winner), ColdStartLab.nodesOf(ColdStartLab.entriesSince(lab, since,
                "NEW_CLUSTER_STARTED")), "new-cluster intents");
        ColdStartLab.assertOneNewCluster(lab, since, startsBefore, winner);
        assertTrue(lab.agentLogText("n" + winner).contains("found unsettled intent NEW_CLUSTER"),
                "the restarted agent settles the intent it left open");
        ColdStartLab.assertWritesSurvived(lab, load, 3, lostAt);
    }

    @Test
    @Order(4)
    void partialRestartAfterTimeout() {
        awaitNewWrites();
        ColdStartLab.powerLoss(lab, 1, 2, 3);
        long lostAt = System.currentTimeMillis();
        Map<Integer, Position> positions = ColdStartLab.recoverPositions(lab, 1, 2);
        int winner = ColdStartLab.expectedWinner(positions, Set.of());
        Map<Integer, Long> startsBefore = ColdStartLab.newClusterStartsByNode(lab, 3);
        Instant since = Instant.now();

        ColdStartLab.startAgents(lab, List.of(1, 2));
        Await.until(Duration.ofSeconds(60), "n1 and n2 wait and name n3", () -> waitsNamingN3(since, "n1")
                && waitsNamingN3(since, "n2"));
        Await.holds(Duration.ofSeconds(5), "n1 and n2 start nothing",
                () -> ColdStartLab.entriesSince(lab, since, "START_STARTED", "NEW_CLUSTER_STARTED").isEmpty());
        ColdStartLab.stopAgents(lab, List.of(1, 2));
        Instant partialSince = Instant.now();
        ColdStartLab.startAgents(lab, List.of(1, 2), "warden.recovery.allow-partial=true",
                "warden.recovery.unknown-position-timeout=10s");
        Await.until(Duration.ofSeconds(90), "n" + winner + " starts a new cluster",
                () -> !ColdStartLab.entriesSince(lab, partialSince, "NEW_CLUSTER_DONE").isEmpty());
        AuditEntry started = ColdStartLab.entriesSince(lab, partialSince, "NEW_CLUSTER_STARTED").get(0);
        assertTrue(Duration.between(partialSince, started.time()).toSeconds() >= 10,
                "the new-cluster start waited for the unknown-position timeout: " + started.time());
        Await.until(Duration.ofSeconds(90), "n1 and n2 are Synced", () -> synced(1) && synced(2));
        ColdStartLab.startAgents(lab, List.of(3));
        ColdStartLab.awaitAllSynced(sampler, "with two of three nodes and partial recovery", since.toEpochMilli(),
                SYNC_LIMIT);

        ColdStartLab.assertOneNewCluster(lab, since, startsBefore, winner);
        ColdStartLab.assertWritesSurvived(lab, load, 3, lostAt);
    }

    private static boolean waitsNamingN3(Instant since, String host) {
        return ColdStartLab.entriesSince(lab, since, "WAIT").stream()
                .anyMatch(entry -> entry.node().equals(host) && entry.reason().contains("n3"));
    }
}
