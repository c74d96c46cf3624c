package org.galerawarden.status;

import static org.galerawarden.testing.SignedRequests.signed;
import static org.galerawarden.testing.SignedRequests.unsigned;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import org.galerawarden.peer.PeerPaths;
import org.galerawarden.peer.auth.RequestSigner;
import org.galerawarden.testing.ArbitratorAgent;
import org.galerawarden.testing.SignedRequests;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator endpoints {@code /status} and {@code /maintenance} of an arbitrator agent with default
 * recovery settings. Only loopback traffic is possible here, so the rule that rejects the bearer form
 * from other addresses is not exercised.
 */
@QuarkusTest
@TestProfile(AdminApiTest.Profile.class)
class AdminApiTest {

    /** The arbitrator with default recovery settings, so {@code warden.recovery.allow-partial} is false. */
    public static class Profile implements QuarkusTestProfile {

        static final Path DIRECTORY = Path.of("target", "admin-api-test").toAbsolutePath();

        @Override
        public Map<String, String> getConfigOverrides() {
            return ArbitratorAgent.overrides(DIRECTORY, Map.of());
        }
    }

    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(30);
    private static final String STATE_UUID = "5ee99582-bb8d-11e2-b8e3-23de375c1d30";

    private final byte[] secret = ArbitratorAgent.secret(Profile.DIRECTORY);
    private final RequestSigner signer = SignedRequests.signer(secret, Clock.systemUTC());
    private final Path maintenanceFile = ArbitratorAgent.stateDir(Profile.DIRECTORY).resolve("maintenance");

    @BeforeEach
    void resetAndAwaitPeers() throws IOException, InterruptedException {
        Files.deleteIfExists(maintenanceFile);
        // /status has a snapshot and peer views only after the agent loop and the peer poller ran once.
        long deadline = System.nanoTime() + STARTUP_LIMIT.toNanos();
        while (bearer().get("/status").jsonPath().getList("peers").size() < 2) {
            if (System.nanoTime() > deadline) {
                fail("the agent did not poll its peers within " + STARTUP_LIMIT.toSeconds() + " s");
            }
            Thread.sleep(50);
        }
    }

    @Test
    void statusWithoutCredentialsRejected() {
        Response status = unsigned().get("/status");

        assertEquals(401, status.statusCode());
        assertTrue(status.jsonPath().getString("error").startsWith("request is missing headers X-Warden-Node,"),
                status.asString());
    }

    @Test
    void statusWithLoopbackBearer() {
        Response status = bearer().get("/status");

        assertEquals(200, status.statusCode());
        assertEquals("application/json", status.contentType().split(";")[0]);
        assertEquals(ArbitratorAgent.NODE, status.jsonPath().getString("node"));
        assertEquals("ARBITRATOR", status.jsonPath().getString("role"));
        assertEquals("ACT", status.jsonPath().getString("mode"));
        assertNotNull(status.jsonPath().getMap("decision"), status.asString());
        assertEquals(0, status.jsonPath().getLong("voter.term"));
        assertEquals("", status.jsonPath().getString("voter.grantedTo"));
        assertEquals(List.of("n1", "n2"), status.jsonPath().getList("peers.node"));
        assertEquals(List.of(false, false), status.jsonPath().getList("peers.reachable"));
        assertEquals(List.of("unknown", "unknown"), status.jsonPath().getList("peers.position"));
        assertEquals(503, status.jsonPath().getInt("health.status"));
    }

    @Test
    void wrongBearerRejected() {
        Response status = unsigned().header("Authorization", "Bearer not-the-shared-secret").get("/status");

        assertEquals(401, status.statusCode());
        assertEquals("the bearer secret does not match warden.secret-file", status.jsonPath().getString("error"));
    }

    @Test
    void signedStatusAccepted() {
        Response status = signed(signer.sign("n1", "GET", "/status", null), new byte[0]).get("/status");

        assertEquals(200, status.statusCode());
        assertEquals(ArbitratorAgent.NODE, status.jsonPath().getString("node"));
    }

