package org.galerawarden.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The agent killed in the middle of a recovery and restarted: it settles its intent and bootstraps once. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentRestartIT extends LabScenario {

    private static final List<String> HOSTS = List.of("n1", "n2", "arb");

    @BeforeAll
    static void startScenario() {
        startCluster(2, "--arbitrator");
        lab.run("agent-start", "n1", "warden.recovery.intent-delay=8s");
        lab.run("agent-start", "n2");
        lab.run("agent-start", "arb");
        startLoad(2);
    }

    @Test
    @Order(1)
    void agentKilledAfterIntentBootstrapsOnce() {
        lab.run("db-kill", "2");
        Await.until(Duration.ofSeconds(60), "n1 journals its bootstrap intent",
                () -> AuditEntry.ofKind(lab, HOSTS, "BOOTSTRAP_STARTED").size() == 1);
        lab.run("agent-kill", "n1");
        assertTrue(!primary(1), "the bootstrap had not run when the agent was killed");
        lab.run("agent-start", "n1");
        Await.until(Duration.ofSeconds(60), "n1 is Primary again",
                () -> sampler.latest(1).map(NodeSample::syncedPrimary).orElse(false));
        Await.until(Duration.ofSeconds(10), "the new bootstrap is journaled as done",
                () -> AuditEntry.ofKind(lab, HOSTS, "BOOTSTRAP_DONE").size() == 1);
        assertEquals(1, AuditEntry.ofKind(lab, HOSTS, "BOOTSTRAP_ABANDONED").size(), "abandoned intents");
        assertEquals(1, countInGaleraLog(1, "bootstrap = yes"), "bootstraps that Galera performed");
    }

    @Test
    @Order(2)
    void agentKilledWhileLeadingKeepsItsLease() {
        int bootstrapsBefore = AuditEntry.ofKind(lab, HOSTS, "BOOTSTRAP_STARTED").size();
        lab.run("agent-kill", "n1");
        lab.run("agent-start", "n1");
        Await.until(Duration.ofSeconds(10), "the restarted agent restores its lease",
                () -> lab.agentLogText("n1").contains("restored the held lease"));
        Await.holds(Duration.ofSeconds(15), "n1 stays Primary under its renewed lease", () -> primary(1));
        assertEquals(bootstrapsBefore, AuditEntry.ofKind(lab, HOSTS, "BOOTSTRAP_STARTED").size(),
                "bootstraps after the restart");
        assertEquals(1, countInGaleraLog(1, "bootstrap = yes"), "bootstraps that Galera performed");
    }

    @Test
    @Order(3)
    void invariantsHold() {
        lab.run("db-start", "2");
        Await.until(Duration.ofSeconds(90), "n2 rejoins", () -> sampler.latest(2).map(NodeSample::syncedPrimary)
                .orElse(false));
        load.close();
        sampler.close();
        Invariants.checkAll(lab, sampler, load, HOSTS, false);
    }


    /** Counts lines of the node's MariaDB error log that contain the text, after the cluster's first start. */
    private static long countInGaleraLog(int node, String text) {
        try {
            List<String> lines = Files.readAllLines(lab.hostDir("n" + node).resolve("error.log"));
            return lines.stream().filter(line -> line.contains("New COMPONENT") && line.contains(text)).count();
        } catch (IOException e) {
            throw new IllegalStateException("reading the error log of n" + node + " failed", e);
        }
    }
}
