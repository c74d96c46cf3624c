package org.galerawarden.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

import org.galerawarden.model.FileStatus;
import org.galerawarden.model.GrastateFile;
import org.galerawarden.model.Position;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GrastateParserTest {

    private static final String UUID = "5ee99582-bb8d-11e2-b8e3-23de375c1d30";

    /** A file as Galera 4 writes it on a clean shutdown of the last node. */
    private static final String CLEAN_SHUTDOWN = "# GALERA saved state\n"
            + "version: 2.1\n"
            + "uuid:    5ee99582-bb8d-11e2-b8e3-23de375c1d30\n"
            + "seqno:   1234\n"
            + "safe_to_bootstrap: 1\n";

    /** A file of a running or crashed server. */
    private static final String RUNNING = "# GALERA saved state\n"
            + "version: 2.1\n"
            + "uuid:    5ee99582-bb8d-11e2-b8e3-23de375c1d30\n"
            + "seqno:   -1\n"
            + "safe_to_bootstrap: 0\n";

    /**
     * Files that MariaDB 10.11.19 with Galera 4.23 wrote. The first is the last node after a clean shutdown,
     * where Galera padded the shorter rewrite with one space after the last newline. The second is the same
     * node after kill -9, and the third a node that stopped cleanly while another one kept running.
     */
    private static final String REAL_LAST_NODE = "# GALERA saved state\nversion: 2.1\n"
            + "uuid:    4ad9f36a-effa-11f1-9f8b-5ea2d3fbdfc7\nseqno:   6\nsafe_to_bootstrap: 1\n ";
    private static final String REAL_CRASHED = "# GALERA saved state\nversion: 2.1\n"
            + "uuid:    4ad9f36a-effa-11f1-9f8b-5ea2d3fbdfc7\nseqno:   -1\nsafe_to_bootstrap: 1\n";
    private static final String REAL_LEFT_EARLY = "# GALERA saved state\nversion: 2.1\n"
            + "uuid:    4ad9f36a-effa-11f1-9f8b-5ea2d3fbdfc7\nseqno:   10\nsafe_to_bootstrap: 0\n";
    private static final String REAL_UUID = "4ad9f36a-effa-11f1-9f8b-5ea2d3fbdfc7";

    private static String withSeqno(String seqno) {
        return RUNNING.replace("seqno:   -1", "seqno:   " + seqno);
    }

    static Stream<Arguments> validFiles() {
        return Stream.of(
                Arguments.of("clean shutdown", CLEAN_SHUTDOWN, UUID, 1234L, true),
                Arguments.of("real last node with padding", REAL_LAST_NODE, REAL_UUID, 6L, true),
                Arguments.of("real crashed node", REAL_CRASHED, REAL_UUID, -1L, true),
                Arguments.of("real node that left early", REAL_LEFT_EARLY, REAL_UUID, 10L, false),
                Arguments.of("running server", RUNNING, UUID, -1L, false),
                Arguments.of("CRLF line ends", CLEAN_SHUTDOWN.replace("\n", "\r\n"), UUID, 1234L, true),
                Arguments.of("space padding after a shorter rewrite", CLEAN_SHUTDOWN + "          ", UUID, 1234L, true),
                Arguments.of("no newline at the end", CLEAN_SHUTDOWN.strip(), UUID, 1234L, true),
                Arguments.of("unknown keys", "# GALERA saved state\nversion: 2.1\nfuture_key: 7\n"
                        + "uuid: " + UUID + "\nseqno: 5\nnote without colon\nsafe_to_bootstrap: 0\n", UUID, 5L, false),
                Arguments.of("old cert_index key and no safe_to_bootstrap", "# GALERA saved state\nversion: 2.1\n"
                        + "uuid:    " + UUID + "\nseqno:   42\ncert_index:\n", UUID, 42L, false),
                Arguments.of("zero UUID", "# GALERA saved state\nversion: 2.1\n"
                        + "uuid:    00000000-0000-0000-0000-000000000000\nseqno:   -1\nsafe_to_bootstrap: 0\n",
                        Position.ZERO_UUID, -1L, false),
                Arguments.of("unsigned form of -1", withSeqno("18446744073709551615"),
                        UUID, -1L, false),
                Arguments.of("largest signed seqno", withSeqno("9223372036854775807"), UUID,
                        Long.MAX_VALUE, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validFiles")
    void parseValid(String name, String text, String uuid, long seqno, boolean safeToBootstrap) {
        GrastateFile parsed = GrastateParser.parse(text);

        assertEquals(FileStatus.VALID, parsed.status(), parsed.reason());
        assertEquals("", parsed.reason());
        assertEquals(uuid, parsed.uuid());
        assertEquals(seqno, parsed.seqno());
        assertEquals(safeToBootstrap, parsed.safeToBootstrap());
    }

    static Stream<Arguments> rejectedFiles() {
        return Stream.of(
                Arguments.of("empty", "", FileStatus.EMPTY, "grastate.dat is empty"),
                Arguments.of("whitespace only", "  \n\t\r\n   ", FileStatus.EMPTY, "contains only whitespace"),
                Arguments.of("uuid cut mid-value", "# GALERA saved state\nversion: 2.1\nuuid:    5ee99582-bb8d",
                        FileStatus.INVALID, "uuid '5ee99582-bb8d' is not a UUID"),
                Arguments.of("file ends after uuid key", "# GALERA saved state\nversion: 2.1\nuuid:",
                        FileStatus.INVALID, "uuid is empty, so the file is truncated"),
                Arguments.of("file ends before seqno", "# GALERA saved state\nversion: 2.1\nuuid:    " + UUID + "\n",
                        FileStatus.INVALID, "no 'seqno:' line"),
                Arguments.of("only the comment", "# GALERA saved state\n", FileStatus.INVALID, "no 'uuid:' line"),
                Arguments.of("non-numeric seqno", withSeqno("abc"), FileStatus.INVALID,
                        "seqno 'abc' is not a number"),
                Arguments.of("empty seqno", withSeqno(""), FileStatus.INVALID,
                        "seqno '' is not a number"),
                Arguments.of("seqno one past the signed range", withSeqno("9223372036854775808"),
                        FileStatus.INVALID, "seqno '9223372036854775808' is outside the signed 64-bit range"),
                Arguments.of("seqno 2^64", withSeqno("18446744073709551616"), FileStatus.INVALID,
                        "seqno '18446744073709551616' is outside the signed 64-bit range"),
                Arguments.of("seqno below -1", withSeqno("-2"), FileStatus.INVALID,
                        "seqno '-2' is below -1"),
                Arguments.of("uppercase UUID", RUNNING.replace(UUID, UUID.toUpperCase()), FileStatus.INVALID,
                        "uuid '5EE99582-BB8D-11E2-B8E3-23DE375C1D30' is not a UUID in Galera's format"),
                Arguments.of("garbage UUID", RUNNING.replace(UUID, "not-a-uuid"), FileStatus.INVALID,
                        "uuid 'not-a-uuid' is not a UUID"),
                Arguments.of("safe_to_bootstrap 2", RUNNING.replace("safe_to_bootstrap: 0", "safe_to_bootstrap: 2"),
                        FileStatus.INVALID, "safe_to_bootstrap '2' is not 0 or 1"),
                Arguments.of("seqno twice", RUNNING + "seqno:   7\n", FileStatus.INVALID,
                        "key 'seqno' appears more than once"),
                Arguments.of("NUL bytes", "\0\0\0\0\0\0\0\0", FileStatus.INVALID,
                        "contains binary data (character U+0000 at offset 0)"),
                Arguments.of("bytes that are not UTF-8",
                        new String(new byte[] {'u', 'u', 'i', 'd', ':', (byte) 0xC3, (byte) 0x28},
                                StandardCharsets.UTF_8),
                        FileStatus.INVALID, "contains binary data (character U+FFFD at offset 5)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejectedFiles")
    void parseRejected(String name, String text, FileStatus status, String reason) {
        GrastateFile parsed = GrastateParser.parse(text);

        assertEquals(status, parsed.status());
        assertTrue(parsed.reason().contains(reason), () -> "reason was: " + parsed.reason());
        assertEquals(Optional.empty(), parsed.position());
    }

    @Test
    void positionOfCleanShutdown() {
        GrastateFile parsed = GrastateParser.parse(CLEAN_SHUTDOWN);

        assertEquals(Optional.of(new Position(UUID, 1234)), parsed.position());
        assertTrue(parsed.trustedSafeToBootstrap());
    }

    @Test
    void positionUnknownForSeqnoMinusOne() {
        GrastateFile parsed = GrastateParser.parse(RUNNING.replace("safe_to_bootstrap: 0", "safe_to_bootstrap: 1"));

        assertEquals(Optional.empty(), parsed.position());
        assertFalse(parsed.trustedSafeToBootstrap());
    }

    @Test
    void crashedNodeFlagNotTrusted() {
        GrastateFile parsed = GrastateParser.parse(REAL_CRASHED);

        assertTrue(parsed.safeToBootstrap());
        assertFalse(parsed.trustedSafeToBootstrap());
    }

    @Test
    void unsignedMinusOnePredicate() {
        assertTrue(GrastateParser.isUnsignedMinusOne("18446744073709551615"));
        assertFalse(GrastateParser.isUnsignedMinusOne("18446744073709551614"));
        assertFalse(GrastateParser.isUnsignedMinusOne("-1"));
    }

    @Test
    void readMissingFile(@TempDir Path directory) {
        Path file = directory.resolve("grastate.dat");

        GrastateFile read = GrastateParser.read(file);

        assertEquals(FileStatus.MISSING, read.status());
        assertEquals(file + " does not exist", read.reason());
    }

    @Test
    void readDirectoryIsInvalid(@TempDir Path directory) {
        GrastateFile read = GrastateParser.read(directory);

        assertEquals(FileStatus.INVALID, read.status());
        assertTrue(read.reason().startsWith("reading " + directory + " failed: "), read.reason());
    }

    @Test
    void readPrefixesReasonWithPath(@TempDir Path directory) throws IOException {
        Path file = Files.writeString(directory.resolve("grastate.dat"), withSeqno("abc"));

        GrastateFile read = GrastateParser.read(file);

        assertEquals(FileStatus.INVALID, read.status());
        assertEquals(file + ": seqno 'abc' is not a number", read.reason());
    }

    @Test
    void readValidFile(@TempDir Path directory) throws IOException {
        Path file = Files.writeString(directory.resolve("grastate.dat"), CLEAN_SHUTDOWN);

        GrastateFile read = GrastateParser.read(file);

        assertEquals(FileStatus.VALID, read.status());
        assertEquals("", read.reason());
        assertEquals(Optional.of(new Position(UUID, 1234)), read.position());
    }

    @Test
    void readEmptyFile(@TempDir Path directory) throws IOException {
        Path file = Files.writeString(directory.resolve("grastate.dat"), "");

        GrastateFile read = GrastateParser.read(file);

        assertEquals(FileStatus.EMPTY, read.status());
        assertEquals(file + ": grastate.dat is empty", read.reason());
    }
}
