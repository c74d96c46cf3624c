package org.galerawarden.action;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.galerawarden.store.DurableFiles;
import org.jboss.logging.Logger;

/**
 * The intent journal ({@code intents.jsonl} in the state directory). Each recovery action is appended
 * as STARTED, synced, before it runs, and settled afterwards, so an agent restarted mid-action finds the
 * unsettled intent and reconciles it before doing anything else. Thread-safe.
 */
public class IntentJournal {

    private static final Logger LOG = Logger.getLogger(IntentJournal.class);

    private final Path file;
    private final ObjectMapper json;

    public IntentJournal(Path stateDir, ObjectMapper json) {
        this.file = stateDir.resolve("intents.jsonl");
        this.json = json;
    }

    public synchronized void append(Intent intent) throws IOException {
        DurableFiles.appendLine(file, json.writeValueAsString(intent));
    }

    /** Returns the latest intent that was started and never settled. */
    public synchronized Optional<Intent> unsettled() throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        return latestUnsettled(lines, json);
    }

    /**
     * Finds the latest STARTED intent without a settling line. A line that is not valid JSON, such as a
     * line cut short by a crash during the append, is skipped with a warning.
     */
    static Optional<Intent> latestUnsettled(List<String> lines, ObjectMapper json) {
        Map<String, Intent> open = new LinkedHashMap<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            try {
                Intent intent = json.readValue(line, Intent.class);
                if (Intent.STARTED.equals(intent.state())) {
                    open.put(intent.id(), intent);
                } else {
                    open.remove(intent.id());
                }
            } catch (IOException e) {
                LOG.warnf("skipping an unreadable intent journal line (%s): %s", e.getMessage(), line);
            }
        }
        return open.values().stream().reduce((first, second) -> second);
    }

    public Path file() {
        return file;
    }
}
