package org.galerawarden.decision;

import static org.galerawarden.testing.Fixtures.OTHER_UUID;
import static org.galerawarden.testing.Fixtures.STATE_UUID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.galerawarden.model.Position;
import org.galerawarden.model.PositionHistory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ColdChoiceTest {

    /**
     * One row: positions as {@code node=seqno}, {@code node=other:seqno} for the other state UUID, or
     * {@code node=?} for unknown; the expected winner, or a part of the rejection.
     */
    record Case(String name, String positions, Set<String> flagged, boolean partial, PositionHistory history,
            String winner, String rejection) {
        @Override
        public String toString() {
            return name;
        }

        Case withPartial() {
            return new Case(name, positions, flagged, true, history, winner, rejection);
        }
    }

    private static Case chosen(String name, String positions, String winner) {
        return new Case(name, positions, Set.of(), false, PositionHistory.empty(), winner, "");
    }

    private static Case rejected(String name, String positions, boolean partial, String rejection) {
        return new Case(name, positions, Set.of(), partial, PositionHistory.empty(), "", rejection);
    }

    static Stream<Case> cases() {
        PositionHistory seen = PositionHistory.empty().observe("n1", new Position(STATE_UUID, 120));
        return Stream.of(
                chosen("highest seqno wins", "n1=100 n2=110 n3=105", "n2"),
                chosen("first configured node loses when behind", "n1=90 n2=110 n3=110", "n2"),
                chosen("tie goes to the smallest name", "n1=100 n2=110 n3=110", "n2"),
                new Case("tie goes to the node Galera flagged", "n1=110 n2=110 n3=110", Set.of("n3"), false,
                        PositionHistory.empty(), "n3", ""),
                new Case("flag does not beat a higher seqno", "n1=111 n2=110 n3=110", Set.of("n3"), false,
                        PositionHistory.empty(), "n1", ""),
                rejected("unknown position blocks", "n1=100 n2=? n3=105", false, "position of n2 (test) is unknown"),
                chosen("unknown allowed with a known majority under partial", "n1=100 n2=? n3=105", "n3")
                        .withPartial(),
                rejected("partial needs a strict majority of known positions", "n1=100 n2=? n3=?", true,
                        "only 1 of 3 data nodes reported a position"),
                chosen("minority history is left out", "n1=100 n2=other:500 n3=90", "n1"),
                rejected("no history held by a majority", "n1=100 n2=other:500", false,
                        "no state UUID is held by a strict majority"),
                new Case("history ahead of every report refuses", "n1=100 n2=110 n3=105", Set.of(), false, seen, "",
                        "node n1 was seen at " + STATE_UUID + ":120"),
                new Case("history at the winner's position allows", "n1=120 n2=110 n3=105", Set.of(), false, seen,
                        "n1", ""),
                new Case("unreadable history refuses", "n1=100 n2=110 n3=105", Set.of(), false,
                        PositionHistory.unreadable("positions.json cannot be read"), "",
                        "positions.json cannot be read"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void choose(Case row) {
        Map<String, Optional<Position>> positions = new TreeMap<>();
        Map<String, String> reasons = new TreeMap<>();
        for (String entry : row.positions().split(" ")) {
            String[] parts = entry.split("=");
            if (parts[1].equals("?")) {
                positions.put(parts[0], Optional.empty());
                reasons.put(parts[0], "test");
            } else if (parts[1].startsWith("other:")) {
                positions.put(parts[0], Optional.of(new Position(OTHER_UUID, Long.parseLong(parts[1].substring(6)))));
            } else {
                positions.put(parts[0], Optional.of(new Position(STATE_UUID, Long.parseLong(parts[1]))));
            }
        }

        ColdChoice.Outcome outcome = ColdChoice.choose(positions, reasons, row.flagged(), row.partial(), row.history());

        if (row.winner().isEmpty()) {
            ColdChoice.Blocked blocked = assertInstanceOf(ColdChoice.Blocked.class, outcome, outcome.toString());
            assertTrue(blocked.reason().contains(row.rejection()), blocked.reason());
        } else {
            ColdChoice.Chosen chosen = assertInstanceOf(ColdChoice.Chosen.class, outcome, outcome.toString());
            assertEquals(row.winner(), chosen.node());
            assertEquals(positions.get(row.winner()).orElseThrow(), chosen.position());
        }
    }
}
