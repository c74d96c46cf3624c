package org.galerawarden.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two data nodes and an arbitrator agent, no garbd: a cut link between the data nodes, and a bootstrapped
 * node cut off from every voter, which must fence itself within its lease.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoNodePartitionIT extends LabScenario {

    private static final List<String> HOSTS = List.of("n1", "n2", "arb");
    private static final long LEASE_MILLIS = 10_000;
    private static final long CLOCK_MARGIN_MILLIS = 2_000;


    @BeforeAll
    static void startScenario() {
        startCluster(2, "--arbitrator");
        for (String host : HOSTS) {
            lab.run("agent-start", host);
        }
        startLoad(2);
    }

    @Test
    @Order(1)
    void cutLinkLeavesExactlyOnePrimary() {
        lab.run("cut", "n1", "n2");
        Await.until(Duration.ofSeconds(30), "both nodes leave the Primary component",
                () -> !primary(1) && !primary(2));
        Await.until(Duration.ofSeconds(60), "one side becomes Primary again", () -> primary(1) || primary(2));
        int winner = primary(1) ? 1 : 2;
        int loser = 3 - winner;
        Await.holds(Duration.ofSeconds(10), "n" + loser + " stays non-Primary and answers 503",
                () -> !primary(loser) && sampler.latestHealth(loser).map(h -> h.code() == 503).orElse(false));
        assertEquals(1, AuditEntry.ofKind(lab, HOSTS, "BOOTSTRAP_STARTED").size(), "bootstraps during the cut");
        assertEquals("n" + winner, AuditEntry.ofKind(lab, HOSTS, "BOOTSTRAP_STARTED").get(0).node(),
                "the Primary side is the side that bootstrapped");
    }

    @Test
    @Order(2)
    void healedLinkMergesBothSides() {
        lab.run("heal", "n1", "n2");
        Await.until(Duration.ofSeconds(90), "both nodes are Synced in one Primary component",
                () -> synced(1) && synced(2) && sampler.latest(1).get().members().size() == 2);
        assertEquals(1, AuditEntry.ofKind(lab, HOSTS, "BOOTSTRAP_STARTED").size(), "no second bootstrap after healing");
    }

    @Test
    @Order(3)
    void isolatedBootstrappedNodeFencesWithinLease() {
        lab.run("db-kill", "2");
        Await.until(Duration.ofSeconds(60), "n1 bootstraps alone",
                () -> AuditEntry.ofKind(lab, HOSTS, "BOOTSTRAP_DONE").size() == 2 && primary(1));
        long isolatedAt = System.currentTimeMillis();
        lab.run("isolate", "n1");
        Await.until(Duration.ofSeconds(30), "n1 fences itself", () -> !sampler.latest(1).get().reachable());
        long fencedAfter = System.currentTimeMillis() - isolatedAt;
        System.out.println("scenario e: isolation to fence: " + fencedAfter + " ms");
        assertTrue(fencedAfter <= LEASE_MILLIS + CLOCK_MARGIN_MILLIS, "n1 fenced " + fencedAfter
                + " ms after the isolation, later than its lease and the voters' margin");
        Await.until(Duration.ofSeconds(10), "the fence is journaled as done",
                () -> AuditEntry.ofKind(lab, List.of("n1"), "FENCE_DONE").size() == 1);
    }

    @Test
    @Order(4)
    void otherSideDoesNotBootstrapBehindTheFencedNode() {
        Await.holds(Duration.ofSeconds(15), "nobody else bootstraps while n1 is fenced and n2 is behind",
                () -> AuditEntry.ofKind(lab, HOSTS, "BOOTSTRAP_STARTED").size() == 2);
        assertTrue(!lab.agentLogText("arb").contains("grant GRANTED for n2"), "the arbitrator granted n2");
    }

    @Test
    @Order(5)
    void operatorRestartKeepsEveryWrite() {
        lab.run("heal-all");
        lab.run("db-start", "1", "--new-cluster");
        lab.run("db-start", "2");
        Await.until(Duration.ofSeconds(90), "both nodes are Synced in one Primary component",
                () -> synced(1) && synced(2));
    }

    @Test
    @Order(6)
    void invariantsHold() {
        load.close();
        sampler.close();
        Invariants.checkAll(lab, sampler, load, HOSTS, false);
    }


}
