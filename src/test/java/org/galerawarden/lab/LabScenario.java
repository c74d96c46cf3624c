package org.galerawarden.lab;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;

/**
 * The shared frame of the lab scenarios: one lab per test class, a sampler of every data node and a
 * write load through HAProxy, all stopped and torn down after the class even when a test failed.
 */
abstract class LabScenario {

    static Lab lab;
    static ClusterSampler sampler;
    static WriteLoad load;

    /** Creates the lab, starts the Galera cluster and HAProxy; agents are the caller's to start. */
    static void startCluster(int nodes, String... upOptions) {
        lab = new Lab();
        lab.up(nodes, upOptions);
        lab.run("cluster-start");
        lab.run("haproxy-start");
    }

    /** Starts the sampler and the write load, and waits until writes flow through HAProxy. */
    static void startLoad(int nodes) {
        sampler = new ClusterSampler(lab, nodes);
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
        load = null;
        sampler = null;
        lab = null;
    }

    static boolean primary(int node) {
        return sampler.latest(node).map(NodeSample::primary).orElse(false);
    }

    static boolean synced(int node) {
        return sampler.latest(node).map(NodeSample::syncedPrimary).orElse(false);
    }
}
