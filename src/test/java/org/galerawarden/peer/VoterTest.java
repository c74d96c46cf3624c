package org.galerawarden.peer;

import static org.galerawarden.testing.Fixtures.STATE_UUID;
import static org.galerawarden.testing.Fixtures.data;
import static org.galerawarden.testing.Fixtures.dataWithSavedPosition;
import static org.galerawarden.testing.Fixtures.down;
import static org.galerawarden.testing.Fixtures.nonPrimary;
import static org.galerawarden.testing.Fixtures.peers;
import static org.galerawarden.testing.Fixtures.reachable;
import static org.galerawarden.testing.Fixtures.seconds;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.galerawarden.config.Settings;
import org.galerawarden.decision.Verdict;
import org.galerawarden.model.NodeSnapshot;
import org.galerawarden.model.PeerView;
import org.galerawarden.model.Position;
import org.galerawarden.model.VoterState;
import org.galerawarden.testing.Fixtures;
import org.galerawarden.testing.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The arbitrator's voter of n1, n2 and the arbitrator, on real files. The voter lease window is 12 s
 * (lease 10 s plus clock margin 2 s).
 */
class VoterTest {

    private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");
    private static final Position N1_POSITION = new Position(STATE_UUID, 100);

    @TempDir
    Path stateDir;

    private final ObjectMapper json = Fixtures.json();
    private final AtomicLong nanos = new AtomicLong(seconds(500));
    private final MutableClock wallClock = new MutableClock(START);
    private Settings settings;
    private NodeSnapshot self;

    @BeforeEach
    void setUp() {
        settings = Fixtures.twoDataAndArbitrator(Fixtures.ARBITRATOR, stateDir);
        self = Fixtures.arbitrator(Fixtures.ARBITRATOR);
    }

    private Voter newVoter() {
        Voter voter = new Voter(settings, json, nanos::get, wallClock);
        voter.load();
        return voter;
    }

    /** Both data nodes live and non-Primary, n1 ahead at seqno 100. */
    private Map<String, PeerView> n1Ahead() {
        return peers(reachable(data("n1", nonPrimary(STATE_UUID, 100, 1)), 0, nanos.get()),
                reachable(data("n2", nonPrimary(STATE_UUID, 95, 1)), 0, nanos.get()));
    }

    /** n1's server is down with seqno 100 on disk and n2 is live at seqno 110, so only n2 may bootstrap. */
    private Map<String, PeerView> n2Ahead() {
        return peers(reachable(dataWithSavedPosition("n1", down(), STATE_UUID, 100), 0, nanos.get()),
                reachable(data("n2", nonPrimary(STATE_UUID, 110, 1)), 0, nanos.get()));
    }

    private Verdict grantN1(Voter voter, long term) {
        return voter.grant(term, "n1", N1_POSITION, self, n1Ahead());
    }

    private Verdict grantN2(Voter voter, long term) {
        return voter.grant(term, "n2", new Position(STATE_UUID, 110), self, n2Ahead());
    }

    private JsonNode storedFile() throws IOException {
        return json.readTree(Files.readAllBytes(stateDir.resolve("voter.json")));
    }

    @Test
    void grantWritesVoterFile() throws IOException {
        Voter voter = newVoter();

        Verdict verdict = grantN1(voter, 1);

        assertTrue(verdict.granted(), verdict.reason());
        JsonNode stored = storedFile();
        assertEquals(1, stored.get("term").asLong());
        assertEquals(1, stored.get("grantedTerm").asLong());
        assertEquals("n1", stored.get("grantedTo").asText());
        assertEquals("n1", stored.get("leaseHolder").asText());
        assertEquals(START.plusSeconds(12), Instant.parse(stored.get("leaseExpiresAt").asText()));
    }

    @Test
    void grantLeavesOnlyVoterFile() throws IOException {
        grantN1(newVoter(), 1);

        try (var files = Files.list(stateDir)) {
            assertEquals(List.of(stateDir.resolve("voter.json")), files.toList());
        }
    }

    @Test
    void grantRejectsSecondCandidate() throws IOException {
        Voter voter = newVoter();
        grantN1(voter, 1);
        nanos.addAndGet(seconds(13));

        Verdict second = grantN2(voter, 1);

        assertFalse(second.granted(), second.reason());
        assertTrue(second.reason().contains("term 1 is not newer than this voter's term 1"), second.reason());
        assertEquals("n1", storedFile().get("grantedTo").asText());
    }

