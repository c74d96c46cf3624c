package org.galerawarden.decision;

import static org.galerawarden.testing.Fixtures.NOW;
import static org.galerawarden.testing.Fixtures.OTHER_UUID;
import static org.galerawarden.testing.Fixtures.STATE_UUID;
import static org.galerawarden.testing.Fixtures.data;
import static org.galerawarden.testing.Fixtures.hung;
import static org.galerawarden.testing.Fixtures.nonPrimary;
import static org.galerawarden.testing.Fixtures.peers;
import static org.galerawarden.testing.Fixtures.primary;
import static org.galerawarden.testing.Fixtures.reachable;
import static org.galerawarden.testing.Fixtures.seconds;
import static org.galerawarden.testing.Fixtures.stopped;
import static org.galerawarden.testing.Fixtures.stoppedUnknown;
import static org.galerawarden.testing.Fixtures.withFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.galerawarden.config.Settings;
import org.galerawarden.model.FileStatus;
import org.galerawarden.model.GrastateFile;
import org.galerawarden.model.GvwstateFile;
import org.galerawarden.model.LocalState;
import org.galerawarden.model.NodeSnapshot;
import org.galerawarden.model.PeerView;
import org.galerawarden.model.Position;
import org.galerawarden.model.PositionHistory;
import org.galerawarden.model.StoppedPosition;
import org.galerawarden.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The restart of stopped servers, decided by {@link DecisionEngine} for agents that start their server. */
class ColdStartEngineTest {

    @TempDir
    static Path stateDir;

    private static final String GRA = StoppedPosition.FROM_GRASTATE;
    private static final String REC = StoppedPosition.FROM_RECOVERY;
    private static final String VIEW = "9d1f2c3b-0000-11ef-8000-000000000001";
    private static final String N1_MEMBER = "a1111111-0000-11ef-8000-000000000001";
    private static final String N2_MEMBER = "a2222222-0000-11ef-8000-000000000002";
    private static final String N3_MEMBER = "a3333333-0000-11ef-8000-000000000003";

