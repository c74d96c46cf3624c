package org.galerawarden.decision;

import static org.galerawarden.testing.Fixtures.NOW;
import static org.galerawarden.testing.Fixtures.OTHER_UUID;
import static org.galerawarden.testing.Fixtures.STATE_UUID;
import static org.galerawarden.testing.Fixtures.arbitrator;
import static org.galerawarden.testing.Fixtures.data;
import static org.galerawarden.testing.Fixtures.dataWithSavedPosition;
import static org.galerawarden.testing.Fixtures.down;
import static org.galerawarden.testing.Fixtures.nonPrimary;
import static org.galerawarden.testing.Fixtures.peers;
import static org.galerawarden.testing.Fixtures.primary;
import static org.galerawarden.testing.Fixtures.reachable;
import static org.galerawarden.testing.Fixtures.seconds;
import static org.galerawarden.testing.Fixtures.unreachable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.galerawarden.config.Settings;
import org.galerawarden.model.NodeSnapshot;
import org.galerawarden.model.PeerView;
import org.galerawarden.model.Position;
import org.galerawarden.model.Role;
import org.galerawarden.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Grant and lease requests as evaluated by one voter. Unless a row says otherwise the voter is n3 of three data
 * nodes, its own server non-Primary at seqno 90, and the candidate n1 at seqno 100 against n2 at 95.
 */
class GrantPolicyTest {

    @TempDir
    static Path stateDir;

    private static final VoterMemory FRESH = new VoterMemory(0, 0, "", "", 0);

