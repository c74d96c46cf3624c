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

/** Three data nodes, each agent a voter: a rejoin without bootstrap, two lost servers, two lost hosts. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ThreeNodeIT extends LabScenario {

    private static final List<String> HOSTS = List.of("n1", "n2", "n3");

    @BeforeAll
    static void startScenario() {
        startCluster(3);
        for (String host : HOSTS) {
            lab.run("agent-start", host);
        }
        startLoad(3);
    }

    @Test
    @Order(1)
    void restartedNodeRejoinsWithoutBootstrap() {
        lab.run("db-kill", "2");
        Await.until(Duration.ofSeconds(30), "n1 and n3 continue as a Primary component of two",
                () -> sampler.latest(1).map(s -> s.primary() && s.members().size() == 2).orElse(false));
        lab.run("db-start", "2");
        lab.run("wait-synced", "2");
        Await.until(Duration.ofSeconds(30), "all three nodes are Synced", () -> synced(1) && synced(2) && synced(3));
        assertEquals(0, AuditEntry.ofKind(lab, HOSTS, "BOOTSTRAP_STARTED").size(), "bootstraps during the rejoin");
    }

    @Test
    @Order(2)
    void survivorOfTwoLostServersBootstraps() {
        lab.run("db-kill", "2");
        lab.run("db-kill", "3");
        Await.until(Duration.ofSeconds(30), "n1 leaves the Primary component", () -> !primary(1));
        long nonPrimaryAt = System.currentTimeMillis();
        Await.until(Duration.ofSeconds(60), "n1 is Primary again and writes resume",
                () -> synced(1) && load.firstAckAfter(nonPrimaryAt) > 0);
        Await.until(Duration.ofSeconds(10), "the bootstrap is journaled as done",
                () -> AuditEntry.ofKind(lab, HOSTS, "BOOTSTRAP_DONE").size() == 1);
        assertEquals("n1", AuditEntry.ofKind(lab, HOSTS, "BOOTSTRAP_STARTED").get(0).node(), "bootstrapping node");
        lab.run("db-start", "2");
        lab.run("db-start", "3");
        Await.until(Duration.ofSeconds(120), "all three nodes are Synced", () -> synced(1) && synced(2) && synced(3));
    }

    @Test
    @Order(3)
    void invariantsHoldAfterRejoin() {
        Invariants.checkAll(lab, sampler, load, HOSTS, false);
    }

    @Test
    @Order(4)
    void survivorOfTwoLostHostsDoesNotBootstrap() {
        int bootstrapsBefore = AuditEntry.ofKind(lab, HOSTS, "BOOTSTRAP_STARTED").size();
        lab.run("host-lose", "n2");
        lab.run("host-lose", "n3");
        Await.until(Duration.ofSeconds(30), "n1 leaves the Primary component and answers 503",
                () -> !primary(1) && sampler.latestHealth(1).map(h -> h.code() == 503).orElse(false));
        Await.holds(Duration.ofSeconds(25), "n1 stays non-Primary and answers 503",
                () -> !primary(1) && sampler.latestHealth(1).map(h -> h.code() == 503).orElse(false));
        assertEquals(bootstrapsBefore, AuditEntry.ofKind(lab, HOSTS, "BOOTSTRAP_STARTED").size(),
                "bootstraps without a majority");
        assertTrue(lab.agentLogText("n1").contains("lacks a majority of voters"),
                "n1 logs that it lacks a majority of voters");
        load.close();
        sampler.close();
        Invariants.checkOnePrimary(sampler.samples());
        Invariants.checkHealthOnlyWhenSynced(sampler, false);
    }


}
