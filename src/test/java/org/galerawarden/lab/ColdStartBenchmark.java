package org.galerawarden.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Measures the restart of three data nodes after a power loss under write load, with {@code gvwstate.dat}
 * removed so that Galera cannot restore the Primary by itself: the time from starting the agents, which
 * start the servers, to all three nodes Synced in one Primary Component, over {@code benchmark.runs} runs
 * (default 5). Prints numbers and asserts nothing about them; {@code lab/benchmark} runs it.
 */
class ColdStartBenchmark {

    private static final int NODES = 3;
    private static final List<Integer> ALL = List.of(1, 2, 3);

    @Test
    void agentStartToAllSynced() {
        int runs = Integer.getInteger("benchmark.runs", 5);
        List<Long> times = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            try (Lab lab = new Lab()) {
                long millis = runOnce(lab, run);
                times.add(millis);
                System.out.printf("run %d: agent start to all %d nodes Synced %d ms%n", run, NODES, millis);
            }
        }
        Collections.sort(times);
        System.out.printf("restart from cold, agent start to all Synced over %d runs: median %d ms, min %d ms,"
                + " max %d ms%n", runs, times.get(times.size() / 2), times.get(0), times.get(times.size() - 1));
    }

    private static long runOnce(Lab lab, int run) {
        lab.up(NODES);
        lab.run("cluster-start");
        lab.run("haproxy-start");
        ColdStartLab.startAgents(lab, ALL);
        try (ClusterSampler sampler = new ClusterSampler(lab, NODES)) {
            try (WriteLoad load = WriteLoad.start(lab, 20_000)) {
                Await.until(Duration.ofSeconds(30), "writes flow through HAProxy", () -> load.acks().size() >= 200);
                ColdStartLab.powerLoss(lab, 1, 2, 3);
            }
            for (int node : ALL) {
                ColdStartLab.deleteDataFile(lab, node, "gvwstate.dat");
            }
            long started = System.currentTimeMillis();
            ColdStartLab.startAgents(lab, ALL);
            return ColdStartLab.awaitAllSynced(sampler, "benchmark run " + run, started, Duration.ofSeconds(180))
                    .toMillis();
        }
    }
}
