package org.galerawarden.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.galerawarden.peer.auth.RequestSigner;
import org.galerawarden.peer.auth.SecretFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The HAProxy health contract on real servers: two data nodes and garbd, agents in observe mode so that
 * no recovery interferes. Each state must give the documented code and reason.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HealthIT extends LabScenario {

    private static final List<String> HOSTS = List.of("n1", "n2", "arb");
    private static final String OBSERVE = "warden.mode=observe";

    @BeforeAll
    static void startScenario() {
        startCluster(2, "--arbitrator", "--garbd");
        lab.run("garbd-start");
        for (String host : HOSTS) {
            lab.run("agent-start", host, OBSERVE, "warden.peers.arb.garbd=true");
        }
        startLoad(2);
    }

    @Test
    @Order(1)
    void syncedPrimaryAnswers200() {
        awaitHealth(1, 200, "Synced Primary: serving");
        awaitHealth(2, 200, "Synced Primary: serving");
    }

    @Test
    @Order(2)
    void readOnlyAnswers503UnlessAllowed() {
        lab.run("sql", "2", "SET GLOBAL read_only=ON");
        awaitHealth(2, 503, "read_only is ON");
        restartAgent("n2", "warden.health.allow-read-only=true");
        awaitHealth(2, 200, "read-only allowed");
        lab.run("sql", "2", "SET GLOBAL read_only=OFF");
        restartAgent("n2");
        awaitHealth(2, 200, "Synced Primary: serving");
    }

    @Test
    @Order(3)
    void maintenanceFileAndApiDrainTheNode() throws IOException, InterruptedException {
        Path file = lab.hostDir("n2").resolve("agent-state").resolve("maintenance");
        Files.writeString(file, "test\n");
        awaitHealth(2, 503, "maintenance");
        Files.delete(file);
        awaitHealth(2, 200, "Synced Primary");
        assertEquals(200, signedCall("PUT", "n2", "/maintenance"), "PUT /maintenance");
        awaitHealth(2, 503, "maintenance");
        assertEquals(200, signedCall("DELETE", "n2", "/maintenance"), "DELETE /maintenance");
        awaitHealth(2, 200, "Synced Primary");
    }

    @Test
    @Order(4)
    void donorAnswers503UnlessAllowed() {
        restartAgent("n1");
        observeDonorDuringSst("Donor/Desynced: serving a state transfer", 503);
        restartAgent("n1", "warden.health.allow-donor=true");
        observeDonorDuringSst("Donor allowed", 200);
        restartAgent("n1");
    }

    @Test
    @Order(5)
    void staleSnapshotAnswers503() {
        restartAgent("n2", "warden.db.connect-timeout=10s", "warden.db.query-timeout=10s");
        awaitHealth(2, 200, "Synced Primary");
        String pid = readPid(2);
        signal("STOP", pid);
        try {
            awaitHealth(2, 503, "unknown: the last probe is");
        } finally {
            signal("CONT", pid);
        }
        lab.run("db-kill", "2");
        lab.run("db-start", "2");
        lab.run("wait-synced", "2");
        restartAgent("n2");
        awaitHealth(2, 200, "Synced Primary");
    }

    @Test
    @Order(6)
    void nonPrimaryAnswers503() {
        lab.run("isolate", "n2");
        awaitHealth(2, 503, "not in the Primary component");
        lab.run("heal-all");
        Await.until(Duration.ofSeconds(90), "n2 rejoins", () -> sampler.latest(2).map(NodeSample::syncedPrimary)
                .orElse(false));
        awaitHealth(2, 200, "Synced Primary");
    }

    @Test
    @Order(7)
    void stoppedServerAnswers503() {
        lab.run("db-kill", "2");
        awaitHealth(2, 503, "down: the server does not answer");
        lab.run("db-start", "2");
        lab.run("wait-synced", "2");
        awaitHealth(2, 200, "Synced Primary");
    }

    @Test
    @Order(8)
    void invariantsHold() {
        load.close();
        sampler.close();
        Invariants.checkOnePrimary(sampler.samples());
        Invariants.checkAcknowledgedWrites(lab, 2, load);
        Invariants.checkHealthOnlyWhenSynced(sampler, true);
    }

    /** Forces a state transfer to n2, so n1 donates, until n1's health answer shows the Donor state. */
    private static void observeDonorDuringSst(String body, int code) {
        for (int attempt = 1; attempt <= 4; attempt++) {
            long started = System.currentTimeMillis();
            lab.run("db-stop", "2");
            try {
                Files.deleteIfExists(lab.hostDir("n2").resolve("data").resolve("grastate.dat"));
            } catch (IOException e) {
                throw new IllegalStateException("deleting grastate.dat of n2 failed", e);
            }
            lab.run("db-start", "2");
            lab.run("wait-synced", "2");
            boolean seen = sampler.health().stream().anyMatch(h -> h.node() == 1 && h.millis() >= started
                    && h.code() == code && h.body().contains(body));
            if (seen) {
                return;
            }
        }
        throw new AssertionError("n1 never answered " + code + " \"" + body + "\" during four state transfers");
    }

    private static void awaitHealth(int node, int code, String body) {
        Await.until(Duration.ofSeconds(30), "n" + node + " answers " + code + " with \"" + body + "\"",
                () -> sampler.latestHealth(node).map(h -> h.code() == code && h.body().contains(body)).orElse(false));
    }

    private static void restartAgent(String host, String... properties) {
        lab.run("agent-stop", host);
        String[] args = new String[properties.length + 4];
        args[0] = "agent-start";
        args[1] = host;
        args[2] = OBSERVE;
        args[3] = "warden.peers.arb.garbd=true";
        System.arraycopy(properties, 0, args, 4, properties.length);
        lab.run(args);
    }

    private static String readPid(int node) {
        try {
            return Files.readString(lab.hostDir("n" + node).resolve("mysqld.pid")).strip();
        } catch (IOException e) {
            throw new IllegalStateException("reading the pid file of n" + node + " failed", e);
        }
    }

    private static void signal(String signal, String pid) {
        try {
            Process process = new ProcessBuilder("kill", "-" + signal, pid).inheritIO().start();
            process.waitFor();
        } catch (IOException e) {
            throw new IllegalStateException("kill -" + signal + " " + pid + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends a request signed like a peer's, as the arbitrator, and returns the status code. */
    private static int signedCall(String method, String host, String path) throws IOException, InterruptedException {
        byte[] secret;
        try {
            secret = SecretFile.load(lab.secretFile());
        } catch (org.galerawarden.peer.auth.InvalidSecretException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        RequestSigner signer = new RequestSigner(secret, Clock.systemUTC(), RequestSigner.randomNonces(new SecureRandom()));
        RequestSigner.SignedHeaders signed = signer.sign("arb", method, path, new byte[0]);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(Lab.agentUrl(host) + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(5));
        for (Map.Entry<String, String> header : signed.asMap().entrySet()) {
            request.header(header.getKey(), header.getValue());
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
