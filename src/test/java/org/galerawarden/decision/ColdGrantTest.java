package org.galerawarden.decision;

import static org.galerawarden.testing.Fixtures.NOW;
import static org.galerawarden.testing.Fixtures.STATE_UUID;
import static org.galerawarden.testing.Fixtures.data;
import static org.galerawarden.testing.Fixtures.nonPrimary;
import static org.galerawarden.testing.Fixtures.peers;
import static org.galerawarden.testing.Fixtures.reachable;
import static org.galerawarden.testing.Fixtures.stopped;
import static org.galerawarden.testing.Fixtures.stoppedUnknown;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import org.galerawarden.config.Settings;
import org.galerawarden.model.NodeSnapshot;
import org.galerawarden.model.PeerView;
import org.galerawarden.model.Position;
import org.galerawarden.model.PositionHistory;
import org.galerawarden.model.StoppedPosition;
import org.galerawarden.testing.Fixtures;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Grants for a restart from cold, asked by a candidate whose server is stopped; the voter is n3. */
class ColdGrantTest {

    @TempDir
    static Path stateDir;

    private static final String REC = StoppedPosition.FROM_RECOVERY;
    private static final VoterMemory FRESH = new VoterMemory(0, 0, "", "", 0);

    record Case(String name, String candidate, long seqno, NodeSnapshot self, Map<String, PeerView> peers,
            PositionHistory history, boolean granted, String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Map<String, PeerView> view(NodeSnapshot... snapshots) {
        PeerView[] views = new PeerView[snapshots.length];
        for (int i = 0; i < snapshots.length; i++) {
            views[i] = reachable(snapshots[i], 0, NOW);
        }
        return peers(views);
    }

    static Stream<Case> cases() {
        NodeSnapshot n1 = stopped("n1", STATE_UUID, 100, REC);
        NodeSnapshot n2 = stopped("n2", STATE_UUID, 110, REC);
        NodeSnapshot n3 = stopped("n3", STATE_UUID, 105, REC);
        PositionHistory empty = PositionHistory.empty();
        return Stream.of(
                new Case("the most advanced node is granted", "n2", 110, n3, view(n1, n2), empty, true,
                        "n2 holds the most advanced position"),
                new Case("a less advanced node is refused", "n1", 100, n3, view(n1, n2), empty, false,
                        "this voter chooses n2, not n1"),
                new Case("a candidate claiming a higher position is judged at it", "n1", 120, n3, view(n1, n2), empty,
                        true, "n1 holds the most advanced position"),
                new Case("an unknown position refuses", "n2", 110, stoppedUnknown("n3", "recovering", -1),
                        view(n1, n2), empty, false, "position of n3 (recovering) is unknown"),
                new Case("a running server refuses", "n2", 110, n3,
                        view(data("n1", nonPrimary(STATE_UUID, 100, 1)), n2), empty, false,
                        "node n1's server is not stopped"),
                new Case("the voter's own running server refuses", "n2", 110, data("n3", nonPrimary(STATE_UUID, 105, 1)),
                        view(n1, n2), empty, false, "this voter's own server is not stopped"),
                new Case("history ahead of the candidate refuses", "n2", 110, n3, view(n1, n2),
                        empty.observe("n1", new Position(STATE_UUID, 140)), false, "was seen at"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void evaluateGrant(Case row) {
        Settings voter = Fixtures.coldStart(Fixtures.threeData("n3", stateDir));

        Verdict verdict = GrantPolicy.evaluateGrant(voter, row.self(), row.peers(), FRESH, 1, row.candidate(),
                new Position(STATE_UUID, row.seqno()), NOW, row.history());

        assertEquals(row.granted(), verdict.granted(), verdict.reason());
        assertTrue(verdict.reason().contains(row.reason()), verdict.reason());
    }
}
