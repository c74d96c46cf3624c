package org.galerawarden.probe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the local server's process in {@code /proc}, so that a server that refuses connections while it
 * starts is not taken for a stopped one. mariadbd opens its socket only once it is ready, which for a
 * Galera node means after it joined a Primary Component, and it writes its pid file late too: a server
 * waiting for {@code pc.recovery} may have neither.
 */
public final class ServerProcess {

    private ServerProcess() {
    }

    /**
     * Returns a description of the running server process: the live mariadbd or mysqld process named by
     * {@code pidFile}, else one whose working directory is {@code datadir}, where mariadbd changes to
     * early in its start. A server process whose working directory cannot be read, as happens without
     * root for another user's process, counts as this server's, because a wrong "stopped" is the
     * dangerous mistake.
     */
    public static Optional<String> find(Path pidFile, Path datadir) {
        return locate(pidFile, datadir).map(Found::description);
    }

    /** Returns the PID of the server process that {@link #find} describes, when its PID is known for sure. */
    public static Optional<Long> pid(Path pidFile, Path datadir) {
        return locate(pidFile, datadir).filter(Found::certain).map(Found::pid);
    }

    /** A server process found in {@code /proc}; {@code certain} is false when its directory could not be read. */
    private record Found(long pid, boolean certain, String description) {
    }

    private static Optional<Found> locate(Path pidFile, Path datadir) {
        Optional<Long> fromFile = pidFromFile(pidFile).filter(ServerProcess::isServer);
        if (fromFile.isPresent()) {
            return Optional.of(new Found(fromFile.get(), true, "server process " + fromFile.get() + " (" + pidFile
                    + ")"));
        }
        return scan(datadir);
    }

    private static Optional<Found> scan(Path datadir) {
        Path expected = realPath(datadir).orElse(datadir.toAbsolutePath().normalize());
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                long pid = Long.parseLong(process.getFileName().toString());
                if (!isServer(pid)) {
                    continue;
                }
                Optional<Path> cwd = realPath(process.resolve("cwd"));
                if (cwd.isEmpty()) {
                    return Optional.of(new Found(pid, false, "server process " + pid + " (its working directory"
                            + " cannot be read, so it may be this server)"));
                }
                if (cwd.get().equals(expected)) {
                    return Optional.of(new Found(pid, true, "server process " + pid + " (working directory "
                            + expected + ")"));
                }
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static Optional<Long> pidFromFile(Path pidFile) {
        try {
            String text = Files.readString(pidFile, StandardCharsets.US_ASCII).strip();
            return text.matches("[0-9]{1,10}") ? Optional.of(Long.parseLong(text)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Tells whether {@code pid} is a live mariadbd or mysqld process, not a zombie. */
    static boolean isServer(long pid) {
        Path process = Path.of("/proc", String.valueOf(pid));
        try {
            String comm = Files.readString(process.resolve("comm"), StandardCharsets.US_ASCII).strip();
            if (!comm.equals("mariadbd") && !comm.equals("mysqld")) {
                return false;
            }
            String stat = Files.readString(process.resolve("stat"), StandardCharsets.US_ASCII);
            return !stat.substring(stat.lastIndexOf(')') + 1).strip().startsWith("Z");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static Optional<Path> realPath(Path path) {
        try {
            return Optional.of(path.toRealPath());
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }
}
