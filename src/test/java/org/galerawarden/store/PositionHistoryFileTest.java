package org.galerawarden.store;

import static org.galerawarden.testing.Fixtures.STATE_UUID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.galerawarden.model.Position;
import org.galerawarden.model.PositionHistory;
import org.galerawarden.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PositionHistoryFileTest {

    @TempDir
    Path dir;

    @Test
    void missingFileIsAnEmptyHistory() {
        PositionHistory history = new PositionHistoryFile(dir, Fixtures.json()).load();

        assertTrue(history.readable());
        assertTrue(history.highest().isEmpty());
    }

    @Test
    void storedHistoryReadsBack() throws IOException {
        PositionHistoryFile file = new PositionHistoryFile(dir, Fixtures.json());
        PositionHistory history = PositionHistory.empty().observe("n2", new Position(STATE_UUID, 42));

        file.store(history);

        assertEquals(history.highest(), file.load().highest());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "garbage", "[1,2]", "{\"" + STATE_UUID + "\": 5}", "{\"x\": {\"seqno\": 1}}", "null"})
    void garbageIsUnreadableAndKept(String text) throws IOException {
        Path stored = Files.writeString(dir.resolve("positions.json"), text);

        PositionHistory history = new PositionHistoryFile(dir, Fixtures.json()).load();

        assertFalse(history.readable(), text);
        assertTrue(history.problem().contains("positions.json"), history.problem());
        assertTrue(history.problem().contains("remove it"), history.problem());
        assertEquals(text, Files.readString(stored));
    }

    @Test
    void historyOnlyGrows() {
        PositionHistory history = PositionHistory.empty().observe("n1", new Position(STATE_UUID, 10));

        assertSame(history, history.observe("n2", new Position(STATE_UUID, 9)));
        assertEquals("n3", history.observe("n3", new Position(STATE_UUID, 11)).highest(STATE_UUID).orElseThrow().node());
        assertTrue(PositionHistory.unreadable("x").observe("n1", new Position(STATE_UUID, 1)).highest().isEmpty());
    }
}
