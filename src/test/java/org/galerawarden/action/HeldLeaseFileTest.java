package org.galerawarden.action;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

import org.galerawarden.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HeldLeaseFileTest {

    private static final Instant END = Instant.parse("2025-01-01T00:00:10.250Z");

    @TempDir
    Path stateDir;

    private HeldLeaseFile leaseFile() {
        return new HeldLeaseFile(stateDir, Fixtures.json());
    }

    @Test
    void storedLeaseRoundTrips() throws IOException {
        leaseFile().store(7, END);

        assertEquals(Optional.of(new HeldLeaseFile.Stored(7, END)), leaseFile().load());
        assertEquals(stateDir.resolve("lease.json"), leaseFile().file());
    }

    @Test
    void storeReplacesEarlierLease() throws IOException {
        HeldLeaseFile file = leaseFile();
        file.store(7, END);

        file.store(8, END.plusSeconds(3));

        assertEquals(Optional.of(new HeldLeaseFile.Stored(8, END.plusSeconds(3))), file.load());
    }

    @Test
    void missingFileHasNoLease() {
        assertEquals(Optional.empty(), leaseFile().load());
    }

    @Test
    void deleteRemovesLease() throws IOException {
        HeldLeaseFile file = leaseFile();
        file.store(7, END);

        file.delete();
        file.delete();

        assertFalse(Files.exists(file.file()));
        assertEquals(Optional.empty(), file.load());
    }

    @ParameterizedTest(name = "lease.json holding \"{0}\"")
    @ValueSource(strings = {"", "garbage", "{\"term\": 7, \"validUntil\": \"tomorrow\"}", "{\"term\": 7,"})
    void unreadableFileMeansEndedLease(String content) throws IOException {
        Files.writeString(stateDir.resolve("lease.json"), content, StandardCharsets.UTF_8);

        assertEquals(Optional.of(new HeldLeaseFile.Stored(0, Instant.EPOCH)), leaseFile().load());
    }

    @Test
    void leaseWithoutEndMeansEnded() throws IOException {
        Files.writeString(stateDir.resolve("lease.json"), "{\"term\": 7}", StandardCharsets.UTF_8);

        Optional<HeldLeaseFile.Stored> stored = leaseFile().load();

        assertEquals(Instant.EPOCH, stored.orElseThrow().validUntil());
    }

    @Test
    void nullFileMeansEndedLease() throws IOException {
        Files.writeString(stateDir.resolve("lease.json"), "null", StandardCharsets.UTF_8);

        Optional<HeldLeaseFile.Stored> stored = assertDoesNotThrow(() -> leaseFile().load());

        assertEquals(Optional.of(new HeldLeaseFile.Stored(0, Instant.EPOCH)), stored);
    }
}
