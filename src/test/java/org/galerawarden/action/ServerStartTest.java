package org.galerawarden.action;

import static org.galerawarden.testing.Fixtures.STATE_UUID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.galerawarden.config.Settings;
import org.galerawarden.model.Position;
import org.galerawarden.probe.ConnectionFactory;
import org.galerawarden.probe.SqlProbe;
import org.galerawarden.testing.Fixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file checks of a normal start, with a command runner that records the commands instead of running them. */
class ServerStartTest {

    @TempDir
    Path stateDir;

    private Path datadir;
    private final List<List<String>> ran = new ArrayList<>();
    private ServerControl server;

    @BeforeEach
    void setUp() throws IOException {
        Settings settings = Fixtures.threeData("n1", stateDir);
        datadir = Files.createDirectories(settings.db().datadir());
        CommandRunner recorder = new CommandRunner() {
            @Override
            public CommandResult run(List<String> command, Duration timeout) {
                ran.add(command);
                return new CommandResult(command, 0, "", "");
            }
        };
        server = new ServerControl(settings, new SqlProbe(settings.db()),
                new SqlActions(new ConnectionFactory(settings.db()), Duration.ofSeconds(1)), recorder);
    }

    @Test
    void unparsableGrastateWithoutPositionBlocksStart() throws IOException {
        Files.writeString(datadir.resolve("grastate.dat"), "uuid: " + STATE_UUID + "\nseqno: abc\n");

        String failure = server.start(Optional.empty(), Duration.ofSeconds(5));

        assertTrue(failure.contains("position is unknown"), failure);
        assertEquals(List.of(), ran);
    }

    @Test
    void unparsableGrastateGetsRecoveredPosition() throws IOException {
        Path grastate = Files.writeString(datadir.resolve("grastate.dat"), "uuid: " + STATE_UUID + "\nseqno: abc\n");

        String failure = server.start(Optional.of(new Position(STATE_UUID, 42)), Duration.ofSeconds(5));

        assertEquals("", failure);
        assertTrue(Files.readString(grastate).contains("seqno:   42"), Files.readString(grastate));
        assertEquals(1, ran.size());
    }

    @Test
    void emptyGrastateAfterUnfinishedTransferIsMovedAside() throws IOException {
        Files.writeString(datadir.resolve("grastate.dat"), "");
        Files.writeString(datadir.resolve("sst_in_progress"), "");

        String failure = server.start(Optional.empty(), Duration.ofSeconds(5));

        assertEquals("", failure);
        assertFalse(Files.exists(datadir.resolve("grastate.dat")));
        assertEquals(1, ran.size());
    }

    @Test
    void brokenGvwstateIsMovedAside() throws IOException {
        Files.writeString(datadir.resolve("gvwstate.dat"), "my_uuid: garbage\n");

        String failure = server.start(Optional.empty(), Duration.ofSeconds(5));

        assertEquals("", failure);
        assertFalse(Files.exists(datadir.resolve("gvwstate.dat")));
        try (var files = Files.list(datadir)) {
            assertTrue(files.anyMatch(file -> file.getFileName().toString().startsWith("gvwstate.dat.broken-")));
        }
    }
}
