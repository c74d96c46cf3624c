package org.galerawarden.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** One line of an agent's audit journal, as the tests read it. */
public record AuditEntry(Instant time, String node, String type, String kind, String reason, long term,
        Map<String, String> evidence) {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** Reads every entry of one journal; a missing journal has none. */
    public static List<AuditEntry> read(Path journal) {
        List<AuditEntry> entries = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(journal)) {
                if (!line.isBlank()) {
                    entries.add(JSON.readValue(line, AuditEntry.class));
                }
            }
        } catch (NoSuchFileException e) {
            return entries;
        } catch (IOException e) {
            throw new IllegalStateException("reading " + journal + " failed", e);
        }
        return entries;
    }

    /** Reads the entries of several hosts' journals that have the given kind. */
    public static List<AuditEntry> ofKind(Lab lab, List<String> hosts, String kind) {
        List<AuditEntry> found = new ArrayList<>();
        for (String host : hosts) {
            for (AuditEntry entry : read(lab.auditJournal(host))) {
                if (entry.kind().equals(kind)) {
                    found.add(entry);
                }
            }
        }
        return found;
    }
}
