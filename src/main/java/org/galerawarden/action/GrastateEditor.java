package org.galerawarden.action;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.galerawarden.model.FileStatus;
import org.galerawarden.model.GrastateFile;
import org.galerawarden.model.Position;
import org.galerawarden.probe.GrastateParser;

/**
 * Sets {@code safe_to_bootstrap: 1} in {@code grastate.dat}, the flag without which Galera refuses to
 * bootstrap a new Primary Component from a node. Only the flag's value changes: every other byte of the
 * file, including Galera's trailing space padding, is kept.
 */
public final class GrastateEditor {

    /** The flag line, split into the part before the value, the value and the part after it. */
    private static final Pattern FLAG_LINE = Pattern.compile(
            "(?m)^([ \\t]*safe_to_bootstrap[ \\t]*:[ \\t]*)(\\S*)([ \\t\\r]*)$");

    /** The seqno line with its line end, after which a missing flag line is inserted. */
    private static final Pattern SEQNO_LINE = Pattern.compile("(?m)^[ \\t]*seqno:.*?(\\r?\\n|\\z)");

    private GrastateEditor() {
    }

    /**
     * Sets {@code safe_to_bootstrap: 1} when the file contains exactly the expected saved position. Does nothing
     * when the flag is already set, so a second call is harmless. The file is replaced atomically (temporary
     * file in the same directory, fsync, rename, fsync of the directory) with its owner, group and
     * permissions kept.
     *
     * <p>A running server keeps seqno -1 in the file, so the position check also rejects the file of a running
     * server. A file lock cannot detect one, because a running MariaDB 10.11.19 with Galera 4.23 held no lock
     * on the file (none in /proc/locks).
     *
     * @throws IllegalStateException when the file is not VALID, contains no saved position (seqno -1) or contains
     *     another position than {@code expected}
     * @throws IOException when the file is missing or reading, writing or renaming fails
     */
    public static void setSafeToBootstrap(Path grastate, Position expected) throws IOException {
        byte[] original;
        try {
            original = Files.readAllBytes(grastate);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(grastate.toString(), null, "the file does not exist, so there is no saved "
                    + "position to bootstrap from; check the configured data directory");
        }
        GrastateFile parsed = GrastateParser.parse(new String(original, StandardCharsets.UTF_8));
        requireExpectedPosition(grastate, parsed, expected);
        if (parsed.safeToBootstrap()) {
            return;
        }
        replaceAtomically(grastate, withFlagSet(grastate, original));
    }

    /**
     * Prepares this node's {@code grastate.dat} for a start as a new cluster from {@code recovered}, a
     * position that {@code mariadbd --wsrep-recover} read from InnoDB. A file that contains exactly that
     * position only gets its flag set. A file without a position of another history (missing, empty,
     * unreadable, seqno -1 or not a number, zero or the same UUID) is replaced by one that contains the
     * recovered position with {@code safe_to_bootstrap: 1}, owned like the data directory. The replacement
     * is atomic, as above.
     *
     * @throws IllegalStateException when the file contains another position or another state UUID
     * @throws IOException when reading, writing or renaming fails
     */
    public static void prepareNewCluster(Path grastate, Position recovered) throws IOException {
        byte[] original;
        try {
            original = Files.readAllBytes(grastate);
        } catch (NoSuchFileException e) {
            original = null;
        }
        GrastateFile parsed = original == null ? GrastateFile.missing("no file")
                : GrastateParser.parse(new String(original, StandardCharsets.UTF_8));
        Optional<Position> saved = parsed.position();
        if (saved.isPresent()) {
            requireExpectedPosition(grastate, parsed, recovered);
            if (!parsed.safeToBootstrap()) {
                replaceAtomically(grastate, withFlagSet(grastate, original));
            }
            return;
        }
        String uuid = parsed.uuid();
        if (uuid != null && !uuid.equals(Position.ZERO_UUID) && !uuid.equals(recovered.uuid())) {
            throw new IllegalStateException(grastate + " contains state UUID " + uuid + " but the recovered position is "
                    + recovered + ", so the file was not changed; find out which history this node holds first");
        }
        Path directory = grastate.toAbsolutePath().getParent();
        PosixFileAttributes attributes = original == null ? Files.readAttributes(directory, PosixFileAttributes.class)
                : Files.readAttributes(grastate, PosixFileAttributes.class);
        write(grastate, savedState(recovered, true), attributes, original == null);
    }

    /**
     * Replaces a {@code grastate.dat} that does not parse (INVALID or EMPTY) by one that contains
     * {@code recovered}, the position {@code mariadbd --wsrep-recover} read from InnoDB, with
     * {@code safe_to_bootstrap: 0}. Galera 26.4.23 reads a seqno it cannot parse as 0: in the lab
     * (MariaDB 10.11.19), a server started on {@code seqno: abc} logged "Found saved state: UUID:0", and
     * after the pc.recovery restart it took part in, the nodes reported the same seqno but contained
     * different rows. A file that parses, or a missing one, is left alone. The replacement is atomic and
     * keeps owner, group and permissions.
     *
     * @return whether the file was replaced
     * @throws IOException when reading, writing or renaming fails
     */
    public static boolean replaceUnparsable(Path grastate, Position recovered) throws IOException {
        byte[] original;
        try {
            original = Files.readAllBytes(grastate);
        } catch (NoSuchFileException e) {
            return false;
        }
        GrastateFile parsed = GrastateParser.parse(new String(original, StandardCharsets.UTF_8));
        if (parsed.status() != FileStatus.INVALID && parsed.status() != FileStatus.EMPTY) {
            return false;
        }
        write(grastate, savedState(recovered, false), Files.readAttributes(grastate, PosixFileAttributes.class), false);
        return true;
    }