    /** One grant request with the voter's view and the expected verdict. */
    record GrantCase(String name, Settings settings, NodeSnapshot self, Map<String, PeerView> peers,
            VoterMemory memory, long term, String candidate, Position position, boolean granted, String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** One lease renewal request and the expected verdict. */
    record LeaseCase(String name, VoterMemory memory, long term, String holder, boolean granted, String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    @org.junit.jupiter.api.Test
    void arbitratorWithPrimaryGarbdRejects() {
        Settings arbitrator = Fixtures.twoDataAndArbitrator(Fixtures.ARBITRATOR, stateDir);
        NodeSnapshot garbdPrimary = new NodeSnapshot(Fixtures.ARBITRATOR, org.galerawarden.model.Role.ARBITRATOR,
                java.time.Instant.EPOCH, primary("", 0, 2), org.galerawarden.model.GrastateFile.missing("none"),
                org.galerawarden.model.GvwstateFile.missing("none"), java.util.Optional.empty(), false);

        Verdict grant = GrantPolicy.evaluateGrant(arbitrator, garbdPrimary, peers(live("n1", 100)), FRESH, 1, "n1",
                at(100), NOW);
        Verdict lease = GrantPolicy.evaluateLease(arbitrator, garbdPrimary, FRESH, 1, "n1", NOW);

        org.junit.jupiter.api.Assertions.assertFalse(grant.granted(), grant.reason());
        org.junit.jupiter.api.Assertions.assertTrue(grant.reason().contains("is Primary"), grant.reason());
        org.junit.jupiter.api.Assertions.assertFalse(lease.granted(), lease.reason());
        org.junit.jupiter.api.Assertions.assertTrue(lease.reason().contains("garbd"), lease.reason());
    }

    private static Settings voterN3() {
        return Fixtures.threeData("n3", stateDir);
    }

    private static NodeSnapshot ownNode(long seqno) {
        return data("n3", nonPrimary(STATE_UUID, seqno, 1));
    }

    private static PeerView live(String node, long seqno) {
        return reachable(data(node, nonPrimary(STATE_UUID, seqno, 1)), 0, NOW);
    }

    private static Position at(long seqno) {
        return new Position(STATE_UUID, seqno);
    }

    private static GrantCase n1Requests(String name, Map<String, PeerView> peers, VoterMemory memory, long term,
            boolean granted, String reason) {
        return new GrantCase(name, voterN3(), ownNode(90), peers, memory, term, "n1", at(100), granted, reason);
    }

    static Stream<GrantCase> grantCases() {
        Map<String, PeerView> usual = peers(live("n1", 100), live("n2", 95));
        return Stream.of(
                n1Requests("fresh voter grants", usual, FRESH, 1, true, "n1 at " + STATE_UUID
                        + ":100 is the most advanced survivor"),
                n1Requests("same term same candidate", usual, new VoterMemory(3, 3, "n1", "n1", NOW + seconds(12)), 3,
                        true, "n1 at " + STATE_UUID + ":100 is the most advanced survivor"),
                n1Requests("same candidate after expiry", usual, new VoterMemory(3, 3, "n1", "n1", NOW - seconds(1)), 3,
                        true, "n1 at " + STATE_UUID + ":100 is the most advanced survivor"),
                n1Requests("equal term other candidate", usual, new VoterMemory(3, 3, "n2", "n2", NOW - seconds(1)), 3,
                        false, "term 3 is not newer than this voter's term 3"),
                n1Requests("older term other candidate", usual, new VoterMemory(3, 3, "n2", "n2", NOW - seconds(1)), 2,
                        false, "term 2 is not newer"),
                n1Requests("older term same candidate", usual, new VoterMemory(3, 3, "n1", "n1", NOW - seconds(1)), 2,
                        false, "term 2 is not newer"),
                new GrantCase("own node Primary rejects", voterN3(), data("n3", primary(STATE_UUID, 90, 1)), usual,
                        FRESH, 1, "n1", at(100), false, "this voter's own node n3 is Primary"),
                n1Requests("running lease for other", usual, new VoterMemory(3, 3, "n2", "n2", NOW + seconds(5)), 4,
                        false, "a lease for n2 runs for another 5000 ms"),
                n1Requests("expired lease for other", usual, new VoterMemory(3, 3, "n2", "n2", NOW), 4, true,
                        "most advanced survivor"),
                n1Requests("own running lease allows", usual, new VoterMemory(3, 3, "n1", "n1", NOW + seconds(5)), 4,
                        true, "most advanced survivor"),
                n1Requests("peer reporting Primary rejects",
                        peers(live("n1", 100), reachable(data("n2", primary(STATE_UUID, 95, 1)), 0, NOW)), FRESH, 1,
                        false, "peer n2 reports a Primary component"),
                n1Requests("recently Primary peer rejects",
                        peers(live("n1", 100), unreachable(data("n2", primary(STATE_UUID, 95, 1)), 0,
                                NOW - seconds(3), Optional.of(NOW - seconds(3)))),
                        FRESH, 1, false, "peer n2 is unreachable and was Primary 3000 ms ago"),
                n1Requests("long ago Primary peer allows",
                        peers(live("n1", 100), unreachable(data("n2", primary(STATE_UUID, 95, 1)), 0,
                                NOW - seconds(13), Optional.of(NOW - seconds(13)))),
                        FRESH, 1, true, "most advanced survivor"),
                n1Requests("peer more advanced rejects", peers(live("n1", 100), live("n2", 110)), FRESH, 1, false,
                        "node n2 is more advanced"),
                new GrantCase("own node more advanced", voterN3(), ownNode(120), usual, FRESH, 1, "n1", at(100), false,
                        "node n3 is more advanced"),
                n1Requests("other history rejects",
                        peers(live("n1", 100), reachable(data("n2", nonPrimary(OTHER_UUID, 200, 1)), 0, NOW)), FRESH, 1,
                        false, "positions of different histories are not comparable"),
                n1Requests("tie goes to n1", peers(live("n1", 100), live("n2", 100)), FRESH, 1, true,
                        "most advanced survivor"),
                new GrantCase("tie rejects n2", voterN3(), ownNode(90), peers(live("n1", 100), live("n2", 100)), FRESH,
                        1, "n2", at(100), false, "node n1 has the same position"),
                new GrantCase("tie with down n1", voterN3(), ownNode(90),
                        peers(reachable(dataWithSavedPosition("n1", down(), STATE_UUID, 100), 0, NOW), live("n2", 100)),
                        FRESH, 1, "n2", at(100), true, "most advanced survivor"),
                new GrantCase("own live node wins tie", Fixtures.threeData("n1", stateDir),
                        data("n1", nonPrimary(STATE_UUID, 100, 1)), peers(live("n2", 100), live("n3", 90)), FRESH, 1,
                        "n2", at(100), false, "node n1 has the same position"),
                n1Requests("unknown position rejects", peers(live("n1", 100), reachable(data("n2", down()), 0, NOW)),
                        FRESH, 1, false, "position of n2 is unknown and warden.recovery.allow-partial is false"),
                new GrantCase("allow-partial grants unknown", Fixtures.withRecovery(voterN3(), Fixtures.recovery(true)),
                        ownNode(90), peers(live("n1", 100), reachable(data("n2", down()), 0, NOW)), FRESH, 1, "n1",
                        at(100), true, "most advanced survivor"),
                n1Requests("never reached peer rejects", peers(live("n1", 100), PeerView.unknown("n2", Role.DATA)),
                        FRESH, 1, false, "position of n2 is unknown"),
                new GrantCase("unknown candidate rejects", voterN3(), ownNode(90), usual, FRESH, 1, "n9", at(100),
                        false, "candidate n9 is not a configured voter"),
                new GrantCase("arbitrator voter grants", Fixtures.twoDataAndArbitrator(Fixtures.ARBITRATOR, stateDir),
                        arbitrator(Fixtures.ARBITRATOR), peers(live("n1", 100), live("n2", 95)), FRESH, 1, "n1",
                        at(100), true, "most advanced survivor"));
    }

    static Stream<LeaseCase> leaseCases() {
        VoterMemory grantedN1 = new VoterMemory(3, 3, "n1", "n1", NOW + seconds(5));
        VoterMemory expiredN1 = new VoterMemory(3, 3, "n1", "n1", NOW - seconds(1));
        return Stream.of(
                new LeaseCase("granted holder renews", grantedN1, 3, "n1", true, "lease renewed for n1 in term 3"),
                new LeaseCase("holder renews after expiry", expiredN1, 3, "n1", true, "lease renewed for n1"),
                new LeaseCase("lease holder renews", new VoterMemory(4, 3, "n2", "n1", NOW + seconds(5)), 4, "n1", true,
                        "lease renewed for n1 in term 4"),
                new LeaseCase("stranger in old term", expiredN1, 3, "n2", false,
                        "this voter granted term 3 to n1, not to n2"),
                new LeaseCase("stranger in older term", expiredN1, 2, "n2", false, "not to n2"),
                new LeaseCase("stranger during running lease", grantedN1, 4, "n2", false,
                        "a lease for n1 runs for another 5000 ms"),
                new LeaseCase("holder in older term", grantedN1, 2, "n1", false,
                        "term 2 is older than this voter's grant in term 3"),
                new LeaseCase("fresh voter renews leader", FRESH, 3, "n1", true, "lease renewed for n1 in term 3"),
                new LeaseCase("fresh voter rejects term 0", FRESH, 0, "n1", false, "granted term 0 to nobody"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("grantCases")
    void evaluateGrantTable(GrantCase row) {
        Verdict verdict = GrantPolicy.evaluateGrant(row.settings(), row.self(), row.peers(), row.memory(), row.term(),
                row.candidate(), row.position(), NOW);

        assertEquals(row.granted(), verdict.granted(), verdict.reason());
        assertTrue(verdict.reason().contains(row.reason()), () -> "reason was: " + verdict.reason());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("leaseCases")
    void evaluateLeaseTable(LeaseCase row) {
        Verdict verdict = GrantPolicy.evaluateLease(voterN3(), ownNode(90), row.memory(), row.term(), row.holder(), NOW);

        assertEquals(row.granted(), verdict.granted(), verdict.reason());
        assertTrue(verdict.reason().contains(row.reason()), () -> "reason was: " + verdict.reason());
    }

    @Test
    void repeatGrantWhilePrimaryRejects() {
        VoterMemory grantedN1 = new VoterMemory(3, 3, "n1", "n1", NOW + seconds(5));

        Verdict verdict = GrantPolicy.evaluateGrant(voterN3(), data("n3", primary(STATE_UUID, 100, 2)),
                peers(live("n1", 100), reachable(data("n2", primary(STATE_UUID, 100, 2)), 0, NOW)), grantedN1, 3, "n1",
                at(100), NOW);

        assertFalse(verdict.granted(), verdict.reason());
    }
}
