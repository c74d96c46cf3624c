package org.galerawarden.lab;

import static org.galerawarden.lab.ColdStartLab.HOSTS;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The frame of the restart-from-cold scenarios: three data nodes under write load whose agents start
 * their own servers, and the invariants checked after the last scenario of a class.
 */
abstract class ColdStartScenario extends LabScenario {

    static final Duration SYNC_LIMIT = Duration.ofSeconds(150);
    static final List<Integer> NODES = List.of(1, 2, 3);

    @BeforeAll
    static void startScenario() {
        startCluster(3);
        ColdStartLab.createExtraTable(lab);
        ColdStartLab.startAgents(lab, NODES);
        startLoad(3);
    }

    @Test
    @Order(99)
    void invariantsHold() {
        load.close();
        sampler.close();
        Invariants.checkAll(lab, sampler, load, HOSTS, false);
    }

    /** Waits for 20 more acknowledged writes, so the next power loss hits a cluster under load. */
    static void awaitNewWrites() {
        int before = load.acks().size();
        Await.until(Duration.ofSeconds(30), "20 more writes are acknowledged", () -> load.acks().size() >= before + 20);
    }
}
