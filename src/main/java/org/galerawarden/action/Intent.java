package org.galerawarden.action;

import java.time.Instant;

/**
 * One line of the intent journal. An action is written as STARTED before it runs and settled by a
 * later line with the same id once its outcome is known.
 *
 * @param id unique per action, shared by its STARTED line and its settling line
 * @param time wall-clock time of the line
 * @param term the election term that allowed the action
 * @param action what runs, such as {@code BOOTSTRAP} or {@code FENCE}
 * @param target the node the action changes
 * @param state STARTED, DONE, FAILED or ABANDONED
 * @param detail the outcome or the reason
 */
public record Intent(String id, Instant time, long term, String action, String target, String state, String detail) {

    public static final String STARTED = "STARTED";
    public static final String DONE = "DONE";
    public static final String FAILED = "FAILED";
    public static final String ABANDONED = "ABANDONED";

    public Intent settled(Instant at, String outcome, String why) {
        return new Intent(id, at, term, action, target, outcome, why);
    }
}
