package org.galerawarden.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Measures two data nodes with node 2's server killed, over {@code benchmark.runs} runs (default 5): without
 * garbd, the time from the kill to the first write acknowledged through HAProxy, and the resident memory
 * and CPU use of the idle agents; with garbd supervised by the arbitrator agent, the longest gap between
 * acknowledged writes around the kill. Prints numbers and asserts nothing about them; {@code lab/benchmark}
 * runs it.
 */
class FailoverBenchmark {

    private static final List<String> HOSTS = List.of("n1", "n2", "arb");

    @Test
    void killToFirstWrite() throws IOException {
        int runs = Integer.getInteger("benchmark.runs", 5);
        List<Long> recoveries = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            try (Lab lab = new Lab()) {
                long millis = runOnce(lab, run == runs);
                recoveries.add(millis);
                System.out.printf("run %d: kill to first acknowledged write %d ms%n", run, millis);
            }
        }
        Collections.sort(recoveries);
        System.out.printf("kill to first acknowledged write over %d runs: median %d ms, min %d ms, max %d ms%n",
                runs, median(recoveries), recoveries.get(0), recoveries.get(recoveries.size() - 1));
    }

    @Test
    void garbdWriteGap() {
        int runs = Integer.getInteger("benchmark.runs", 5);
        List<Long> gaps = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            try (Lab lab = new Lab()) {
                long millis = runWithGarbd(lab);
                gaps.add(millis);
                System.out.printf("run %d: longest write gap around the kill with garbd %d ms%n", run, millis);
            }
        }
        Collections.sort(gaps);
        System.out.printf("longest write gap with garbd over %d runs: median %d ms, min %d ms, max %d ms%n", runs,
                median(gaps), gaps.get(0), gaps.get(gaps.size() - 1));
    }

    private static long runWithGarbd(Lab lab) {
        lab.up(2, "--arbitrator", "--garbd");
        lab.run("cluster-start");
        lab.run("haproxy-start");
        lab.run("agent-start", "n1");
        lab.run("agent-start", "n2");
        lab.run("agent-start", "arb", "warden.garbd.enabled=true");
        try (WriteLoad load = WriteLoad.start(lab, 20_000)) {
            Await.until(Duration.ofSeconds(60), "garbd joins: n1's component has three members",
                    () -> clusterSize(lab) == 3);
            Await.until(Duration.ofSeconds(30), "writes flow through HAProxy", () -> load.acks().size() >= 20);
            long killedAt = System.currentTimeMillis();
            lab.run("db-kill", "2");
            Await.until(Duration.ofSeconds(60), "a write is acknowledged 10 s or more after the kill",
                    () -> load.firstAckAfter(killedAt + 10_000) > 0);
            return longestGapAround(load.acks(), killedAt);
        }
    }

    private static int clusterSize(Lab lab) {
        String output = lab.run("sql", "1", "SHOW GLOBAL STATUS LIKE 'wsrep_cluster_size'").strip();
        return Integer.parseInt(output.substring(output.lastIndexOf('\t') + 1).strip());
    }

    /** Returns the longest time between consecutive acknowledgements from 1 s before the kill on. */
    private static long longestGapAround(List<WriteLoad.Ack> acks, long killedAt) {
        long longest = 0;
        for (int i = 1; i < acks.size(); i++) {
            if (acks.get(i).millis() >= killedAt - 1_000) {
                longest = Math.max(longest, acks.get(i).millis() - acks.get(i - 1).millis());
            }
        }
        return longest;
    }

    private static long runOnce(Lab lab, boolean measureIdle) throws IOException {
        lab.up(2, "--arbitrator");
        lab.run("cluster-start");
        lab.run("haproxy-start");
        for (String host : HOSTS) {
            lab.run("agent-start", host);
        }
        if (measureIdle) {
            // Only the agents' own probes, peer polls and HAProxy's checks run while this measures.
            measureIdleAgents(lab);
        }
        try (ClusterSampler sampler = new ClusterSampler(lab, 2); WriteLoad load = WriteLoad.start(lab, 20_000)) {
            Await.until(Duration.ofSeconds(30), "writes flow through HAProxy", () -> load.acks().size() >= 20);
            long killedAt = System.currentTimeMillis();
            lab.run("db-kill", "2");
            Await.until(Duration.ofSeconds(30), "n1 leaves the Primary component",
                    () -> sampler.latest(1).map(sample -> !sample.primary()).orElse(false));
            long nonPrimaryAt = System.currentTimeMillis();
            Await.until(Duration.ofSeconds(60), "a write is acknowledged again",
                    () -> load.firstAckAfter(nonPrimaryAt) > 0);
            return load.firstAckAfter(nonPrimaryAt) - killedAt;
        }
    }

    /** Prints each agent's resident memory and its CPU use over 30 s, after 30 s of warm-up. */
    private static void measureIdleAgents(Lab lab) throws IOException {
        ClusterSampler.sleep(30_000);
        List<String> pids = new ArrayList<>();
        List<Long> startTicks = new ArrayList<>();
        for (String host : HOSTS) {
            String pid = Files.readString(lab.hostDir(host).resolve("agent.pid")).strip();
            pids.add(pid);
            startTicks.add(cpuTicks(pid));
        }
        ClusterSampler.sleep(30_000);
        for (int i = 0; i < HOSTS.size(); i++) {
            long ticks = cpuTicks(pids.get(i)) - startTicks.get(i);
            double percent = ticks / 100.0 / 30.0 * 100.0;
            System.out.printf("idle agent %s: resident memory %d MB, CPU %.1f %% of one core over 30 s%n",
                    HOSTS.get(i), residentKilobytes(pids.get(i)) / 1024, percent);
        }
    }

    /** Returns utime + stime of a process in clock ticks (100 per second on Linux). */
    private static long cpuTicks(String pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", pid, "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static long residentKilobytes(String pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private static long median(List<Long> sorted) {
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}
