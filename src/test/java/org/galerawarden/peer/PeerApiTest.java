package org.galerawarden.peer;

import static org.galerawarden.testing.SignedRequests.signed;
import static org.galerawarden.testing.SignedRequests.unsigned;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.UUID;
import java.util.logging.Level;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

import org.galerawarden.peer.auth.RequestSigner;
import org.galerawarden.testing.ArbitratorAgent;
import org.galerawarden.testing.LogCapture;
import org.galerawarden.testing.SignedRequests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The peer protocol over HTTP, against an arbitrator agent named {@code arb} whose data peers n1 and n2
 * are unreachable. Every rejected request must leave the vote as it was: the test compares
 * {@code voter.json} and the term that a signed {@code /peer/state} reports before and after.
 */
@QuarkusTest
@TestProfile(PeerApiTest.Profile.class)
class PeerApiTest {

    /**
     * The arbitrator with {@code warden.recovery.allow-partial=true}. With the default (false) it rejects
     * every grant while n1 and n2 are unreachable, because the other data node's position is unknown.
     * {@code AdminApiTest} checks that rejection under the default settings.
     */
    public static class Profile implements QuarkusTestProfile {

        static final Path DIRECTORY = Path.of("target", "peer-api-test").toAbsolutePath();

        @Override
        public Map<String, String> getConfigOverrides() {
            return ArbitratorAgent.overrides(DIRECTORY, Map.of("warden.recovery.allow-partial", "true"));
        }
    }

    private static final String STATE_UUID = "5ee99582-bb8d-11e2-b8e3-23de375c1d30";
    private static final String MISSING_HEADERS = "request is missing headers X-Warden-Node, X-Warden-Timestamp,"
            + " X-Warden-Nonce, X-Warden-Signature";
    private static final String BAD_SIGNATURE = "signature of the request from node n1 is invalid";
    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(30);

    private final Path voterFile = ArbitratorAgent.stateDir(Profile.DIRECTORY).resolve("voter.json");
    private final RequestSigner signer = SignedRequests.signer(ArbitratorAgent.secret(Profile.DIRECTORY),
            Clock.systemUTC());
    private LogCapture log;

    /** The vote as stored on disk and as reported over the API, compared before and after a request. */
    private record Vote(byte[] file, long term) {
    }

