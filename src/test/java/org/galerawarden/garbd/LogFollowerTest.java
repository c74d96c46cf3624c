package org.galerawarden.garbd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFollowerTest {

    @TempDir
    Path dir;

    private void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void readsOnlyNewCompleteLines() throws IOException {
        Path file = dir.resolve("garbd.log");
        append(file, "old line\n");
        LogFollower follower = new LogFollower(file, LogFollower.sizeOf(file));

        append(file, "first\nsecond\nthi");
        assertEquals(List.of("first", "second"), follower.readNewLines());
        assertEquals(List.of(), follower.readNewLines());

        append(file, "rd\n");
        assertEquals(List.of("third"), follower.readNewLines());
    }

    @Test
    void missingFileHasNoLines() throws IOException {
        LogFollower follower = new LogFollower(dir.resolve("absent.log"), 0);

        assertEquals(List.of(), follower.readNewLines());
        assertEquals(0, LogFollower.sizeOf(dir.resolve("absent.log")));
    }

    @Test
    void truncatedFileReadFromStart() throws IOException {
        Path file = dir.resolve("garbd.log");
        append(file, "one\ntwo\n");
        LogFollower follower = new LogFollower(file, 0);
        assertEquals(List.of("one", "two"), follower.readNewLines());

        Files.writeString(file, "new\n");
        assertEquals(List.of("new"), follower.readNewLines());
    }

    @Test
    void tailReturnsLastLines() throws IOException {
        Path file = dir.resolve("garbd.log");
        append(file, "a\nb\n\nc\nd\n");

        assertEquals(List.of("c", "d"), LogFollower.tail(file, 2));
        assertEquals(List.of("a", "b", "c", "d"), LogFollower.tail(file, 10));
        assertEquals(List.of(), LogFollower.tail(dir.resolve("absent.log"), 2));
    }
}
