package org.galerawarden.garbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Membership from garbd's log, with lines as galera-arbitrator-4 26.4.23 writes them. */
class GarbdLogStateTest {

    private static final String JOIN_VIEW = "2026-12-04 16:34:06.299  INFO: view(view_id(PRIM,82dd274e-9b6d,3) memb {";
    private static final String JOIN_COMPONENT = "2026-12-04 16:34:06.795  INFO: New COMPONENT: primary = yes,"
            + " bootstrap = no, my_idx = 2, memb_num = 3";
    private static final String TO_JOINER = "2026-12-04 16:34:06.796  INFO: Shifting PRIMARY -> JOINER (TO: 7)";
    private static final String TO_SYNCED = "2026-12-04 16:34:06.799  INFO: Shifting JOINED -> SYNCED (TO: 7)";
    private static final String NON_PRIM_VIEW = "2026-12-04 16:40:01.100  INFO: view(view_id(NON_PRIM,82dd274e-9b6d,7)"
            + " memb {";
    private static final String LOST_COMPONENT = "2026-12-04 16:40:01.101  INFO: New COMPONENT: primary = no,"
            + " bootstrap = no, my_idx = 0, memb_num = 1";
    private static final String TO_OPEN = "2026-12-04 16:40:01.102  INFO: Shifting SYNCED -> OPEN (TO: 400)";
    private static final String EMPTY_VIEW = "2026-12-04 16:41:00.000  INFO: view((empty))";
    private static final String NOISE = "2026-12-04 16:34:06.795  INFO: STATE EXCHANGE: Waiting for state UUID.";

    static Stream<Arguments> sequences() {
        return Stream.of(
                Arguments.of("nothing logged", List.of(), null, 0, "", false),
                Arguments.of("Primary view waits for its component line", List.of(JOIN_VIEW), null, 0, "", false),
                Arguments.of("joined and synced", List.of(JOIN_VIEW, NOISE, JOIN_COMPONENT, TO_JOINER, TO_SYNCED), true, 3,
                        "SYNCED", true),
                Arguments.of("joiner not yet synced", List.of(JOIN_VIEW, JOIN_COMPONENT, TO_JOINER), true, 3, "JOINER",
                        true),
                Arguments.of("lost the Primary Component",
                        List.of(JOIN_VIEW, JOIN_COMPONENT, TO_SYNCED, NON_PRIM_VIEW, LOST_COMPONENT, TO_OPEN), false, 1,
                        "OPEN", false),
                Arguments.of("non-Primary view alone", List.of(JOIN_VIEW, JOIN_COMPONENT, TO_SYNCED, NON_PRIM_VIEW), false,
                        0, "SYNCED", false),
                Arguments.of("left the group", List.of(JOIN_VIEW, JOIN_COMPONENT, TO_SYNCED, EMPTY_VIEW), false, 0,
                        "SYNCED", false),
                Arguments.of("joined again", List.of(JOIN_COMPONENT, TO_SYNCED, LOST_COMPONENT, TO_OPEN, JOIN_VIEW,
                        JOIN_COMPONENT, TO_SYNCED), true, 3, "SYNCED", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sequences")
    void applyTracksMembership(String name, List<String> lines, Boolean primary, int members, String state,
            boolean member) {
        GarbdLogState log = GarbdLogState.initial();
        for (String line : lines) {
            log = log.apply(line);
        }

        assertEquals(primary, log.primary(), "primary");
        assertEquals(members, log.members(), "members");
        assertEquals(state, log.state(), "state");
        assertEquals(member, log.member(), "member");
    }

    @Test
    void evidenceIsLastRelevantLine() {
        GarbdLogState log = GarbdLogState.initial().apply(JOIN_COMPONENT).apply(NOISE);

        assertEquals(JOIN_COMPONENT, log.evidence());
    }

    @Test
    void syncedOnlyAfterShiftToSynced() {
        GarbdLogState log = GarbdLogState.initial().apply(JOIN_COMPONENT);

        assertFalse(log.synced());
        assertTrue(log.apply(TO_SYNCED).synced());
        assertNull(GarbdLogState.initial().primary());
    }
}