    @Test
    void grantTwiceIsIdempotent() throws IOException {
        Voter voter = newVoter();

        Verdict first = grantN1(voter, 1);
        Verdict second = grantN1(voter, 1);

        assertTrue(first.granted(), first.reason());
        assertTrue(second.granted(), second.reason());
        assertEquals(new VoterState(1, 1, "n1", "n1", START.plusSeconds(12)), voter.state());
        assertEquals("n1", storedFile().get("grantedTo").asText());
    }

    @Test
    void reloadKeepsPromise() {
        grantN1(newVoter(), 3);

        Voter restarted = newVoter();
        Verdict other = grantN2(restarted, 3);

        assertEquals(3, restarted.term());
        assertFalse(other.granted(), other.reason());
        assertTrue(other.reason().contains("a lease for n1 runs"), other.reason());
    }

    @Test
    void reloadedLeaseBlocksFullWindow() {
        grantN1(newVoter(), 1);
        // The agent restarts 5 s later, with a monotonic clock that starts over.
        wallClock.advance(Duration.ofSeconds(5));
        nanos.set(seconds(7));
        Voter restarted = newVoter();

        nanos.addAndGet(seconds(12) - 1);
        Verdict during = grantN2(restarted, 2);
        nanos.incrementAndGet();
        Verdict after = grantN2(restarted, 2);

        assertFalse(during.granted(), during.reason());
        assertTrue(during.reason().contains("a lease for n1 runs"), during.reason());
        assertTrue(after.granted(), after.reason());
    }

    @Test
    void reloadAfterLeaseEndDoesNotBlock() {
        grantN1(newVoter(), 1);
        wallClock.advance(Duration.ofSeconds(13));
        nanos.set(seconds(7));
        Voter restarted = newVoter();

        Verdict verdict = grantN2(restarted, 2);

        assertTrue(verdict.granted(), verdict.reason());
    }

    @Test
    void renewLeaseStoresNewEnd() throws IOException {
        Voter voter = newVoter();
        grantN1(voter, 1);
        wallClock.advance(Duration.ofSeconds(4));
        nanos.addAndGet(seconds(4));

        Verdict renewal = voter.renewLease(1, "n1", self);

        assertTrue(renewal.granted(), renewal.reason());
        assertEquals(START.plusSeconds(16), Instant.parse(storedFile().get("leaseExpiresAt").asText()));
        assertEquals(nanos.get() + seconds(12), voter.leaseExpiresNanos());
    }

    @ParameterizedTest(name = "voter.json holding \"{0}\"")
    @ValueSource(strings = {"", "{not json", "{\"term\": \"three\"}", "[1, 2]"})
    void unreadableFileRejectsEverything(String content) throws IOException {
        Files.writeString(stateDir.resolve("voter.json"), content, StandardCharsets.UTF_8);
        Voter voter = newVoter();

        Verdict grant = grantN1(voter, 1);
        Verdict lease = voter.renewLease(1, "n1", self);

        assertFalse(grant.granted(), grant.reason());
        assertTrue(grant.reason().contains(stateDir.resolve("voter.json").toString()), grant.reason());
        assertTrue(grant.reason().contains("rejects every request"), grant.reason());
        assertFalse(lease.granted(), lease.reason());
        assertTrue(lease.reason().contains(stateDir.resolve("voter.json").toString()), lease.reason());
        assertEquals(content, Files.readString(stateDir.resolve("voter.json")));
    }

    @Test
    void nullFileKeepsTermReadable() throws IOException {
        Files.writeString(stateDir.resolve("voter.json"), "null", StandardCharsets.UTF_8);
        Voter voter = newVoter();

        Verdict grant = grantN1(voter, 1);

        assertFalse(grant.granted(), grant.reason());
        assertDoesNotThrow(voter::term);
    }

    @Test
    void failedWriteGrantsNothing() throws IOException {
        Voter voter = newVoter();
        // A non-empty directory in place of voter.json makes the atomic rename fail.
        Files.createDirectories(stateDir.resolve("voter.json"));
        Files.writeString(stateDir.resolve("voter.json").resolve("blocker"), "x");

        Verdict verdict = grantN1(voter, 1);

        assertFalse(verdict.granted(), verdict.reason());
        assertTrue(verdict.reason().contains("storing the vote in"), verdict.reason());
        assertEquals(0, voter.term());
        assertEquals(VoterState.initial(), voter.state());
    }
}
