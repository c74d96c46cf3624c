package org.galerawarden.audit;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.galerawarden.store.DurableFiles;
import org.jboss.logging.Logger;

/**
 * The append-only audit journal ({@code audit.jsonl} in the state directory): one JSON line per decision
 * change, action and vote, synced before the call returns. Thread-safe: appends are serialized.
 */
public class AuditJournal {

    private static final Logger LOG = Logger.getLogger(AuditJournal.class);

    private final Path file;
    private final String node;
    private final Clock clock;
    private final ObjectMapper json;

    public AuditJournal(Path stateDir, String node, Clock clock, ObjectMapper json) {
        this.file = stateDir.resolve("audit.jsonl");
        this.node = node;
        this.clock = clock;
        this.json = json;
    }

    public synchronized void record(String type, String kind, String reason, long term, Map<String, String> evidence) {
        AuditRecord entry = new AuditRecord(clock.instant(), node, type, kind, reason, term, evidence);
        try {
            DurableFiles.appendLine(file, json.writeValueAsString(entry));
        } catch (JsonProcessingException e) {
            LOG.errorf("[%s] encoding an audit record failed: %s", node, e.getMessage());
        } catch (IOException e) {
            LOG.errorf("[%s] appending to the audit journal %s failed: %s; check free space and permissions",
                    node, file, e.getMessage());
        }
    }

    public Path file() {
        return file;
    }
}
