package org.galerawarden.action;

import java.util.List;

/**
 * The outcome of one external command.
 *
 * @param command the argument array that ran
 * @param exitCode the exit code, -1 when the command did not finish
 * @param output standard output and standard error, merged and cut to the last 4000 characters
 * @param error why the command did not finish (not found, timed out), or an empty string
 */
public record CommandResult(List<String> command, int exitCode, String output, String error) {

    public boolean succeeded() {
        return error.isEmpty() && exitCode == 0;
    }

    /** Describes the outcome in one line for logs: the command, the exit code or error, and the output tail. */
    public String describe() {
        String outcome = error.isEmpty() ? "exit code " + exitCode : error;
        String tail = output.isBlank() ? "" : ", output: " + output.strip().replace('\n', '|');
        return String.join(" ", command) + ": " + outcome + tail;
    }
}