    @BeforeEach
    void awaitFirstSnapshot() throws InterruptedException {
        // /peer/state returns 503 until the agent loop has taken its first snapshot.
        long deadline = System.nanoTime() + STARTUP_LIMIT.toNanos();
        while (signedState().statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                fail("the agent took no snapshot within " + STARTUP_LIMIT.toSeconds() + " s");
            }
            Thread.sleep(50);
        }
        log = LogCapture.attach(PeerResource.class.getName());
    }

    @AfterEach
    void detachLog() {
        log.close();
    }

    @Test
    void unsignedRequestsRejected() {
        Vote before = vote();

        Response state = unsigned().get(PeerPaths.STATE);
        Response grant = unsigned().contentType("application/json").body(grantBody(1, "n1")).post(PeerPaths.GRANT);
        Response lease = unsigned().contentType("application/json").body(leaseBody(1, "n1")).post(PeerPaths.LEASE);

        assertEquals(401, state.statusCode());
        assertEquals(MISSING_HEADERS + "; peer requests must be signed by a galera-warden agent with the shared"
                + " secret", error(state));
        assertEquals(401, grant.statusCode());
        assertTrue(error(grant).startsWith(MISSING_HEADERS), error(grant));
        assertEquals(401, lease.statusCode());
        assertTrue(error(lease).startsWith(MISSING_HEADERS), error(lease));
        assertUnchanged(before);
    }

    @Test
    void foreignSecretRejected() {
        byte[] otherSecret = "a-different-secret-of-the-minimum-length".getBytes(StandardCharsets.US_ASCII);
        RequestSigner foreign = SignedRequests.signer(otherSecret, Clock.systemUTC());
        byte[] body = grantBody(1, "n1");
        Vote before = vote();

        Response state = signed(foreign.sign("n1", "GET", PeerPaths.STATE, null), new byte[0]).get(PeerPaths.STATE);
        Response grant = signed(foreign.sign("n1", "POST", PeerPaths.GRANT, body), body).post(PeerPaths.GRANT);

        assertEquals(401, state.statusCode());
        assertTrue(error(state).startsWith(BAD_SIGNATURE), error(state));
        assertEquals(401, grant.statusCode());
        assertTrue(error(grant).startsWith(BAD_SIGNATURE), error(grant));
        assertUnchanged(before);
    }

    @Test
    void replayedRequestRejected() {
        RequestSigner.SignedHeaders stateHeaders = signer.sign("n1", "GET", PeerPaths.STATE, null);
        // Term 0 is never newer than the voter's term, so the first grant request returns 200 but is not granted.
        byte[] body = grantBody(0, "n1");
        RequestSigner.SignedHeaders grantHeaders = signer.sign("n1", "POST", PeerPaths.GRANT, body);
        Vote before = vote();

        Response firstState = signed(stateHeaders, new byte[0]).get(PeerPaths.STATE);
        Response secondState = signed(stateHeaders, new byte[0]).get(PeerPaths.STATE);
        Response firstGrant = signed(grantHeaders, body).post(PeerPaths.GRANT);
        Response secondGrant = signed(grantHeaders, body).post(PeerPaths.GRANT);

        assertEquals(200, firstState.statusCode());
        assertEquals(401, secondState.statusCode());
        assertTrue(error(secondState).contains("reuses nonce " + stateHeaders.nonce()), error(secondState));
        assertTrue(error(secondState).contains("replayed"), error(secondState));
        assertEquals(200, firstGrant.statusCode());
        assertFalse(firstGrant.jsonPath().getBoolean("granted"));
        assertEquals(401, secondGrant.statusCode());
        assertTrue(error(secondGrant).contains("replayed"), error(secondGrant));
        assertUnchanged(before);
    }

    @Test
    void expiredRequestRejected() {
        RequestSigner past = SignedRequests.signer(ArbitratorAgent.secret(Profile.DIRECTORY),
                Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10)));
        byte[] body = grantBody(1, "n1");
        Vote before = vote();

        Response state = signed(past.sign("n1", "GET", PeerPaths.STATE, null), new byte[0]).get(PeerPaths.STATE);
        Response grant = signed(past.sign("n1", "POST", PeerPaths.GRANT, body), body).post(PeerPaths.GRANT);

        assertEquals(401, state.statusCode());
        assertTrue(error(state).startsWith("request from node n1 expired"), error(state));
        assertTrue(error(state).contains("more than the allowed skew of 30 s"), error(state));
        assertEquals(401, grant.statusCode());
        assertTrue(error(grant).startsWith("request from node n1 expired"), error(grant));
        assertUnchanged(before);
    }

    @Test
    void futureRequestRejected() {
        RequestSigner future = SignedRequests.signer(ArbitratorAgent.secret(Profile.DIRECTORY),
                Clock.offset(Clock.systemUTC(), Duration.ofMinutes(10)));
        byte[] body = grantBody(1, "n1");
        Vote before = vote();

        Response state = signed(future.sign("n1", "GET", PeerPaths.STATE, null), new byte[0]).get(PeerPaths.STATE);
        Response grant = signed(future.sign("n1", "POST", PeerPaths.GRANT, body), body).post(PeerPaths.GRANT);

        assertEquals(401, state.statusCode());
        assertTrue(error(state).startsWith("request from node n1 is from the future"), error(state));
        assertEquals(401, grant.statusCode());
        assertTrue(error(grant).startsWith("request from node n1 is from the future"), error(grant));
        assertUnchanged(before);
    }

    @Test
    void unknownSenderRejected() {
        byte[] body = grantBody(1, "n9");
        Vote before = vote();

        Response state = signed(signer.sign("n9", "GET", PeerPaths.STATE, null), new byte[0]).get(PeerPaths.STATE);
        Response grant = signed(signer.sign("n9", "POST", PeerPaths.GRANT, body), body).post(PeerPaths.GRANT);

        assertEquals(401, state.statusCode());
        assertEquals("sender node 'n9' in header X-Warden-Node is not a known peer; add it to warden.peers on this"
                + " node", error(state));
        assertEquals(401, grant.statusCode());
        assertTrue(error(grant).startsWith("sender node 'n9'"), error(grant));
        assertUnchanged(before);
    }

    @Test
    void grantForOtherNodeForbidden() {
        byte[] body = grantBody(5, "n2");
        RequestSigner.SignedHeaders headers = signer.sign("n1", "POST", PeerPaths.GRANT, body);
        Vote before = vote();

        Response grant = signed(headers, body).post(PeerPaths.GRANT);

        assertEquals(403, grant.statusCode());
        assertEquals("request signed by n1 names n2; a node may only ask for itself", error(grant));
        assertTrue(signer.verifyReply(headers.nonce(), 403, grant.asByteArray(), signature(grant)));
        assertUnchanged(before);
    }

    @Test
    void leaseForOtherNodeForbidden() {
        byte[] body = leaseBody(5, "n2");
        Vote before = vote();

        Response lease = signed(signer.sign("n1", "POST", PeerPaths.LEASE, body), body).post(PeerPaths.LEASE);

        assertEquals(403, lease.statusCode());
        assertEquals("request signed by n1 names n2; a node may only ask for itself", error(lease));
        assertUnchanged(before);
    }

    @Test
    void validGrantStoresVote() throws IOException {
        assertFalse(Files.exists(voterFile), "no test may grant before this one");
        byte[] body = grantBody(1, "n1");
        RequestSigner.SignedHeaders headers = signer.sign("n1", "POST", PeerPaths.GRANT, body);

        Response grant = signed(headers, body).post(PeerPaths.GRANT);

        assertEquals(200, grant.statusCode());
        assertEquals(ArbitratorAgent.NODE, grant.jsonPath().getString("voter"));
        assertTrue(grant.jsonPath().getBoolean("granted"), grant.asString());
        assertEquals("n1 at " + STATE_UUID + ":42 is the most advanced survivor this voter knows",
                grant.jsonPath().getString("reason"));
        assertEquals(1, grant.jsonPath().getLong("term"));
        assertTrue(signer.verifyReply(headers.nonce(), 200, grant.asByteArray(), signature(grant)));
        assertFalse(signer.verifyReply(signer.sign("n1", "POST", PeerPaths.GRANT, body).nonce(), 200,
                grant.asByteArray(), signature(grant)), "the reply signature must be bound to the request nonce");
        assertTrue(Files.exists(voterFile));
        String stored = Files.readString(voterFile);
        assertTrue(stored.contains("\"grantedTo\":\"n1\""), stored);
        assertTrue(stored.contains("\"grantedTerm\":1"), stored);
        assertEquals(1, vote().term());

        Vote afterFirst = vote();
        byte[] rivalBody = grantBody(1, "n2");
        byte[] newerRivalBody = grantBody(2, "n2");
        Response rival = signed(signer.sign("n2", "POST", PeerPaths.GRANT, rivalBody), rivalBody).post(PeerPaths.GRANT);
        Response newerRival = signed(signer.sign("n2", "POST", PeerPaths.GRANT, newerRivalBody), newerRivalBody)
                .post(PeerPaths.GRANT);

        // The grant to n1 also starts a lease of lease-duration plus clock-margin (12 s), which blocks n2 in any term.
        assertEquals(200, rival.statusCode());
        assertFalse(rival.jsonPath().getBoolean("granted"), rival.asString());
        assertTrue(rival.jsonPath().getString("reason").startsWith("a lease for n1 runs for another"), rival.asString());
        assertEquals(1, rival.jsonPath().getLong("term"));
        assertEquals(200, newerRival.statusCode());
        assertFalse(newerRival.jsonPath().getBoolean("granted"), newerRival.asString());
        assertTrue(newerRival.jsonPath().getString("reason").startsWith("a lease for n1 runs for another"),
                newerRival.asString());
        assertUnchanged(afterFirst);
    }

    @Test
    void rejectionIsLogged() {
        // A unique query keeps the agent's repeat filter, which mutes identical rejections for 30 s, out of the way.
        String path = PeerPaths.STATE + "?case=" + UUID.randomUUID();
        byte[] otherSecret = "a-different-secret-of-the-minimum-length".getBytes(StandardCharsets.US_ASCII);
        RequestSigner foreign = SignedRequests.signer(otherSecret, Clock.systemUTC());
        byte[] body = grantBody(7, "n2");

        Response state = signed(foreign.sign("n1", "GET", path, null), new byte[0]).get(path);
        Response grant = signed(signer.sign("n1", "POST", PeerPaths.GRANT, body), body).post(PeerPaths.GRANT);

        assertEquals(401, state.statusCode());
        assertEquals(403, grant.statusCode());
        List<String> warnings = log.messages(Level.WARNING);
        assertTrue(warnings.stream().anyMatch(line -> line.contains("rejected GET " + path + " claiming sender n1")
                && line.contains(BAD_SIGNATURE)), warnings.toString());
        assertTrue(warnings.stream().anyMatch(line -> line.contains("rejected a vote request signed by n1 on behalf"
                + " of n2")), warnings.toString());
    }

    @Test
    void healthCheckReportsArbitrator() {
        Response check = unsigned().get("/");
        Response live = unsigned().get("/q/health/live");
        Response ready = unsigned().get("/q/health/ready");

        assertEquals(503, check.statusCode());
        assertEquals("arbitrator: this host serves no database\n", check.asString());
        assertEquals(200, live.statusCode());
        assertEquals("UP", live.jsonPath().getString("status"));
        // Readiness follows the HAProxy check, which is 503 on a host without a database.
        assertEquals(503, ready.statusCode());
        assertEquals("DOWN", ready.jsonPath().getString("status"));
    }

    private Response signedState() {
        return signed(signer.sign(ArbitratorAgent.NODE, "GET", PeerPaths.STATE, null), new byte[0])
                .get(PeerPaths.STATE);
    }

    private Vote vote() {
        Response state = signedState();
        assertEquals(200, state.statusCode(), state.asString());
        try {
            byte[] file = Files.exists(voterFile) ? Files.readAllBytes(voterFile) : null;
            return new Vote(file, state.jsonPath().getLong("term"));
        } catch (IOException e) {
            throw new AssertionError("reading " + voterFile + " failed", e);
        }
    }

    private void assertUnchanged(Vote before) {
        Vote after = vote();
        assertArrayEquals(before.file(), after.file(), "voter.json changed");
        assertEquals(before.term(), after.term(), "the voter's term changed");
    }

    private static String error(Response response) {
        return response.jsonPath().getString("error");
    }

    private static String signature(Response response) {
        return response.getHeader(RequestSigner.SIGNATURE_HEADER);
    }

    private static byte[] grantBody(long term, String candidate) {
        String json = "{\"term\":" + term + ",\"candidate\":\"" + candidate + "\",\"position\":{\"uuid\":\""
                + STATE_UUID + "\",\"seqno\":42}}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] leaseBody(long term, String holder) {
        return ("{\"term\":" + term + ",\"holder\":\"" + holder + "\"}").getBytes(StandardCharsets.UTF_8);
    }
}
