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

/** Two data nodes and an arbitrator agent, no garbd: losing one server costs quorum, and the agent restores it. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoNodeFailoverIT extends LabScenario {

    private static final List<String> HOSTS = List.of("n1", "n2", "arb");

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
    void observeModeLogsWithoutActing() {
        for (String host : HOSTS) {
            lab.run("agent-stop", host);
            lab.run("agent-start", host, "warden.mode=observe");
        }
        lab.run("db-kill", "2");
        Await.until(Duration.ofSeconds(30), "n1 leaves the Primary component",
                () -> sampler.latest(1).map(sample -> !sample.primary()).orElse(false));
        Await.until(Duration.ofSeconds(30), "n1 logs the bootstrap it would run",
                () -> lab.agentLogText("n1").contains("observe mode: would bootstrap"));
        Await.holds(Duration.ofSeconds(5), "n1 stays non-Primary in observe mode",
                () -> sampler.latest(1).map(sample -> !sample.primary()).orElse(false));
        assertEquals(1, AuditEntry.ofKind(lab, HOSTS, "BOOTSTRAP_STARTED").size(), "bootstraps in observe mode");
        // Acting again, n1 restores the Primary Component by the fallback: a restart as a new cluster.
        lab.run("agent-stop", "n1");
        lab.run("agent-start", "n1", "warden.recovery.bootstrap-method=restart");
        Await.until(Duration.ofSeconds(90), "n1 bootstraps once it acts",
                () -> sampler.latest(1).map(NodeSample::syncedPrimary).orElse(false));
        Await.until(Duration.ofSeconds(30), "the restart is journaled as done",
                () -> AuditEntry.ofKind(lab, HOSTS, "BOOTSTRAP_DONE").size() == 2);
        assertTrue(lab.agentLogText("n1").contains("running the new-cluster command"), "n1 ran the new-cluster command");
        lab.run("db-start", "2");
        lab.run("wait-synced", "2");
    }

    @Test
    @Order(4)
    void invariantsHold() {
        load.close();
        sampler.close();
        Invariants.checkAll(lab, sampler, load, HOSTS, false);
    }
}
