package org.galerawarden.decision;

import static org.galerawarden.testing.Fixtures.NOW;
import static org.galerawarden.testing.Fixtures.OTHER_UUID;
import static org.galerawarden.testing.Fixtures.STATE_UUID;
import static org.galerawarden.testing.Fixtures.arbitrator;
import static org.galerawarden.testing.Fixtures.data;
import static org.galerawarden.testing.Fixtures.dataWithSavedPosition;
import static org.galerawarden.testing.Fixtures.down;
import static org.galerawarden.testing.Fixtures.millis;
import static org.galerawarden.testing.Fixtures.nonPrimary;
import static org.galerawarden.testing.Fixtures.peers;
import static org.galerawarden.testing.Fixtures.primary;
import static org.galerawarden.testing.Fixtures.reachable;
import static org.galerawarden.testing.Fixtures.seconds;
import static org.galerawarden.testing.Fixtures.unreachable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.galerawarden.config.Settings;
import org.galerawarden.model.ClusterStatus;
import org.galerawarden.model.GrastateFile;
import org.galerawarden.model.GvwstateFile;
import org.galerawarden.model.NodeSnapshot;
import org.galerawarden.model.PeerReport;
import org.galerawarden.model.PeerView;
import org.galerawarden.model.Position;
import org.galerawarden.model.Role;
import org.galerawarden.model.ServerStatus;
import org.galerawarden.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DecisionEngineTest {

    @TempDir
    static Path stateDir;

    /** Memory of a node that has been non-Primary for 6 s, past the 5 s grace period. */
    private static final RecoveryMemory PAST_GRACE =
            RecoveryMemory.empty().withNonPrimarySince(Optional.of(NOW - seconds(6)));

    /** One row of the table: the input, the expected kind, and a part of the expected reason. */
    record Case(String name, DecisionInput input, DecisionKind kind, String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Settings three(String self) {
        return Fixtures.threeData(self, stateDir);
    }

    private static Settings threeAllowPartial(String self) {
        return Fixtures.withRecovery(three(self), Fixtures.recovery(true));
    }

    private static DecisionInput input(Settings settings, ServerStatus server, RecoveryMemory memory,
            PeerView... views) {
        return input(settings, data(settings.nodeName(), server), memory, views);
    }

    private static DecisionInput input(Settings settings, NodeSnapshot self, RecoveryMemory memory,
            PeerView... views) {
        return new DecisionInput(settings, self, peers(views), memory, 0, NOW);
    }

    private static PeerView live(String node, long seqno) {
        return reachable(data(node, nonPrimary(STATE_UUID, seqno, 1)), 0, NOW);
    }

    private static PeerView serverDownNoPosition(String node) {
        return reachable(data(node, down()), 0, NOW);
    }

    private static RecoveryMemory unknownFor(RecoveryMemory memory, long nanos) {
        return memory.withUnknownSince(Optional.of(NOW - nanos));
    }

    private static RecoveryMemory lease(long validUntilNanos, long renewedAtNanos) {
        return RecoveryMemory.empty().withLease(Optional.of(new HeldLease(5, validUntilNanos, renewedAtNanos)));
    }

    private static PeerView wasPrimary(String node, long secondsAgo) {
        return unreachable(data(node, primary(STATE_UUID, 95, 1)), 0, NOW - seconds(secondsAgo),
                Optional.of(NOW - seconds(secondsAgo)));
    }

    static Stream<Case> restoreCases() {
        ServerStatus own = nonPrimary(STATE_UUID, 100, 1);
        return Stream.of(
                new Case("arbitrator stays steady",
                        input(Fixtures.twoDataAndArbitrator(Fixtures.ARBITRATOR, stateDir),
                                arbitrator(Fixtures.ARBITRATOR), PAST_GRACE, live("n1", 100), live("n2", 100)),
                        DecisionKind.STEADY, "arbitrator"),
                new Case("server down stays steady",
                        input(three("n1"), down(), PAST_GRACE, live("n2", 90), live("n3", 90)),
                        DecisionKind.STEADY, "server does not answer"),
                new Case("Primary server stays steady",
                        input(three("n1"), primary(STATE_UUID, 100, 3), RecoveryMemory.empty(), live("n2", 90)),
                        DecisionKind.STEADY, "server is in the Primary component"),
                new Case("disconnected server waits",
                        input(three("n1"), Fixtures.server().clusterStatus(ClusterStatus.DISCONNECTED)
                                .build(), PAST_GRACE, live("n2", 90), live("n3", 90)),
                        DecisionKind.WAIT, "not non-Primary"),
                new Case("first non-Primary poll waits",
                        input(three("n1"), own, RecoveryMemory.empty(), live("n2", 90), live("n3", 90)),
                        DecisionKind.WAIT, "within the grace period of 5000 ms"),
                new Case("non-Primary within grace waits",
                        input(three("n1"), own,
                                RecoveryMemory.empty().withNonPrimarySince(Optional.of(NOW - seconds(2))),
                                live("n2", 90), live("n3", 90)),
                        DecisionKind.WAIT, "within the grace period"),
                new Case("peer reporting Primary blocks",
                        input(three("n1"), own, PAST_GRACE,
                                reachable(data("n2", primary(STATE_UUID, 100, 2)), 0, NOW),
                                reachable(data("n3", primary(STATE_UUID, 100, 2)), 0, NOW)),
                        DecisionKind.WAIT, "peer n2 reports a Primary component"),
                new Case("Primary 3 s ago waits",
                        input(three("n1"), own, PAST_GRACE, wasPrimary("n2", 3), live("n3", 90)),
                        DecisionKind.WAIT, "peer n2 is unreachable and was Primary 3000 ms ago, within the lease"
                                + " window of 12000 ms"),
                new Case("Primary 13 s ago bootstraps",
                        input(three("n1"), own, PAST_GRACE, wasPrimary("n2", 13), live("n3", 90)),
                        DecisionKind.BOOTSTRAP, "most advanced survivor"),
                new Case("more advanced peer waits",
                        input(three("n1"), own, PAST_GRACE, live("n2", 120), live("n3", 90)),
                        DecisionKind.WAIT, "node n2 is more advanced"),
                new Case("tie lets n1 bootstrap",
                        input(three("n1"), own, PAST_GRACE, live("n2", 100), live("n3", 90)),
                        DecisionKind.BOOTSTRAP, "most advanced survivor"),
                new Case("tie makes n2 wait",
                        input(three("n2"), own, PAST_GRACE, live("n1", 100), live("n3", 90)),
                        DecisionKind.WAIT, "node n1 has the same position"),
                new Case("tie with down peer bootstraps",
                        input(three("n2"), own, PAST_GRACE,
                                reachable(dataWithSavedPosition("n1", down(), STATE_UUID, 100), 0, NOW),
                                live("n3", 90)),
                        DecisionKind.BOOTSTRAP, "most advanced survivor"),
                new Case("other state UUID waits",
                        input(three("n1"), own, PAST_GRACE,
                                reachable(data("n2", nonPrimary(OTHER_UUID, 100, 1)), 0, NOW), live("n3", 90)),
                        DecisionKind.WAIT, "positions of different histories are not comparable"),
                new Case("own position unknown waits",
                        input(three("n1"), nonPrimary(STATE_UUID, -1, 1), PAST_GRACE, live("n2", 90),
                                live("n3", 90)),
                        DecisionKind.WAIT, "own position is unknown"),
                new Case("unknown peer position waits",
                        input(three("n1"), own, PAST_GRACE, serverDownNoPosition("n2"), live("n3", 90)),
                        DecisionKind.WAIT, "position of n2 is unknown; waiting for it"),
                new Case("unknown position within timeout",
                        input(three("n1"), own, unknownFor(PAST_GRACE, seconds(59)), serverDownNoPosition("n2"),
                                live("n3", 90)),
                        DecisionKind.WAIT, "position of n2 is unknown; waiting for it"),
                new Case("never reached peer waits",
                        input(three("n1"), own, unknownFor(PAST_GRACE, seconds(10)),
                                PeerView.unknown("n2", Role.DATA), live("n3", 90)),
                        DecisionKind.WAIT, "position of n2 is unknown"),
                new Case("unknown past timeout waits",
                        input(three("n1"), own, unknownFor(PAST_GRACE, seconds(61)), serverDownNoPosition("n2"),
                                live("n3", 90)),
                        DecisionKind.WAIT, "warden.recovery.allow-partial=true"),
                new Case("allow-partial within timeout waits",
                        input(threeAllowPartial("n1"), own, unknownFor(PAST_GRACE, seconds(10)),
                                serverDownNoPosition("n2"), live("n3", 90)),
                        DecisionKind.WAIT, "waiting for it"),
                new Case("allow-partial past timeout bootstraps",
                        input(threeAllowPartial("n1"), own, unknownFor(PAST_GRACE, seconds(61)),
                                serverDownNoPosition("n2"), live("n3", 90)),
                        DecisionKind.BOOTSTRAP, "most advanced survivor"),
                new Case("allow-partial still checks known",
                        input(threeAllowPartial("n1"), own, unknownFor(PAST_GRACE, seconds(61)),
                                serverDownNoPosition("n2"), live("n3", 120)),
                        DecisionKind.WAIT, "node n3 is more advanced"),
                new Case("majority unreachable waits",
                        input(three("n1"), own, PAST_GRACE,
                                unreachable(data("n2", nonPrimary(STATE_UUID, 90, 1)), 0, NOW - seconds(30),
                                        Optional.empty()),
                                unreachable(data("n3", nonPrimary(STATE_UUID, 90, 1)), 0, NOW - seconds(30),
                                        Optional.empty())),
                        DecisionKind.WAIT, "lacks a majority of voters: 2 of 3 needed"),
                new Case("arbitrator completes majority",
                        input(Fixtures.twoDataAndArbitrator("n1", stateDir), own, PAST_GRACE,
                                unreachable(data("n2", nonPrimary(STATE_UUID, 90, 1)), 0, NOW - seconds(30),
                                        Optional.empty()),
                                reachable(arbitrator(Fixtures.ARBITRATOR), 0, NOW)),
                        DecisionKind.BOOTSTRAP, "most advanced survivor"));
    }

    static Stream<Case> leaseCases() {
        Settings n1 = three("n1");
        ServerStatus alone = primary(STATE_UUID, 100, 1);
        return Stream.of(
                new Case("due lease is renewed",
                        input(n1, alone, lease(NOW + seconds(6), NOW - seconds(4)), live("n2", 90)),
                        DecisionKind.RENEW_LEASE, "needs its lease renewed"),
                new Case("fresh lease stays steady",
                        input(n1, alone, lease(NOW + seconds(9), NOW - seconds(1)), live("n2", 90)),
                        DecisionKind.STEADY, "under a valid lease"),
                new Case("expired lease fences",
                        input(n1, alone, lease(NOW - millis(1), NOW - seconds(4)), live("n2", 90)),
                        DecisionKind.FENCE, "runs out without renewal"),
                new Case("lease ending now fences",
                        input(n1, alone, lease(NOW, NOW - seconds(4)), live("n2", 90)),
                        DecisionKind.FENCE, "runs out without renewal"),
                new Case("majority again releases lease",
                        input(n1, primary(STATE_UUID, 100, 2), lease(NOW - seconds(1), NOW - seconds(4)),
                                live("n2", 90)),
                        DecisionKind.STEADY, DecisionEngine.LEASE_RELEASED),
                new Case("garbd member makes majority",
                        input(Fixtures.twoDataAndArbitrator("n1", stateDir), primary(STATE_UUID, 100, 2),
                                lease(NOW + seconds(6), NOW - seconds(4)), live("n2", 90)),
                        DecisionKind.STEADY, DecisionEngine.LEASE_RELEASED),
                new Case("lone node without garbd fences",
                        input(Fixtures.twoDataAndArbitrator("n1", stateDir), primary(STATE_UUID, 100, 1),
                                lease(NOW - millis(1), NOW - seconds(4)), live("n2", 90)),
                        DecisionKind.FENCE, "runs out without renewal"),
                new Case("hung server expired lease fences",
                        input(n1, Fixtures.hung(), lease(NOW - millis(1), NOW - seconds(4)), live("n2", 90)),
                        DecisionKind.FENCE, "runs out without renewal"),
                new Case("hung server renews lease",
                        input(n1, Fixtures.hung(), lease(NOW + seconds(6), NOW - seconds(4)), live("n2", 90)),
                        DecisionKind.RENEW_LEASE, "needs its lease renewed"),
                new Case("stopped server drops lease",
                        input(n1, down(), lease(NOW - millis(1), NOW - seconds(4)), live("n2", 90)),
                        DecisionKind.STEADY, "server does not answer"),
                new Case("lease ending within a poll fences",
                        input(n1, alone, lease(NOW + millis(900), NOW - seconds(2)), live("n2", 90)),
                        DecisionKind.FENCE, "runs out without renewal"),
                new Case("non-Primary server ignores lease",
                        input(n1, nonPrimary(STATE_UUID, 100, 1),
                                lease(NOW - millis(1), NOW - seconds(4)).withNonPrimarySince(Optional.of(NOW)),
                                live("n2", 90)),
                        DecisionKind.WAIT, "within the grace period"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("restoreCases")
    void decideRestoreTable(Case row) {
        Decision decision = DecisionEngine.decide(row.input());

        assertEquals(row.kind(), decision.kind(), decision.reason() + " | " + decision.evidenceText());
        assertTrue(decision.reason().contains(row.reason()), () -> "reason was: " + decision.reason());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("leaseCases")
    void decideLeaseTable(Case row) {
        Decision decision = DecisionEngine.decide(row.input());

        assertEquals(row.kind(), decision.kind(), decision.reason() + " | " + decision.evidenceText());
        assertTrue(decision.reason().contains(row.reason()), () -> "reason was: " + decision.reason());
    }

    @Test
    void unprobeableRecentPrimaryPeerWaits() {
        // n2 and n3 were Primary 1 s ago. Their agents still reply, but their SQL probes fail, as with
        // "Too many connections", while the servers may still be Primary and commit writes.
        Decision decision = DecisionEngine.decide(input(three("n1"), nonPrimary(STATE_UUID, 100, 1), PAST_GRACE,
                unprobeableAfterPrimary("n2", 100), unprobeableAfterPrimary("n3", 100)));

        assertEquals(DecisionKind.WAIT, decision.kind(), decision.reason());
    }

    private static PeerView unprobeableAfterPrimary(String node, long lastLiveSeqno) {
        NodeSnapshot snapshot = new NodeSnapshot(node, Role.DATA, Fixtures.TAKEN_AT,
                ServerStatus.unreachable("Too many connections"), GrastateFile.missing("running"),
                GvwstateFile.missing("running"), Optional.of(new Position(STATE_UUID, lastLiveSeqno)), false);
        return new PeerView(node, Role.DATA, true, "", Optional.of(new PeerReport(snapshot, 0, "STEADY")), NOW,
                Optional.of(NOW - seconds(1)));
    }

    @Test
    void bootstrapTermIsMaxPlusOne() {
        Settings settings = three("n1");
        DecisionInput input = new DecisionInput(settings, data("n1", nonPrimary(STATE_UUID, 100, 1)),
                peers(reachable(data("n2", nonPrimary(STATE_UUID, 90, 1)), 7, NOW),
                        reachable(data("n3", nonPrimary(STATE_UUID, 90, 1)), 2, NOW)),
                PAST_GRACE, 4, NOW);

        Decision decision = DecisionEngine.decide(input);

        assertEquals(DecisionKind.BOOTSTRAP, decision.kind(), decision.reason());
        assertEquals(8, decision.term());
        assertEquals(Optional.of(new Position(STATE_UUID, 100)), decision.position());
        assertEquals("8", decision.evidence().get("term"));
    }

    @Test
    void bootstrapTermUsesOwnTerm() {
        DecisionInput input = new DecisionInput(three("n1"), data("n1", nonPrimary(STATE_UUID, 100, 1)),
                peers(reachable(data("n2", nonPrimary(STATE_UUID, 90, 1)), 3, NOW),
                        unreachable(data("n3", nonPrimary(STATE_UUID, 90, 1)), 5, NOW - seconds(20),
                                Optional.empty())),
                PAST_GRACE, 9, NOW);

        Decision decision = DecisionEngine.decide(input);

        assertEquals(DecisionKind.BOOTSTRAP, decision.kind(), decision.reason());
        assertEquals(10, decision.term());
    }

    @Test
    void fenceCarriesLeaseTerm() {
        Decision decision = DecisionEngine.decide(input(three("n1"), primary(STATE_UUID, 100, 1),
                lease(NOW - millis(1), NOW - seconds(4)), live("n2", 90)));

        assertEquals(DecisionKind.FENCE, decision.kind());
        assertEquals(5, decision.term());
        assertEquals("1/3", decision.evidence().get("component"));
    }

    @Test
    void nonPrimaryWithLeaseNeverFences() {
        for (long validUntil : new long[] {NOW - seconds(60), NOW - millis(1), NOW, NOW + seconds(5)}) {
            Decision decision = DecisionEngine.decide(input(three("n1"), nonPrimary(STATE_UUID, 100, 1),
                    lease(validUntil, NOW - seconds(9)).withNonPrimarySince(Optional.of(NOW - seconds(6))),
                    live("n2", 90), live("n3", 90)));

            assertNotEquals(DecisionKind.FENCE, decision.kind(), decision.reason());
        }
    }

    @Test
    void evidenceNamesKeyFacts() {
        Settings settings = three("n1");
        Decision decision = DecisionEngine.decide(input(settings, nonPrimary(STATE_UUID, 100, 1), PAST_GRACE,
                reachable(data("n2", nonPrimary(STATE_UUID, 120, 1)), 0, NOW),
                unreachable(data("n3", nonPrimary(STATE_UUID, 90, 1)), 0, NOW - seconds(30), Optional.empty())));
        Map<String, String> evidence = decision.evidence();

        assertEquals(DecisionKind.WAIT, decision.kind());
        assertEquals("n1", evidence.get("node"));
        assertEquals("NON_PRIMARY", evidence.get("status"));
        assertEquals("1", evidence.get("size"));
        assertEquals("NON_PRIMARY", evidence.get("peer_n2"));
        assertEquals("unreachable", evidence.get("peer_n3"));
        assertEquals("6000", evidence.get("non_primary_ms"));
        assertEquals(STATE_UUID + ":100", evidence.get("position"));
        assertEquals(STATE_UUID + ":120", evidence.get("pos_n2"));
        assertEquals(STATE_UUID + ":90", evidence.get("pos_n3"));
        assertTrue(decision.evidenceText().contains("node=n1"), decision.evidenceText());
    }

    @Test
    void evidenceDescribesDownAndArbitrator() {
        Settings settings = Fixtures.twoDataAndArbitrator("n1", stateDir);
        Decision decision = DecisionEngine.decide(input(settings, down(), RecoveryMemory.empty(),
                reachable(data("n2", down()), 0, NOW), reachable(arbitrator(Fixtures.ARBITRATOR), 0, NOW)));

        assertEquals("DOWN", decision.evidence().get("status"));
        assertEquals("DOWN", decision.evidence().get("peer_n2"));
        assertEquals("voter", decision.evidence().get("peer_arb"));
    }

    @Test
    void evidenceCountsReachableVoters() {
        Decision decision = DecisionEngine.decide(input(three("n1"), nonPrimary(STATE_UUID, 100, 1), PAST_GRACE,
                live("n2", 90),
                unreachable(data("n3", nonPrimary(STATE_UUID, 90, 1)), 0, NOW - seconds(30), Optional.empty())));

        assertEquals(DecisionKind.BOOTSTRAP, decision.kind(), decision.reason());
        assertEquals("2/3", decision.evidence().get("voters_reachable"));
    }

    @Test
    void partialBootstrapIsMarked() {
        Decision decision = DecisionEngine.decide(input(threeAllowPartial("n1"), nonPrimary(STATE_UUID, 100, 1),
                unknownFor(PAST_GRACE, seconds(61)), serverDownNoPosition("n2"), live("n3", 90)));

        assertEquals(DecisionKind.BOOTSTRAP, decision.kind(), decision.reason());
        assertEquals("true", decision.evidence().get("partial"));
        assertEquals("61000", decision.evidence().get("unknown_ms"));
    }
}
