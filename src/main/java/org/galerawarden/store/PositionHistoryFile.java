package org.galerawarden.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.galerawarden.model.PositionHistory;
import org.galerawarden.model.PositionHistory.Sighting;

/**
 * {@code positions.json} in the state directory: the highest position seen per state UUID. It outlives
 * a power loss, when it matters most. A file that cannot be read is left as it is, and the history counts
 * as unreadable, which blocks every restart choice until an operator repairs or removes the file.
 */
public class PositionHistoryFile {

    private static final TypeReference<Map<String, Sighting>> TYPE = new TypeReference<>() {
    };

    private final Path file;
    private final ObjectMapper json;

    public PositionHistoryFile(Path stateDir, ObjectMapper json) {
        this.file = stateDir.resolve("positions.json");
        this.json = json;
    }

    public PositionHistory load() {
        try {
            Map<String, Sighting> stored = json.readValue(Files.readAllBytes(file), TYPE);
            if (stored == null || stored.values().stream().anyMatch(s -> s == null || s.node() == null)) {
                return PositionHistory.unreadable(file + " holds no valid position history; remove it to start"
                        + " a new history, or restore it from a backup");
            }
            return new PositionHistory(stored, true, "");
        } catch (NoSuchFileException e) {
            return PositionHistory.empty();
        } catch (IOException e) {
            return PositionHistory.unreadable(file + " cannot be read (" + e.getMessage().lines().findFirst()
                    .orElse("") + "); remove it to start a new history, or restore it from a backup");
        }
    }

    public void store(PositionHistory history) throws IOException {
        DurableFiles.writeAtomically(file, json.writeValueAsBytes(history.highest()));
    }

    public Path file() {
        return file;
    }
}
