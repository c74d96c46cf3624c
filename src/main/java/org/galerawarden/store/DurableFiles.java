package org.galerawarden.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * File writes that survive a crash or power loss once they return: atomic replacement through a synced
 * temporary file and rename, and appends that are synced before they return.
 */
public final class DurableFiles {

    private DurableFiles() {
    }

    /**
     * Replaces {@code target} with {@code content}. A reader sees either the old or the new file, never a
     * mix, and the new file and its directory entry are on disk when this returns.
     */
    public static void writeAtomically(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                writeFully(channel, content);
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(dir);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Appends one line and syncs it to disk; the file is created when missing. A last line cut short by a
     * crash is ended first, so the new line never merges into it.
     */
    public static void appendLine(Path file, String line) throws IOException {
        boolean created = !Files.exists(file);
        // Callers serialize appends, so writing at the end found here is safe without O_APPEND.
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ)) {
            String prefix = endsWithNewline(channel) ? "" : "\n";
            channel.position(channel.size());
            writeFully(channel, (prefix + line + "\n").getBytes(StandardCharsets.UTF_8));
            channel.force(true);
        }
        if (created) {
            syncDirectory(file.toAbsolutePath().getParent());
        }
    }

    private static boolean endsWithNewline(FileChannel channel) throws IOException {
        long size = channel.size();
        if (size == 0) {
            return true;
        }
        ByteBuffer last = ByteBuffer.allocate(1);
        channel.read(last, size - 1);
        return last.get(0) == '\n';
    }

    private static void writeFully(FileChannel channel, byte[] content) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** Syncs a directory so that a new or renamed entry in it survives a power loss (Linux allows this). */
    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
