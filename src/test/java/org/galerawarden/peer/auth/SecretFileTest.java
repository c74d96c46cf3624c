package org.galerawarden.peer.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SecretFileTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    private Path writeSecret(String content, String permissions) throws IOException {
        Path file = dir.resolve("secret");
        Files.write(file, content.getBytes(StandardCharsets.UTF_8));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }

    private static String loadFailure(Path file) {
        return assertThrows(InvalidSecretException.class, () -> SecretFile.load(file)).getMessage();
    }

    @Test
    void loadTrimsTrailingNewline() throws Exception {
        Path file = writeSecret(SECRET + "\n", "rw-------");

        assertArrayEquals(SECRET.getBytes(StandardCharsets.UTF_8), SecretFile.load(file));
    }

    @Test
    void loadTrimsOnlyTrailingWhitespace() throws Exception {
        Path file = writeSecret("  " + SECRET + " \t\r\n\n", "rw-------");

        assertArrayEquals(("  " + SECRET).getBytes(StandardCharsets.UTF_8), SecretFile.load(file));
    }

    @Test
    void loadAcceptsMinimumLength() throws Exception {
        Path file = writeSecret("0123456789abcdef\n", "r--------");

        assertEquals(SecretFile.MIN_BYTES, SecretFile.load(file).length);
    }

    @Test
    void missingFileRejected() {
        Path file = dir.resolve("absent");

        String message = loadFailure(file);

        assertTrue(message.contains(file.toString()), message);
        assertTrue(message.contains("does not exist"), message);
        assertTrue(message.contains("openssl rand"), message);
    }

    @Test
    void directoryRejected() throws IOException {
        Path directory = Files.createDirectory(dir.resolve("secret.d"));

        String message = loadFailure(directory);

        assertTrue(message.contains(directory.toString()), message);
        assertTrue(message.contains("is a directory"), message);
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource({
        "rw-r-----, 0640, readable by group or others",
        "rw----r--, 0604, readable by group or others",
        "rw-r--r--, 0644, readable by group or others",
        "rw--w----, 0620, writable by group or others",
        "rw-----w-, 0602, writable by group or others",
        "rw-rw-rw-, 0666, readable and writable by group or others",
        "rwxr-x---, 0750, readable by group or others",
    })
    void groupOrOtherAccessRejected(String permissions, String mode, String access) throws IOException {
        Path file = writeSecret(SECRET, permissions);

        String message = loadFailure(file);

        assertTrue(message.contains(file.toString()), message);
        assertTrue(message.contains(access), message);
        assertTrue(message.contains("(mode " + mode + ")"), message);
        assertTrue(message.contains("chmod 600"), message);
        assertFalse(message.contains(SECRET), message);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rw-------", "r--------", "rwx------", "rw---x--x"})
    void ownerOnlyAccessAccepted(String permissions) throws Exception {
        Path file = writeSecret(SECRET, permissions);

        assertArrayEquals(SECRET.getBytes(StandardCharsets.UTF_8), SecretFile.load(file));
    }

    @ParameterizedTest(name = "content \"{0}\"")
    @ValueSource(strings = {"", "\n", " \t\r\n  \n"})
    void emptySecretRejected(String content) throws IOException {
        Path file = writeSecret(content, "rw-------");

        String message = loadFailure(file);

        assertTrue(message.contains(file.toString()), message);
        assertTrue(message.contains("is empty"), message);
    }

    @Test
    void shortSecretRejected() throws IOException {
        String shortSecret = "0123456789abcde";
        Path file = writeSecret(shortSecret + "\n", "rw-------");

        String message = loadFailure(file);

        assertTrue(message.contains(file.toString()), message);
        assertTrue(message.contains("contains 15 bytes"), message);
        assertTrue(message.contains("minimum of 16"), message);
        assertFalse(message.contains(shortSecret), message);
    }

    @Test
    void oversizedFileRejected() throws IOException {
        Path file = writeSecret("x".repeat(SecretFile.MAX_FILE_BYTES + 1), "rw-------");

        String message = loadFailure(file);

        assertTrue(message.contains("4097 bytes"), message);
        assertTrue(message.contains("maximum of 4096"), message);
    }

    @Test
    void symlinkToSafeFileAccepted() throws Exception {
        Path target = writeSecret(SECRET, "rw-------");
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);

        assertArrayEquals(SECRET.getBytes(StandardCharsets.UTF_8), SecretFile.load(link));
    }

    @Test
    void octalModeMatchesChmod() {
        assertEquals("0000", SecretFile.octalMode(PosixFilePermissions.fromString("---------")));
        assertEquals("0600", SecretFile.octalMode(PosixFilePermissions.fromString("rw-------")));
        assertEquals("0755", SecretFile.octalMode(PosixFilePermissions.fromString("rwxr-xr-x")));
        assertEquals("0777", SecretFile.octalMode(PosixFilePermissions.fromString("rwxrwxrwx")));
    }
}
