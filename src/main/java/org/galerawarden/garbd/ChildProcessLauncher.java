package org.galerawarden.garbd;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.zeroturnaround.exec.ProcessExecutor;
import org.zeroturnaround.exec.ProcessResult;
import org.zeroturnaround.exec.StartedProcess;

/**
 * Starts garbd as a child process through zt-exec, from an argument array and without a shell. garbd
 * writes its log to the file after {@code --log}; its standard output and error, which carry little
 * more than state dumps of the group protocol, are appended to {@code outputFile}. The child is not
 * killed when the JVM exits, so garbd keeps its vote while the agent restarts. The next agent stops it
 * and starts its own.
 *
 * <p>NOTE: the output passes through pipes to the agent, so a garbd that outlives the agent dies of
 * SIGPIPE when it next writes to them. Under systemd the agent's cgroup is stopped as a whole anyway.
 */
public final class ChildProcessLauncher implements GarbdLauncher {

    private static final Duration KILL_WAIT = Duration.ofSeconds(5);

    private final Path outputFile;

    public ChildProcessLauncher(Path outputFile) {
        this.outputFile = outputFile;
    }

    @Override
    public GarbdProcess start(List<String> command, Path directory) throws IOException {
        OutputStream output = Files.newOutputStream(outputFile, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        StartedProcess started;
        try {
            started = new ProcessExecutor().command(command).directory(directory.toFile()).redirectErrorStream(true)
                    .redirectOutput(output).exitValueAny().start();
        } catch (IOException | RuntimeException e) {
            output.close();
            throw e;
        }
        // zt-exec's future completes only after its pump copied the last output, so the file closes after
        // that; closing when the process exits could drop the final lines still in the pipe.
        Future<ProcessResult> pumped = started.getFuture();
        Thread closer = new Thread(() -> closeAfter(pumped, output), "garbd-output-closer");
        closer.setDaemon(true);
        closer.start();
        return new Child(started.getProcess());
    }

    private static void closeAfter(Future<ProcessResult> pumped, OutputStream output) {
        try {
            pumped.get();
        } catch (ExecutionException e) {
            // The exit code is read from the process itself; the output file is closed either way.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(output);
        }
    }

    private static void closeQuietly(OutputStream output) {
        try {
            output.close();
        } catch (IOException e) {
            // The output file only keeps garbd's state dumps, so a failed close loses nothing that matters.
        }
    }

    @Override
    public Optional<GarbdProcess> find(long pid, Path binary) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(h -> running(h.pid()));
        if (handle.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> command = handle.get().info().command();
        if (command.isEmpty() || !samePath(Path.of(command.get()), binary)) {
            return Optional.empty();
        }
        return Optional.of(new Other(handle.get()));
    }

    private static boolean samePath(Path a, Path b) {
        try {
            return a.equals(b) || Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Returns whether process {@code pid} exists and is not a zombie. A zombie counts as exited, because
     * on hosts whose PID 1 does not reap orphans a killed process stays a zombie for good.
     */
    static boolean running(long pid) {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        try {
            String text = Files.readString(stat);
            String afterName = text.substring(text.lastIndexOf(')') + 1).strip();
            char state = afterName.isEmpty() ? '?' : afterName.charAt(0);
            return state != 'Z' && state != 'X';
        } catch (IOException | RuntimeException e) {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
    }

    /** A garbd this agent started: its exit code is known. */
    private record Child(Process process) implements GarbdProcess {

        @Override
        public long pid() {
            return process.pid();
        }

        @Override
        public boolean alive() {
            return process.isAlive();
        }

        @Override
        public OptionalInt exitCode() {
            return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
        }

        @Override
        public boolean terminate(Duration grace) {
            process.destroy();
            if (waitFor(grace)) {
                return true;
            }
            process.destroyForcibly();
            waitFor(KILL_WAIT);
            return false;
        }

        private boolean waitFor(Duration limit) {
            try {
                return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !process.isAlive();
            }
        }
    }

    /** A garbd left by an earlier run of the agent: not a child, so its exit code is unknown. */
    private record Other(ProcessHandle handle) implements GarbdProcess {

        @Override
        public long pid() {
            return handle.pid();
        }

        @Override
        public boolean alive() {
            return running(handle.pid());
        }

        @Override
        public OptionalInt exitCode() {
            return OptionalInt.empty();
        }

        @Override
        public boolean terminate(Duration grace) {
            handle.destroy();
            if (awaitExit(grace)) {
                return true;
            }
            handle.destroyForcibly();
            awaitExit(KILL_WAIT);
            return false;
        }

        private boolean awaitExit(Duration limit) {
            long deadline = System.nanoTime() + limit.toNanos();
            while (alive()) {
                if (System.nanoTime() >= deadline) {
                    return false;
                }
                try {
                    handle.onExit().get(100, TimeUnit.MILLISECONDS);
                } catch (TimeoutException | ExecutionException e) {
                    // Poll again: a zombie never completes onExit but counts as exited.
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return !alive();
                }
            }
            return true;
        }
    }
}