    /** Returns the text Galera writes for a saved position, with the given flag. */
    private static byte[] savedState(Position position, boolean safeToBootstrap) {
        String text = "# GALERA saved state\nversion: 2.1\nuuid:    " + position.uuid() + "\nseqno:   "
                + position.seqno() + "\nsafe_to_bootstrap: " + (safeToBootstrap ? 1 : 0) + "\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static void requireExpectedPosition(Path grastate, GrastateFile parsed, Position expected) {
        if (parsed.status() != FileStatus.VALID) {
            throw new IllegalStateException(grastate + " is " + parsed.status() + " (" + parsed.reason()
                    + "), so safe_to_bootstrap was not set; repair or restore the file first");
        }
        Optional<Position> saved = parsed.position();
        if (saved.isEmpty()) {
            throw new IllegalStateException(grastate + " contains no saved position (uuid " + parsed.uuid()
                    + ", seqno " + parsed.seqno() + "), so safe_to_bootstrap was not set; Galera saves the seqno "
                    + "only on a clean shutdown, so decide from the position of mariadbd --wsrep-recover");
        }
        if (!saved.get().equals(expected)) {
            throw new IllegalStateException(grastate + " contains position " + saved.get() + " but " + expected
                    + " was expected, so safe_to_bootstrap was not set; read the file again and decide anew");
        }
    }

    /**
     * Returns the file with the flag's value replaced by 1, or with a {@code safe_to_bootstrap: 1} line
     * inserted after the seqno line when a Galera version from before the flag wrote the file.
     */
    private static byte[] withFlagSet(Path grastate, byte[] original) {
        // ISO-8859-1 maps every byte to one char and back, so all other bytes stay as they were.
        String text = new String(original, StandardCharsets.ISO_8859_1);
        Matcher flag = FLAG_LINE.matcher(text);
        String edited;
        if (flag.find()) {
            edited = text.substring(0, flag.start(2)) + "1" + text.substring(flag.end(2));
        } else {
            Matcher seqno = SEQNO_LINE.matcher(text);
            if (!seqno.find()) {
                throw new IllegalStateException(grastate + " has no seqno line to insert safe_to_bootstrap after");
            }
            String lineEnd = seqno.group(1).isEmpty() ? "\n" : seqno.group(1);
            String inserted = (seqno.group(1).isEmpty() ? lineEnd : "") + "safe_to_bootstrap: 1" + lineEnd;
            edited = text.substring(0, seqno.end()) + inserted + text.substring(seqno.end());
        }
        return edited.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void replaceAtomically(Path target, byte[] contents) throws IOException {
        write(target, contents, Files.readAttributes(target, PosixFileAttributes.class), false);
    }

    /**
     * Writes {@code contents} to {@code target} through a synced temporary file and a rename, with the
     * owner and group of {@code attributes}; {@code fromDirectory} takes only read and write bits from
     * them, because they belong to the data directory.
     */
    private static void write(Path target, byte[] contents, PosixFileAttributes attributes, boolean fromDirectory)
            throws IOException {
        Path directory = target.toAbsolutePath().getParent();
        Path temporary = Files.createTempFile(directory, "." + target.getFileName() + ".", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(contents);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                copyOwnership(temporary, attributes, fromDirectory);
                channel.force(true);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
        try (FileChannel directoryChannel = FileChannel.open(directory, StandardOpenOption.READ)) {
            directoryChannel.force(true);
        }
    }

    /**
     * Gives the temporary file the original's owner, group and permissions. Owner and group change only
     * when they differ, because changing them needs root (or, for the group, membership in it).
     */
    private static void copyOwnership(Path temporary, PosixFileAttributes original, boolean fromDirectory)
            throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(temporary, PosixFileAttributeView.class);
        PosixFileAttributes current = view.readAttributes();
        try {
            if (!current.owner().equals(original.owner())) {
                view.setOwner(original.owner());
            }
            if (!current.group().equals(original.group())) {
                view.setGroup(original.group());
            }
        } catch (IOException e) {
            throw new IOException("keeping owner " + original.owner().getName() + " and group "
                    + original.group().getName() + " of grastate.dat failed: " + e.getMessage()
                    + "; run the agent as root or as the file's owner", e);
        }
        // Permissions are set after the owner, because chown may clear set-user-ID and set-group-ID bits.
        java.util.Set<PosixFilePermission> permissions = java.util.EnumSet.noneOf(PosixFilePermission.class);
        permissions.addAll(original.permissions());
        if (fromDirectory) {
            permissions.retainAll(java.util.EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                    PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE));
        }
        view.setPermissions(permissions);
    }
}
