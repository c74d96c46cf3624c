package org.galerawarden.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Two data nodes and an arbitrator agent, no garbd: losing one server costs quorum, and the agent restores it. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoNodeFailoverIT {

    private static final List<String> HOSTS = List.of("n1", "n2", "arb");

    private static Lab lab;
    private static ClusterSampler sampler;
    private static WriteLoad load;

    @BeforeAll
    static void startCluster() {
        lab = new Lab();
        lab.up(2, "--arbitrator");
        lab.run("cluster-start");
        lab.run("haproxy-start");
        for (String host : HOSTS) {
            lab.run("agent-start", host);
        }
        sampler = new ClusterSampler(lab, 2);
        load = WriteLoad.start(lab, 20_000);
        Await.until(Duration.ofSeconds(30), "writes flow through HAProxy", () -> load.acks().size() >= 20);
    }

    @AfterAll
    static void stopCluster() {
        if (load != null) {
            load.close();
        }
        if (sampler != null) {
            sampler.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    @Order(1)
    void killedServerIsReplacedByBootstrap() {
        long killedAt = System.currentTimeMillis();
        lab.run("db-kill", "2");
        Await.until(Duration.ofSeconds(30), "n1 notices the loss and leaves the Primary component",
                () -> sampler.latest(1).map(sample -> !sample.primary()).orElse(false));
        long nonPrimaryAt = System.currentTimeMillis();
        Await.until(Duration.ofSeconds(60), "n1 is Primary again and a write is acknowledged",
                () -> load.firstAckAfter(nonPrimaryAt) > 0
                        && sampler.latest(1).map(NodeSample::syncedPrimary).orElse(false));
        long recovery = load.firstAckAfter(nonPrimaryAt) - killedAt;
        System.out.println("scenario a: kill to first acknowledged write: " + recovery + " ms");
        Await.until(Duration.ofSeconds(30), "the bootstrap is journaled as done",
                () -> AuditEntry.ofKind(lab, HOSTS, "BOOTSTRAP_DONE").size() == 1);
        assertEquals(1, AuditEntry.ofKind(lab, HOSTS, "BOOTSTRAP_STARTED").size(), "bootstraps after the kill");
    }

    @Test
    @Order(2)
    void restartedServerRejoinsWithoutBootstrap() {
        lab.run("db-start", "2");
        lab.run("wait-synced", "2");
        Await.until(Duration.ofSeconds(30), "n2 answers 200", () -> sampler.latestHealth(2)
                .map(sample -> sample.code() == 200).orElse(false));
        Await.holds(Duration.ofSeconds(8), "no second bootstrap",
                () -> AuditEntry.ofKind(lab, HOSTS, "BOOTSTRAP_STARTED").size() == 1);
        assertTrue(sampler.latest(2).map(NodeSample::syncedPrimary).orElse(false), "n2 is Synced Primary");
    }

    @Test
    @Order(3)
    void invariantsHold() {
        load.close();
        sampler.close();
        Invariants.checkAll(lab, sampler, load, HOSTS, false);
    }
}
