package org.galerawarden.action;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.galerawarden.store.DurableFiles;

/**
 * {@code lease.json} in the state directory: the lease this node holds as leader of a bootstrapped
 * minority component, with its end on the wall clock. An agent restarted while its node leads such a
 * component reads it back, so it still fences in time; without it, the node would stay Primary after
 * the voters' leases ended.
 */
public class HeldLeaseFile {

    /** The stored lease: the bootstrap's term and the wall-clock time it ends. */
    public record Stored(long term, Instant validUntil) {
    }

    private static final Stored ENDED = new Stored(0, Instant.EPOCH);

    private final Path file;
    private final ObjectMapper json;

    public HeldLeaseFile(Path stateDir, ObjectMapper json) {
        this.file = stateDir.resolve("lease.json");
        this.json = json;
    }

    public void store(long term, Instant validUntil) throws IOException {
        DurableFiles.writeAtomically(file, json.writeValueAsBytes(new Stored(term, validUntil)));
    }

    /**
     * Reads the stored lease. An unreadable file counts as a lease that has already ended, which makes
     * the agent fence a minority component rather than trust it.
     */
    public Optional<Stored> load() {
        try {
            Stored stored = json.readValue(Files.readAllBytes(file), Stored.class);
            if (stored == null || stored.validUntil() == null) {
                return Optional.of(ENDED);
            }
            return Optional.of(stored);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(ENDED);
        }
    }

    public void delete() throws IOException {
        Files.deleteIfExists(file);
    }

    public Path file() {
        return file;
    }
}
