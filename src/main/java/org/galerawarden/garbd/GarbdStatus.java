package org.galerawarden.garbd;

import java.util.List;

/**
 * garbd as the arbitrator agent supervises it, for {@code GET /status}.
 *
 * @param running whether garbd runs now
 * @param pid its process id, -1 when it does not run
 * @param uptimeMillis how long it has run, -1 when it does not run
 * @param starts how many times this agent started it
 * @param restarts starts after the first one
 * @param lastError why the last start failed or the last run ended, empty when none did
 * @param lastExitCode exit code of the last run, null when none ended or the code is unknown
 * @param nextStartInMillis time until the next start attempt, -1 while garbd runs
 * @param member whether garbd's log shows it in the Primary Component
 * @param primaryComponent the last component or view line of its log: true for Primary, null before any
 * @param componentMembers members of that component, 0 when unknown
 * @param state garbd's last group state in its log, such as SYNCED
 * @param logEvidence the last component or view line of garbd's log
 * @param peersSeeExtraMember whether the data peers' reports show a non-data member, null when they cannot tell
 * @param peerEvidence the reports behind that verdict
 * @param command the argument array garbd runs with
 * @param workingDirectory garbd's working directory, with its log and pid file
 */
public record GarbdStatus(
        boolean running,
        long pid,
        long uptimeMillis,
        int starts,
        int restarts,
        String lastError,
        Integer lastExitCode,
        long nextStartInMillis,
        boolean member,
        Boolean primaryComponent,
        int componentMembers,
        String state,
        String logEvidence,
        Boolean peersSeeExtraMember,
        String peerEvidence,
        List<String> command,
        String workingDirectory) {
}