    /**
     * A peer request's signature covers the path with its query, and AdminAccess documents that it admits requests
     * signed like peer requests.
     */
    @Test
    void signedStatusWithQueryAccepted() {
        String target = "/status?verbose=1";

        Response status = signed(signer.sign("n1", "GET", target, null), new byte[0]).get(target);

        assertEquals(200, status.statusCode(), status.asString());
        assertEquals(ArbitratorAgent.NODE, status.jsonPath().getString("node"));
    }

    @Test
    void maintenanceSwitchRoundTrip() {
        Response enter = bearer().put("/maintenance");

        assertEquals(200, enter.statusCode());
        assertTrue(enter.jsonPath().getBoolean("maintenance"));
        assertEquals(maintenanceFile.toString(), enter.jsonPath().getString("file"));
        assertTrue(Files.exists(maintenanceFile));
        Response afterEnter = bearer().get("/maintenance");
        assertEquals(200, afterEnter.statusCode());
        assertTrue(afterEnter.jsonPath().getBoolean("maintenance"));

        Response leave = bearer().delete("/maintenance");

        assertEquals(200, leave.statusCode());
        assertFalse(leave.jsonPath().getBoolean("maintenance"));
        assertFalse(Files.exists(maintenanceFile));
        Response afterLeave = bearer().get("/maintenance");
        assertEquals(200, afterLeave.statusCode());
        assertFalse(afterLeave.jsonPath().getBoolean("maintenance"));
    }

    @Test
    void maintenanceWithoutCredentialsRejected() {
        Response enter = unsigned().put("/maintenance");
        Response wrongBearer = unsigned().header("Authorization", "Bearer not-the-shared-secret")
                .put("/maintenance");

        assertEquals(401, enter.statusCode());
        assertTrue(enter.jsonPath().getString("error").startsWith("request is missing headers"), enter.asString());
        assertEquals(401, wrongBearer.statusCode());
        assertFalse(Files.exists(maintenanceFile));
    }

    @Test
    void signedMaintenanceAccepted() {
        Response enter = signed(signer.sign("n1", "PUT", "/maintenance", null), new byte[0]).put("/maintenance");
        Response leave = signed(signer.sign("n1", "DELETE", "/maintenance", null), new byte[0])
                .delete("/maintenance");

        assertEquals(200, enter.statusCode());
        assertTrue(enter.jsonPath().getBoolean("maintenance"));
        assertEquals(200, leave.statusCode());
        assertFalse(leave.jsonPath().getBoolean("maintenance"));
        assertFalse(Files.exists(maintenanceFile));
    }

    /**
     * Under the default settings the arbitrator has no report from n2, so it cannot tell whether n1 is the
     * most advanced survivor, and it rejects the grant without storing a vote.
     */
    @Test
    void unknownPositionBlocksGrant() {
        byte[] body = ("{\"term\":1,\"candidate\":\"n1\",\"position\":{\"uuid\":\"" + STATE_UUID
                + "\",\"seqno\":42}}").getBytes(StandardCharsets.UTF_8);

        Response grant = signed(signer.sign("n1", "POST", PeerPaths.GRANT, body), body).post(PeerPaths.GRANT);

        assertEquals(200, grant.statusCode());
        assertFalse(grant.jsonPath().getBoolean("granted"), grant.asString());
        assertEquals("position of n2 is unknown and warden.recovery.allow-partial is false on this voter",
                grant.jsonPath().getString("reason"));
        assertEquals(0, grant.jsonPath().getLong("term"));
        assertFalse(Files.exists(ArbitratorAgent.stateDir(Profile.DIRECTORY).resolve("voter.json")));
    }

    private RequestSpecification bearer() {
        return unsigned().header("Authorization", "Bearer " + new String(secret, StandardCharsets.US_ASCII));
    }
}
