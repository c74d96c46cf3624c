package org.galerawarden.action;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.zeroturnaround.exec.ProcessExecutor;
import org.zeroturnaround.exec.ProcessResult;

/**
 * Runs external commands from argument arrays, never through a shell, with a time limit. A command that
 * outlives its limit is destroyed. Never throws: every failure is a {@link CommandResult}.
 */
public class CommandRunner {

    private static final int OUTPUT_LIMIT = 4000;

    public CommandResult run(List<String> command, Duration timeout) {
        try {
            ProcessResult result = new ProcessExecutor().command(command).redirectErrorStream(true).readOutput(true)
                    .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS).destroyOnExit().exitValueAny().execute();
            return new CommandResult(command, result.getExitValue(), tail(result.outputUTF8()), "");
        } catch (TimeoutException e) {
            return new CommandResult(command, -1, "", "timed out after " + timeout.toSeconds() + " s");
        } catch (IOException e) {
            return new CommandResult(command, -1, "", "could not run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new CommandResult(command, -1, "", "interrupted");
        }
    }

    private static String tail(String output) {
        return output.length() <= OUTPUT_LIMIT ? output : output.substring(output.length() - OUTPUT_LIMIT);
    }
}
