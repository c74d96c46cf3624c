package org.galerawarden.action;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.List;

import org.galerawarden.model.Position;
import org.galerawarden.probe.GrastateParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GrastateEditorTest {

    private static final String UUID = "4ad9f36a-effa-11f1-9f8b-5ea2d3fbdfc7";
    private static final Position SAVED = new Position(UUID, 17);

    /** A file as Galera 4 writes it on a clean shutdown of a node that was not the last one. */
    private static final String CLEAN = "# GALERA saved state\n"
            + "version: 2.1\n"
            + "uuid:    4ad9f36a-effa-11f1-9f8b-5ea2d3fbdfc7\n"
            + "seqno:   17\n"
            + "safe_to_bootstrap: 0\n";

    @TempDir
    Path directory;

    private Path write(String text) throws IOException {
        return Files.writeString(directory.resolve("grastate.dat"), text);
    }

    @Test
    void setsFlag() throws IOException {
        Path file = write(CLEAN);

        GrastateEditor.setSafeToBootstrap(file, SAVED);

        assertEquals(CLEAN.replace("safe_to_bootstrap: 0", "safe_to_bootstrap: 1"), Files.readString(file));
        assertTrue(GrastateParser.read(file).trustedSafeToBootstrap());
    }

    /** The padded file Galera 4.23 left on the last node of a clean shutdown, with the flag cleared. */
    @Test
    void setsFlagKeepingGaleraPadding() throws IOException {
        String padded = "# GALERA saved state\nversion: 2.1\nuuid:    " + UUID + "\nseqno:   6\n"
                + "safe_to_bootstrap: 0\n ";
        Path file = write(padded);

        GrastateEditor.setSafeToBootstrap(file, new Position(UUID, 6));

        assertEquals(padded.replace("safe_to_bootstrap: 0", "safe_to_bootstrap: 1"), Files.readString(file));
    }

    @Test
    void secondCallChangesNothing() throws IOException {
        Path file = write(CLEAN);

        GrastateEditor.setSafeToBootstrap(file, SAVED);
        byte[] once = Files.readAllBytes(file);
        GrastateEditor.setSafeToBootstrap(file, SAVED);

        assertArrayEquals(once, Files.readAllBytes(file));
    }

    @Test
    void keepsUnknownLinesAndPadding() throws IOException {
        String text = "# GALERA saved state\r\n"
                + "version: 2.1\r\n"
                + "# edited by hand\r\n"
                + "uuid:    " + UUID + "\r\n"
                + "future_key:  value  \r\n"
                + "seqno:   17\r\n"
                + "safe_to_bootstrap:   0  \r\n"
                + "cert_index:\r\n"
                + "        ";
        Path file = write(text);

        GrastateEditor.setSafeToBootstrap(file, SAVED);

        assertEquals(text.replace("safe_to_bootstrap:   0", "safe_to_bootstrap:   1"), Files.readString(file));
    }

    @Test
    void insertsFlagIntoOldFormat() throws IOException {
        String text = "# GALERA saved state\nversion: 2.1\nuuid:    " + UUID + "\nseqno:   17\ncert_index:\n";
        Path file = write(text);

        GrastateEditor.setSafeToBootstrap(file, SAVED);

        assertEquals(text.replace("seqno:   17\n", "seqno:   17\nsafe_to_bootstrap: 1\n"), Files.readString(file));
    }

    @Test
    void rejectsMismatchedPosition() throws IOException {
        Path file = write(CLEAN);

        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> GrastateEditor.setSafeToBootstrap(file, new Position(UUID, 18)));

        assertEquals(file + " contains position " + UUID + ":17 but " + UUID + ":18 was expected, so "
                + "safe_to_bootstrap was not set; read the file again and decide anew", error.getMessage());
        assertEquals(CLEAN, Files.readString(file));
    }

    @Test
    void rejectsOtherHistory() throws IOException {
        Path file = write(CLEAN);
        Position other = new Position("0dae1307-1606-11e4-aa94-5255b1455aa0", 17);

        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> GrastateEditor.setSafeToBootstrap(file, other));

        assertTrue(error.getMessage().contains("contains position " + UUID + ":17 but " + other), error.getMessage());
        assertEquals(CLEAN, Files.readString(file));
    }

    @Test
    void rejectsSeqnoMinusOne() throws IOException {
        String running = CLEAN.replace("seqno:   17", "seqno:   -1");
        Path file = write(running);

        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> GrastateEditor.setSafeToBootstrap(file, SAVED));

        assertTrue(error.getMessage().startsWith(file + " contains no saved position (uuid " + UUID + ", seqno -1)"),
                error.getMessage());
        assertEquals(running, Files.readString(file));
    }

    @Test
    void rejectsInvalidFile() throws IOException {
        String broken = CLEAN.replace("seqno:   17", "seqno:   abc");
        Path file = write(broken);

        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> GrastateEditor.setSafeToBootstrap(file, SAVED));

        assertEquals(file + " is INVALID (seqno 'abc' is not a number), so safe_to_bootstrap was not set; "
                + "repair or restore the file first", error.getMessage());
        assertEquals(broken, Files.readString(file));
    }

    @Test
    void rejectsMissingFile() {
        Path file = directory.resolve("grastate.dat");

        NoSuchFileException error = assertThrows(NoSuchFileException.class,
                () -> GrastateEditor.setSafeToBootstrap(file, SAVED));

        assertTrue(error.getMessage().startsWith(file + ": the file does not exist"), error.getMessage());
        assertEquals(List.of(), listDirectory());
    }

    @Test
    void keepsPermissions() throws IOException {
        Path file = write(CLEAN);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw----"));

        GrastateEditor.setSafeToBootstrap(file, SAVED);

        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(List.of("grastate.dat"), listDirectory());
    }

    @Test
    void keepsOwnerAndGroup() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "changing a file's owner needs root");
        UserPrincipalLookupService lookup = directory.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal owner;
        GroupPrincipal group;
        try {
            owner = lookup.lookupPrincipalByName("mysql");
            group = lookup.lookupPrincipalByGroupName("mysql");
        } catch (UserPrincipalNotFoundException e) {
            assumeTrue(false, "needs a mysql user and group");
            return;
        }
        Path file = write(CLEAN);
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        view.setOwner(owner);
        view.setGroup(group);

        GrastateEditor.setSafeToBootstrap(file, SAVED);

        assertEquals(owner, Files.getOwner(file));
        assertEquals(group, view.readAttributes().group());
        assertTrue(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).contains("safe_to_bootstrap: 1"));
    }

    private List<String> listDirectory() {
        try (var entries = Files.list(directory)) {
            return entries.map(path -> path.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A file as Galera leaves it after a crash: no saved seqno, the flag cleared. */
    private static final String CRASHED = "# GALERA saved state\nversion: 2.1\nuuid:    " + UUID
            + "\nseqno:   -1\nsafe_to_bootstrap: 0\n";

    private static final String PREPARED = "# GALERA saved state\nversion: 2.1\nuuid:    " + UUID
            + "\nseqno:   17\nsafe_to_bootstrap: 1\n";

    @Test
    void prepareOverwritesCrashedFile() throws IOException {
        Path file = write(CRASHED);

        GrastateEditor.prepareNewCluster(file, SAVED);

        assertEquals(PREPARED, Files.readString(file));
        assertTrue(GrastateParser.read(file).trustedSafeToBootstrap());
    }

    @Test
    void prepareCreatesMissingFile() throws IOException {
        Path file = directory.resolve("grastate.dat");

        GrastateEditor.prepareNewCluster(file, SAVED);

        assertEquals(PREPARED, Files.readString(file));
        assertEquals(java.util.Set.of(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                java.nio.file.attribute.PosixFilePermission.OWNER_WRITE), keepOwnerBits(file));
    }

    @Test
    void prepareReplacesGarbageSeqno() throws IOException {
        Path file = write(CRASHED.replace("-1", "abc"));

        GrastateEditor.prepareNewCluster(file, SAVED);

        assertEquals(PREPARED, Files.readString(file));
    }

    @Test
    void prepareSetsFlagOnSavedPosition() throws IOException {
        Path file = write(CLEAN);

        GrastateEditor.prepareNewCluster(file, SAVED);

        assertEquals(CLEAN.replace("safe_to_bootstrap: 0", "safe_to_bootstrap: 1"), Files.readString(file));
    }

    @Test
    void prepareRejectsOtherHistory() throws IOException {
        String other = CRASHED.replace(UUID, "9a3f1c6e-4b2d-11ef-8c1a-0242ac120002");
        Path file = write(other);

        IllegalStateException error = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> GrastateEditor.prepareNewCluster(file, SAVED));

        assertTrue(error.getMessage().contains("contains state UUID"), error.getMessage());
        assertEquals(other, Files.readString(file));
    }

    @Test
    void prepareRejectsOtherSavedPosition() throws IOException {
        Path file = write(CLEAN.replace("seqno:   17", "seqno:   18"));

        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> GrastateEditor.prepareNewCluster(file, SAVED));
        assertTrue(Files.readString(file).contains("seqno:   18"));
    }

    @Test
    void replaceFixesGarbageSeqno() throws IOException {
        Path file = write(CRASHED.replace("-1", "abc"));

        assertTrue(GrastateEditor.replaceUnparsable(file, SAVED));

        assertEquals(CLEAN, Files.readString(file));
    }

    @Test
    void replaceFillsEmptyFile() throws IOException {
        Path file = write("");

        assertTrue(GrastateEditor.replaceUnparsable(file, SAVED));

        assertEquals(SAVED, GrastateParser.read(file).position().orElseThrow());
    }

    @Test
    void replaceKeepsParsableFiles() throws IOException {
        for (String text : List.of(CLEAN, CRASHED)) {
            Path file = write(text);

            assertFalse(GrastateEditor.replaceUnparsable(file, new Position(UUID, 99)), text);

            assertEquals(text, Files.readString(file));
        }
    }

    @Test
    void replaceKeepsMissingFileMissing() throws IOException {
        Path file = directory.resolve("grastate.dat");

        assertFalse(GrastateEditor.replaceUnparsable(file, SAVED));

        assertFalse(Files.exists(file));
    }

    /** Returns the owner bits of {@code file}; the group bits follow the directory's. */
    private static java.util.Set<java.nio.file.attribute.PosixFilePermission> keepOwnerBits(Path file)
            throws IOException {
        java.util.Set<java.nio.file.attribute.PosixFilePermission> bits = new java.util.HashSet<>(
                Files.getPosixFilePermissions(file));
        bits.retainAll(java.util.Set.of(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                java.nio.file.attribute.PosixFilePermission.OWNER_WRITE,
                java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE));
        return bits;
    }
}
