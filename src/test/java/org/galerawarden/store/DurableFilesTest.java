package org.galerawarden.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableFilesTest {

    @TempDir
    Path dir;

    private List<Path> filesInDir() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void appendLineEndsTornLine() throws IOException {
        Path journal = dir.resolve("intents.jsonl");
        Files.writeString(journal, "{\"id\":\"a\"}\n{\"id\":\"torn\",\"ti");

        DurableFiles.appendLine(journal, "{\"id\":\"b\"}");

        assertEquals(List.of("{\"id\":\"a\"}", "{\"id\":\"torn\",\"ti", "{\"id\":\"b\"}"),
                Files.readAllLines(journal));
    }

    @Test
    void writeAtomicallyCreatesFile() throws IOException {
        Path target = dir.resolve("voter.json");

        DurableFiles.writeAtomically(target, utf8("{\"term\":1}"));

        assertEquals("{\"term\":1}", Files.readString(target));
        assertEquals(List.of(target), filesInDir());
    }

    @Test
    void writeAtomicallyReplacesContent() throws IOException {
        Path target = dir.resolve("voter.json");
        Files.writeString(target, "{\"term\":1,\"grantedTo\":\"a much longer old value\"}");

        DurableFiles.writeAtomically(target, utf8("{\"term\":2}"));

        assertEquals("{\"term\":2}", Files.readString(target));
        assertEquals(List.of(target), filesInDir());
    }

    @Test
    void writeAtomicallyWritesEmptyContent() throws IOException {
        Path target = dir.resolve("lease.json");
        Files.writeString(target, "old");

        DurableFiles.writeAtomically(target, new byte[0]);

        assertEquals(0, Files.size(target));
    }

    @Test
    void failedReplaceLeavesNoTempFile() throws IOException {
        Path target = dir.resolve("voter.json");
        Files.createDirectories(target);
        Files.writeString(target.resolve("blocker"), "x");

        assertThrows(IOException.class, () -> DurableFiles.writeAtomically(target, utf8("{}")));

        assertEquals(List.of(target), filesInDir());
    }

    @Test
    void writeIntoMissingDirectoryFails() {
        Path target = dir.resolve("absent").resolve("voter.json");

        assertThrows(NoSuchFileException.class, () -> DurableFiles.writeAtomically(target, utf8("{}")));
    }

    @Test
    void appendLineCreatesFile() throws IOException {
        Path file = dir.resolve("intents.jsonl");

        DurableFiles.appendLine(file, "first");

        assertEquals("first\n", Files.readString(file));
    }

    @Test
    void appendLineKeepsEarlierLines() throws IOException {
        Path file = dir.resolve("intents.jsonl");

        DurableFiles.appendLine(file, "first");
        DurableFiles.appendLine(file, "second");
        DurableFiles.appendLine(file, "third with ünïcode");

        assertEquals(List.of("first", "second", "third with ünïcode"), Files.readAllLines(file));
        assertEquals(List.of(file), filesInDir());
    }
}