    record Case(String name, DecisionInput input, DecisionKind kind, String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Settings cold(String self) {
        return Fixtures.coldStart(Fixtures.threeData(self, stateDir));
    }

    private static Settings partial(String self) {
        return Fixtures.coldStart(Fixtures.withRecovery(Fixtures.threeData(self, stateDir), Fixtures.recovery(true)));
    }

    private static DecisionInput input(Settings settings, NodeSnapshot self, RecoveryMemory memory,
            PositionHistory history, NodeSnapshot... others) {
        PeerView[] views = new PeerView[others.length];
        for (int i = 0; i < others.length; i++) {
            views[i] = reachable(others[i], 0, NOW);
        }
        return new DecisionInput(settings, self, peers(views), memory, 0, NOW, history);
    }

    private static DecisionInput input(Settings settings, NodeSnapshot self, NodeSnapshot... others) {
        return input(settings, self, RecoveryMemory.empty(), PositionHistory.empty(), others);
    }

    /** A stopped node whose gvwstate.dat contains the view of all three nodes, with {@code me} as its member. */
    private static NodeSnapshot inLastView(NodeSnapshot snapshot, String me) {
        return withFiles(snapshot, snapshot.grastate(), new GvwstateFile(FileStatus.VALID, "", me, VIEW,
                List.of(N1_MEMBER, N2_MEMBER, N3_MEMBER)));
    }

    private static NodeSnapshot joining(String node) {
        return data(node, Fixtures.server().position(STATE_UUID, 120).clusterSize(2)
                .localState(LocalState.JOINING, "Joining").build());
    }

    static Stream<Case> cases() {
        NodeSnapshot n1Unknown = stoppedUnknown("n1", "grastate.dat holds no position and no recovery ran yet", -1);
        NodeSnapshot n1At100 = stopped("n1", STATE_UUID, 100, REC);
        NodeSnapshot n2At110 = stopped("n2", STATE_UUID, 110, REC);
        NodeSnapshot n3At105 = stopped("n3", STATE_UUID, 105, GRA);
        NodeSnapshot n2Primary = data("n2", primary(STATE_UUID, 120, 1));
        RecoveryMemory waited = RecoveryMemory.empty().withUnknownSince(Optional.of(NOW - seconds(61)));
        PositionHistory empty = PositionHistory.empty();
        return Stream.of(
                new Case("unknown own position is recovered", input(cold("n1"), n1Unknown, n2At110, n3At105),
                        DecisionKind.RECOVER_POSITION, "own position is unknown"),
                new Case("failed recovery waits for the retry interval",
                        input(cold("n1"), stoppedUnknown("n1", "position recovery failed: timed out", NOW - seconds(3)),
                                n2At110, n3At105),
                        DecisionKind.WAIT, "position of n1 (position recovery failed: timed out) is unknown"),
                new Case("failed recovery runs again after the retry interval",
                        input(cold("n1"), stoppedUnknown("n1", "position recovery failed: timed out", NOW - seconds(11)),
                                n2At110, n3At105),
                        DecisionKind.RECOVER_POSITION, "position recovery failed"),
                new Case("unfinished state transfer is never recovered",
                        input(cold("n1"), stoppedUnknown("n1", StoppedPosition.SST_UNFINISHED + ": x exists", -1),
                                n2At110, n3At105),
                        DecisionKind.WAIT, "restart from cold"),
                new Case("most advanced node starts a new cluster", input(cold("n2"), n2At110, n1At100, n3At105),
                        DecisionKind.NEW_CLUSTER, "n2 holds the most advanced position"),
                new Case("less advanced node waits for the chosen one", input(cold("n1"), n1At100, n2At110, n3At105),
                        DecisionKind.WAIT, "this node starts and joins once n2 is Primary"),
                new Case("a peer whose position is unknown blocks the choice",
                        input(cold("n2"), n2At110, n1At100, stoppedUnknown("n3", "recovering", -1)),
                        DecisionKind.WAIT, "position of n3 (recovering) is unknown"),
                new Case("partial recovery waits for the timeout first",
                        input(partial("n2"), n2At110, n1At100, stoppedUnknown("n3", "recovering", -1)),
                        DecisionKind.WAIT, "position of n3 (recovering) is unknown"),
                new Case("partial recovery chooses among a majority after the timeout",
                        input(partial("n2"), n2At110, waited, empty, n1At100, stoppedUnknown("n3", "recovering", -1)),
                        DecisionKind.NEW_CLUSTER, "partial recovery without n3"),
                new Case("without partial recovery the timeout changes nothing",
                        input(cold("n2"), n2At110, waited, empty, n1At100, stoppedUnknown("n3", "recovering", -1)),
                        DecisionKind.WAIT, "set warden.recovery.allow-partial=true"),
                new Case("history ahead of every position refuses",
                        input(cold("n2"), n2At110, RecoveryMemory.empty(),
                                empty.observe("n3", new Position(STATE_UUID, 130)), n1At100, n3At105),
                        DecisionKind.WAIT, "node n3 was seen at " + STATE_UUID + ":130"),
                new Case("a Primary peer is joined", input(cold("n1"), n1At100, n2Primary, n3At105),
                        DecisionKind.START, "peer n2 is Primary"),
                new Case("an unknown own position is recovered before a join",
                        input(cold("n1"), n1Unknown, n2Primary, n3At105),
                        DecisionKind.RECOVER_POSITION, "own position is unknown"),
                new Case("a node whose recovery failed does not join",
                        input(cold("n1"), stoppedUnknown("n1", "position recovery failed: timed out", NOW - seconds(3)),
                                n2Primary, n3At105),
                        DecisionKind.WAIT, "a node joins only with a known position"),
                new Case("a node after an unfinished state transfer joins for a new one",
                        input(cold("n1"), stoppedUnknown("n1", StoppedPosition.SST_UNFINISHED + ": x exists", -1),
                                n2Primary, n3At105),
                        DecisionKind.START, "peer n2 is Primary"),
                new Case("a node before this one that cannot start is waited for only so long",
                        input(cold("n3"), n3At105, RecoveryMemory.empty().withJoinWaitSince(Optional.of(NOW - seconds(121))),
                                PositionHistory.empty(), n1At100, n2Primary),
                        DecisionKind.START, "peer n2 is Primary"),
                new Case("a member of the last view in maintenance is not back",
                        input(cold("n1"), inLastView(n1At100, N1_MEMBER),
                                Fixtures.inMaintenance(inLastView(n2At110, N2_MEMBER)), inLastView(n3At105, N3_MEMBER)),
                        DecisionKind.WAIT, "restart from cold"),
                new Case("an unparsable grastate.dat is recovered before a join",
                        input(cold("n1"), withFiles(n1Unknown, GrastateFile.invalid("seqno 'abc' is not a number"),
                                GvwstateFile.missing("none")), n2Primary, n3At105),
                        DecisionKind.RECOVER_POSITION, "own position is unknown"),
                new Case("maintenance keeps a stopped server stopped",
                        input(cold("n1"), Fixtures.inMaintenance(n1At100), n2Primary, n3At105),
                        DecisionKind.WAIT, "maintenance switch is on"),
                new Case("a chosen node in maintenance does not start a new cluster",
                        input(cold("n2"), Fixtures.inMaintenance(n2At110), n1At100, n3At105),
                        DecisionKind.WAIT, "maintenance switch is on"),
                new Case("a smaller node in maintenance does not hold up a join",
                        input(cold("n3"), n3At105, Fixtures.inMaintenance(n1At100), n2Primary),
                        DecisionKind.START, "peer n2 is Primary"),
                new Case("a smaller stopped node joins first", input(cold("n3"), n3At105, n1At100, n2Primary),
                        DecisionKind.WAIT, "node n1 joins first"),
                new Case("one node joins at a time", input(cold("n3"), n3At105, joining("n1"), n2Primary),
                        DecisionKind.WAIT, "node n1 is joining"),
                new Case("another history does not join",
                        input(cold("n1"), stopped("n1", OTHER_UUID, 900, GRA), n2Primary, n3At105),
                        DecisionKind.WAIT, "joining would replace this node's data"),
                new Case("a node ahead of the Primary does not join",
                        input(cold("n1"), stopped("n1", STATE_UUID, 130, GRA), n2Primary, n3At105),
                        DecisionKind.WAIT, "ahead of the Primary Component of n2"),
                new Case("a running non-Primary peer is restored in place, not restarted",
                        input(cold("n1"), n1At100, data("n2", nonPrimary(STATE_UUID, 110, 1)), n3At105),
                        DecisionKind.WAIT, "node n2's server runs NON_PRIMARY"),
                new Case("a starting peer blocks the choice", input(cold("n1"), n1At100, data("n2", hung()), n3At105),
                        DecisionKind.WAIT, "node n2's server does not answer"),
                new Case("own server starting is waited for", input(cold("n1"), data("n1", hung()), n2At110, n3At105),
                        DecisionKind.WAIT, "not known to be stopped"),
                new Case("all members of the last view back start for pc.recovery",
                        input(cold("n1"), inLastView(n1At100, N1_MEMBER), inLastView(n2At110, N2_MEMBER),
                                inLastView(n3At105, N3_MEMBER)),
                        DecisionKind.START, "pc.recovery"),
                new Case("a member of the last view that already starts does not hold up pc.recovery",
                        input(cold("n2"), inLastView(n2At110, N2_MEMBER), inLastView(data("n1", hung()), N1_MEMBER),
                                inLastView(n3At105, N3_MEMBER)),
                        DecisionKind.START, "pc.recovery"),
                new Case("a member missing from the last view means a choice",
                        input(cold("n2"), inLastView(n2At110, N2_MEMBER), inLastView(n1At100, N1_MEMBER), n3At105),
                        DecisionKind.NEW_CLUSTER, "n2 holds the most advanced position"),
                new Case("Galera's flag breaks a tie",
                        input(cold("n3"), withFiles(stopped("n3", STATE_UUID, 110, GRA),
                                        new GrastateFile(FileStatus.VALID, "", STATE_UUID, 110, true),
                                        GvwstateFile.missing("clean")),
                                stopped("n1", STATE_UUID, 110, GRA), stopped("n2", STATE_UUID, 110, GRA)),
                        DecisionKind.NEW_CLUSTER, "marked safe_to_bootstrap by Galera"),
                new Case("a flag without a position breaks no tie",
                        input(cold("n3"), withFiles(stopped("n3", STATE_UUID, 110, REC),
                                        new GrastateFile(FileStatus.VALID, "", Position.ZERO_UUID, -1, true),
                                        GvwstateFile.missing("clean")),
                                stopped("n1", STATE_UUID, 110, REC), stopped("n2", STATE_UUID, 110, REC)),
                        DecisionKind.WAIT, "once n1 is Primary"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decide(Case row) {
        Decision decision = DecisionEngine.decide(row.input());

        assertEquals(row.kind(), decision.kind(), decision.reason() + "; " + decision.evidenceText());
        assertTrue(decision.reason().contains(row.reason()), decision.reason());
    }

    @Test
    void newClusterCarriesPositionAndTerm() {
        Decision decision = DecisionEngine.decide(input(cold("n2"), stopped("n2", STATE_UUID, 110, REC),
                stopped("n1", STATE_UUID, 100, REC), stopped("n3", STATE_UUID, 105, GRA)));

        assertEquals(Optional.of(new Position(STATE_UUID, 110)), decision.position());
        assertEquals(1, decision.term());
        assertEquals("n2", decision.evidence().get("choice"));
        assertEquals(STATE_UUID + ":100", decision.evidence().get("pos_n1"));
    }

    @Test
    void stoppedServerLeftAloneByDefault() {
        Settings plain = Fixtures.threeData("n1", stateDir);
        Decision decision = DecisionEngine.decide(new DecisionInput(plain, stopped("n1", STATE_UUID, 100, REC),
                Map.of(), RecoveryMemory.empty(), 0, NOW));

        assertEquals(DecisionKind.STEADY, decision.kind());
    }

    @Test
    void nonPrimaryBehindStoppedNodeStops() {
        RecoveryMemory past = RecoveryMemory.empty().withNonPrimarySince(Optional.of(NOW - seconds(6)));
        DecisionInput input = input(cold("n1"), data("n1", nonPrimary(STATE_UUID, 100, 1)), past,
                PositionHistory.empty(), stopped("n2", STATE_UUID, 110, REC), stopped("n3", STATE_UUID, 90, REC));

        Decision decision = DecisionEngine.decide(input);

        assertEquals(DecisionKind.STOP, decision.kind(), decision.reason());
    }

    @Test
    void pcRecoveryStartStopsAfterGrace() {
        RecoveryMemory started = RecoveryMemory.empty().withPcRecoveryStart(Optional.of(NOW - seconds(31)));
        DecisionInput input = input(cold("n1"), data("n1", hung()), started, PositionHistory.empty(),
                stopped("n2", STATE_UUID, 110, REC), stopped("n3", STATE_UUID, 90, REC));

        Decision decision = DecisionEngine.decide(input);

        assertEquals(DecisionKind.STOP, decision.kind(), decision.reason());
        assertTrue(decision.reason().contains("pc.recovery"), decision.reason());
        assertEquals("true", decision.evidence().get(ColdStartEngine.PC_RECOVERY));
    }

    @Test
    void pcRecoveryStartWaitsWithinGrace() {
        RecoveryMemory started = RecoveryMemory.empty().withPcRecoveryStart(Optional.of(NOW - seconds(29)));
        DecisionInput input = input(cold("n1"), data("n1", hung()), started, PositionHistory.empty(),
                stopped("n2", STATE_UUID, 110, REC));

        assertEquals(DecisionKind.WAIT, DecisionEngine.decide(input).kind());
    }
}
