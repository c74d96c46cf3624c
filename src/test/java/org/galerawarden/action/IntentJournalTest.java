package org.galerawarden.action;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.galerawarden.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IntentJournalTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private final ObjectMapper json = Fixtures.json();

    @TempDir
    Path stateDir;

    private static Intent started(String id, long term, String action) {
        return new Intent(id, T0, term, action, "n1", Intent.STARTED, "grant round won");
    }

    private String line(Intent intent) throws JsonProcessingException {
        return json.writeValueAsString(intent);
    }

    private Optional<Intent> latest(String... lines) {
        return IntentJournal.latestUnsettled(List.of(lines), json);
    }

    @Test
    void emptyJournalHasNone() {
        assertEquals(Optional.empty(), latest());
    }

    @Test
    void settledIntentIsNotReturned() throws IOException {
        Intent bootstrap = started("a", 4, "BOOTSTRAP");

        assertEquals(Optional.empty(), latest(line(bootstrap), line(bootstrap.settled(T0.plusSeconds(3), Intent.DONE,
                "done"))));
    }

    @Test
    void failedAndAbandonedSettle() throws IOException {
        Intent bootstrap = started("a", 4, "BOOTSTRAP");
        Intent fence = started("b", 4, "FENCE");

        assertEquals(Optional.empty(), latest(line(bootstrap), line(fence),
                line(bootstrap.settled(T0, Intent.FAILED, "new-cluster command failed")),
                line(fence.settled(T0, Intent.ABANDONED, "reconciled"))));
    }

    @Test
    void startedOnlyIsReturned() throws IOException {
        Intent bootstrap = started("a", 4, "BOOTSTRAP");

        assertEquals(Optional.of(bootstrap), latest(line(bootstrap)));
    }

    @Test
    void otherOfTwoStartedIsReturned() throws IOException {
        Intent first = started("a", 4, "BOOTSTRAP");
        Intent second = started("b", 4, "FENCE");

        assertEquals(Optional.of(first), latest(line(first), line(second), line(second.settled(T0, Intent.DONE,
                "done"))));
        assertEquals(Optional.of(second), latest(line(first), line(second), line(first.settled(T0, Intent.DONE,
                "done"))));
    }

    @Test
    void latestOfTwoOpenIsReturned() throws IOException {
        Intent first = started("a", 4, "BOOTSTRAP");
        Intent second = started("b", 5, "FENCE");

        assertEquals(Optional.of(second), latest(line(first), line(second)));
    }

    @Test
    void truncatedLastLineIsSkipped() throws IOException {
        Intent bootstrap = started("a", 4, "BOOTSTRAP");
        String cut = line(started("b", 5, "FENCE"));

        assertEquals(Optional.of(bootstrap), latest(line(bootstrap), cut.substring(0, cut.length() / 2)));
    }

    @Test
    void truncatedSettlingLineLeavesIntentOpen() throws IOException {
        Intent bootstrap = started("a", 4, "BOOTSTRAP");
        String settled = line(bootstrap.settled(T0, Intent.DONE, "done"));

        assertEquals(Optional.of(bootstrap), latest(line(bootstrap), settled.substring(0, settled.length() - 1)));
    }

    @Test
    void blankLinesAreSkipped() throws IOException {
        Intent bootstrap = started("a", 4, "BOOTSTRAP");

        assertEquals(Optional.of(bootstrap), latest("", line(bootstrap), "   "));
    }

    @Test
    void missingFileHasNone() throws IOException {
        IntentJournal journal = new IntentJournal(stateDir, json);

        assertEquals(Optional.empty(), journal.unsettled());
    }

    @Test
    void emptyFileHasNone() throws IOException {
        IntentJournal journal = new IntentJournal(stateDir, json);
        Files.createFile(journal.file());

        assertEquals(Optional.empty(), journal.unsettled());
    }

    @Test
    void appendedIntentIsReadBack() throws IOException {
        IntentJournal journal = new IntentJournal(stateDir, json);
        Intent bootstrap = started("a", 4, "BOOTSTRAP");
        Intent fence = started("b", 5, "FENCE");

        journal.append(bootstrap);
        journal.append(fence);
        journal.append(fence.settled(T0.plusSeconds(1), Intent.DONE, "server stopped"));

        assertEquals(stateDir.resolve("intents.jsonl"), journal.file());
        assertEquals(3, Files.readAllLines(journal.file()).size());
        assertEquals(Optional.of(bootstrap), journal.unsettled());
    }
}
