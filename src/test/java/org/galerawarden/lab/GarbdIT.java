package org.galerawarden.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.galerawarden.peer.auth.InvalidSecretException;
import org.galerawarden.peer.auth.RequestSigner;
import org.galerawarden.peer.auth.SecretFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two data nodes and an arbitrator agent that runs garbd itself ({@code warden.garbd.enabled=true}): a
 * lost data node costs no quorum, a killed garbd is restarted and counts again, configuration faults are
 * reported without disturbing the cluster, and without the arbitrator host the agents still recover
 * with two of three voters, but never with one.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GarbdIT extends LabScenario {

    private static final List<String> HOSTS = List.of("n1", "n2", "arb");
    private static final String GARBD_ON = "warden.garbd.enabled=true";
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void startScenario() {
        startCluster(2, "--arbitrator", "--garbd");
        lab.run("agent-start", "n1");
        lab.run("agent-start", "n2");
        lab.run("agent-start", "arb", GARBD_ON);
        awaitGarbdMember("garbd started by the agent");
        startLoad(2);
    }

    @Test
    @Order(1)
    void lostServerCostsNoQuorum() {
        long killedAt = System.currentTimeMillis();
        lab.run("db-kill", "2");
        Await.until(Duration.ofSeconds(30), "n1's component shrinks to n1 and garbd", () -> clusterSize(1) == 2);
        long shrunkAt = System.currentTimeMillis();
        Await.until(Duration.ofSeconds(30), "writes resume", () -> load.firstAckAfter(shrunkAt) > 0);
        Await.holds(Duration.ofSeconds(5), "n1 stays Synced Primary", () -> synced(1));

        assertNoNonPrimarySample(1, killedAt);
        long gap = longestGapAround(killedAt);
        System.out.println("part a: longest gap in acknowledged writes around the kill: " + gap + " ms (HAProxy "
                + haproxyCheckSettings() + ")");
        assertEquals(0, AuditEntry.ofKind(lab, HOSTS, "BOOTSTRAP_STARTED").size(), "bootstraps after the kill");

        rejoin(2);
        Invariants.checkAll(lab, sampler, load, HOSTS, false);
    }

    @Test
    @Order(2)
    void killedGarbdIsRestartedAndCounts() {
        long oldPid = garbdPid().orElseThrow();
        long garbdKilledAt = System.currentTimeMillis();
        kill(oldPid);
        Await.until(Duration.ofSeconds(60), "the agent restarts garbd and it rejoins the Primary Component",
                () -> garbdPid().map(pid -> pid != oldPid).orElse(false) && garbdMember() && clusterSize(1) == 3);
        System.out.println("part b: garbd killed to member again with cluster size 3: "
                + (System.currentTimeMillis() - garbdKilledAt) + " ms");
        assertTrue(lab.agentLogText("arb").contains("garbd (pid " + oldPid + ") exited with exit code 137"),
                "the agent logs garbd's exit with its code");

        long killedAt = System.currentTimeMillis();
        lab.run("db-kill", "2");
        Await.until(Duration.ofSeconds(30), "n1's component shrinks to n1 and garbd", () -> clusterSize(1) == 2);
        long shrunkAt = System.currentTimeMillis();
        Await.until(Duration.ofSeconds(30), "writes resume", () -> load.firstAckAfter(shrunkAt) > 0);
        assertNoNonPrimarySample(1, killedAt);
        System.out.println("part b: longest gap in acknowledged writes around the kill: " + longestGapAround(killedAt)
                + " ms");
        assertEquals(0, AuditEntry.ofKind(lab, HOSTS, "BOOTSTRAP_STARTED").size(), "bootstraps after the kill");

        rejoin(2);
        Invariants.checkAll(lab, sampler, load, HOSTS, false);
    }

    @Test
    @Order(3)
    void unresolvablePeerNameReported() {
        long pid = garbdPid().orElseThrow();
        lab.run("agent-stop", "arb");
        assertFalse(running(pid), "garbd stops with the agent");
        Await.until(Duration.ofSeconds(30), "n1's component is n1 and n2", () -> clusterSize(1) == 2);

        lab.run("agent-start", "arb", GARBD_ON, "warden.garbd.address=gcomm://nosuch-node.invalid:4567");
        String expected = "garbd not started: garbd peer host 'nosuch-node.invalid' in gcomm://nosuch-node.invalid:4567"
                + " (warden.garbd.address) does not resolve";
        Await.until(Duration.ofSeconds(30), "the agent logs the unresolvable name",
                () -> logSinceLastStart("arb").contains(expected));
        assertTrue(logSinceLastStart("arb").contains("fix the name, add it to /etc/hosts, or use the node's IP address"),
                "the error gives the fix");
        assertTrue(garbdPid().isEmpty(), "no garbd runs");
        assertTrue(synced(1), "n1 stays Synced Primary");
        assertTrue(synced(2), "n2 stays Synced Primary");

        restartArbitrator();
        Invariants.checkAll(lab, sampler, load, HOSTS, false);
    }

    @Test
    @Order(4)
    void unusableWorkingDirectoryReported() throws IOException {
        Path notADirectory = lab.hostDir("arb").resolve("garbd-workdir-file");
        Files.writeString(notADirectory, "a regular file where garbd's working directory should be\n");
        lab.run("agent-stop", "arb");
        int bootstrapsBefore = AuditEntry.ofKind(lab, HOSTS, "BOOTSTRAP_STARTED").size();

        lab.run("agent-start", "arb", GARBD_ON, "warden.garbd.working-directory=" + notADirectory);
        String expected = "garbd not started: garbd working directory " + notADirectory
                + " (warden.garbd.working-directory) exists but is not a directory";
        Await.until(Duration.ofSeconds(30), "the agent logs the unusable working directory",
                () -> logSinceLastStart("arb").contains(expected));
        Await.holds(Duration.ofSeconds(10), "both data nodes stay Synced Primary and answer 200",
                () -> synced(1) && synced(2) && healthy(1) && healthy(2));
        assertEquals(bootstrapsBefore, AuditEntry.ofKind(lab, HOSTS, "BOOTSTRAP_STARTED").size(),
                "bootstraps while garbd could not start");
        assertTrue(garbdPid().isEmpty(), "no garbd runs");

        restartArbitrator();
        Invariants.checkAll(lab, sampler, load, HOSTS, false);
    }

    @Test
    @Order(5)
    void lostArbitratorHostLeavesTwoOfThreeVoters() {
        long pid = garbdPid().orElseThrow();
        lab.run("agent-kill", "arb");
        kill(pid);
        Await.until(Duration.ofSeconds(30), "n1's component is n1 and n2", () -> clusterSize(1) == 2);

        lab.run("db-kill", "2");
        Await.until(Duration.ofSeconds(30), "n1 leaves the Primary component", () -> !primary(1));
        long nonPrimaryAt = System.currentTimeMillis();
        Await.until(Duration.ofSeconds(60), "n1 bootstraps and writes resume",
                () -> synced(1) && load.firstAckAfter(nonPrimaryAt) > 0);
        Await.until(Duration.ofSeconds(30), "the bootstrap is journaled as done",
                () -> AuditEntry.ofKind(lab, HOSTS, "BOOTSTRAP_DONE").size() == 1);
        List<AuditEntry> bootstraps = AuditEntry.ofKind(lab, HOSTS, "BOOTSTRAP_STARTED");
        assertEquals(1, bootstraps.size(), "bootstraps");
        assertEquals("n1", bootstraps.get(0).node(), "bootstrapping node");
        assertTrue(bootstraps.get(0).reason().startsWith("2 grants, 2 needed"), bootstraps.get(0).reason());
        assertTrue(bootstraps.get(0).reason().contains("n2 granted"), bootstraps.get(0).reason());

        lab.run("db-start", "2");
        lab.run("wait-synced", "2");
        Await.until(Duration.ofSeconds(60), "both data nodes are Synced in one component",
                () -> synced(1) && synced(2) && clusterSize(1) == 2);
        Invariants.checkAcknowledgedWrites(lab, 2, load);

        lab.run("host-lose", "n2");
        Await.until(Duration.ofSeconds(30), "n1 leaves the Primary component and answers 503",
                () -> !primary(1) && sampler.latestHealth(1).map(h -> h.code() == 503).orElse(false));
        Await.holds(Duration.ofSeconds(25), "n1 stays non-Primary",
                () -> !primary(1) && sampler.latestHealth(1).map(h -> h.code() == 503).orElse(false));
        assertEquals(1, AuditEntry.ofKind(lab, HOSTS, "BOOTSTRAP_STARTED").size(), "bootstraps with one voter of three");
        assertTrue(lab.agentLogText("n1").contains("lacks a majority of voters"),
                "n1 logs that it lacks a majority of voters");

        load.close();
        sampler.close();
        Invariants.checkOnePrimary(sampler.samples());
        Invariants.checkBootstrapsMostAdvanced(sampler.samples(), AuditEntry.ofKind(lab, HOSTS, "BOOTSTRAP_STARTED"));
        Invariants.checkHealthOnlyWhenSynced(sampler, false);
    }

    /** Starts node {@code node}'s server again and waits until it is Synced and garbd counts again. */
    private static void rejoin(int node) {
        lab.run("db-start", String.valueOf(node));
        lab.run("wait-synced", String.valueOf(node));
        Await.until(Duration.ofSeconds(60), "all three members are back",
                () -> synced(1) && synced(node) && clusterSize(1) == 3);
    }

    /** Restarts the arbitrator agent with the lab's garbd settings and waits until garbd is a member. */
    private static void restartArbitrator() {
        lab.run("agent-stop", "arb");
        lab.run("agent-start", "arb", GARBD_ON);
        awaitGarbdMember("garbd started with the corrected settings");
    }

    private static void awaitGarbdMember(String what) {
        Await.until(Duration.ofSeconds(60), what + " is a member of the Primary Component",
                () -> garbdMember() && clusterSize(1) == 3);
        assertTrue(logSinceLastStart("arb").contains("became a member of the Primary Component"),
                "the agent logs that garbd became a member");
    }

    private static void assertNoNonPrimarySample(int node, long sinceMillis) {
        List<NodeSample> after = sampler.samples().stream()
                .filter(sample -> sample.node() == node && sample.millis() >= sinceMillis).toList();
        assertTrue(after.size() > 10, "too few samples of n" + node + " after the kill: " + after.size());
        for (NodeSample sample : after) {
            assertTrue(sample.primary(), "n" + node + " left the Primary component: " + sample);
        }
    }

    /** Returns the longest time between two acknowledged writes, from the last one before {@code millis} on. */
    private static long longestGapAround(long millis) {
        List<WriteLoad.Ack> acks = load.acks();
        long longest = 0;
        for (int i = 1; i < acks.size(); i++) {
            if (acks.get(i).millis() >= millis) {
                longest = Math.max(longest, acks.get(i).millis() - acks.get(i - 1).millis());
            }
        }
        return longest;
    }

    private static String haproxyCheckSettings() {
        try {
            return Files.readAllLines(lab.hostDir("lb").resolve("haproxy.cfg")).stream().map(String::strip)
                    .filter(line -> line.startsWith("default-server")).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown: " + e.getMessage();
        }
    }

    private static boolean healthy(int node) {
        return sampler.latestHealth(node).map(sample -> sample.code() == 200).orElse(false);
    }

    /** Returns {@code wsrep_cluster_size} of a node, or -1 when the query fails. */
    private static int clusterSize(int node) {
        try (Connection connection = lab.connect(node); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SHOW GLOBAL STATUS LIKE 'wsrep_cluster_size'")) {
            return rows.next() ? rows.getInt(2) : -1;
        } catch (SQLException e) {
            return -1;
        }
    }

    /** Returns the PID in the arbitrator agent's garbd pid file while that process runs. */
    private static Optional<Long> garbdPid() {
        Path file = lab.hostDir("arb").resolve("agent-state").resolve("garbd").resolve("garbd.pid");
        try {
            long pid = Long.parseLong(Files.readString(file).strip());
            return running(pid) ? Optional.of(pid) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void kill(long pid) {
        ProcessHandle handle = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no process " + pid));
        handle.destroyForcibly();
        Await.until(Duration.ofSeconds(10), "process " + pid + " exits after SIGKILL", () -> !running(pid));
    }

    /** Returns whether the process exists and is not a zombie, which PID 1 may never reap here. */
    private static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            char state = stat.substring(stat.lastIndexOf(')') + 1).strip().charAt(0);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    /** Returns the agent log of {@code host} from its last start on. */
    private static String logSinceLastStart(String host) {
        String log = lab.agentLogText(host);
        int start = log.lastIndexOf("=== agent-start");
        return start < 0 ? log : log.substring(start);
    }

    /** Returns whether the arbitrator's {@code GET /status} shows garbd in the Primary Component. */
    private static boolean garbdMember() {
        return garbdStatus().map(garbd -> garbd.path("member").asBoolean(false)).orElse(false);
    }

    /** Fetches the arbitrator's {@code garbd} status, signed like a request from n1. */
    private static Optional<JsonNode> garbdStatus() {
        try {
            byte[] secret = SecretFile.load(lab.secretFile());
            RequestSigner signer = new RequestSigner(secret, Clock.systemUTC(),
                    RequestSigner.randomNonces(new SecureRandom()));
            RequestSigner.SignedHeaders signed = signer.sign("n1", "GET", "/status", new byte[0]);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(Lab.agentUrl("arb") + "/status"))
                    .timeout(Duration.ofSeconds(2)).GET();
            for (Map.Entry<String, String> header : signed.asMap().entrySet()) {
                request.header(header.getKey(), header.getValue());
            }
            HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            JsonNode garbd = JSON.readTree(response.body()).path("garbd");
            return garbd.isMissingNode() || garbd.isNull() ? Optional.empty() : Optional.of(garbd);
        } catch (IOException | InvalidSecretException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
