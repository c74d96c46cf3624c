package org.galerawarden.garbd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the complete lines appended to a log file since the last read. A line still being written,
 * without its newline, is read once it is complete. When the file shrinks (rotated or truncated), reading
 * starts again from its beginning. Not thread-safe.
 */
final class LogFollower {

    /** Upper bound on the bytes read in one call, so a huge backlog cannot stall the caller. */
    private static final int MAX_READ = 1 << 20;

    private final Path file;
    private long offset;

    /** Follows {@code file} from byte {@code offset}; use the current size to skip older lines. */
    LogFollower(Path file, long offset) {
        this.file = file;
        this.offset = offset;
    }

    /** Returns the file's size, or 0 when it does not exist. */
    static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    /** Returns the complete lines appended since the last call; none when the file is missing. */
    List<String> readNewLines() throws IOException {
        List<String> lines = new ArrayList<>();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < offset) {
                offset = 0;
            }
            int length = (int) Math.min(size - offset, MAX_READ);
            if (length <= 0) {
                return lines;
            }
            ByteBuffer buffer = ByteBuffer.allocate(length);
            while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) > 0) {
                // Read until the buffer is full or the file ends.
            }
            byte[] bytes = buffer.array();
            int lastNewline = -1;
            for (int i = buffer.position() - 1; i >= 0; i--) {
                if (bytes[i] == '\n') {
                    lastNewline = i;
                    break;
                }
            }
            if (lastNewline < 0) {
                return lines;
            }
            String text = new String(bytes, 0, lastNewline, StandardCharsets.UTF_8);
            lines.addAll(text.lines().toList());
            offset += lastNewline + 1;
        } catch (NoSuchFileException e) {
            return lines;
        }
        return lines;
    }

    /** Returns up to {@code count} last lines of {@code file}, read from at most its last 16 KiB. */
    static List<String> tail(Path file, int count) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            int length = (int) Math.min(size, 16 * 1024);
            ByteBuffer buffer = ByteBuffer.allocate(length);
            while (buffer.hasRemaining() && channel.read(buffer, size - length + buffer.position()) > 0) {
                // Read until the buffer is full or the file ends.
            }
            List<String> lines = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank()).toList();
            return lines.subList(Math.max(0, lines.size() - count), lines.size());
        } catch (IOException e) {
            return List.of();
        }
    }
}
