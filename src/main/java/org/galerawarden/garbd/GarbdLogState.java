package org.galerawarden.garbd;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * garbd's membership as its log shows it, built line by line. Three kinds of line count (format of
 * galera-arbitrator-4 26.4.23 on Debian 12):
 * <pre>
 * INFO: New COMPONENT: primary = yes, bootstrap = no, my_idx = 2, memb_num = 3
 * INFO: view(view_id(PRIM,82dd274e-9b6d,3) memb {      (NON_PRIM outside a Primary Component)
 * INFO: Shifting JOINED -&gt; SYNCED (TO: 7)
 * </pre>
 * A Primary view line is followed by its component line, so garbd counts as a member from the component
 * line on. A non-Primary view line ends the membership at once. Immutable: {@link #apply} returns the
 * next state.
 *
 * @param primary whether the last component or view line showed a Primary Component, null before any
 * @param members members of that component, 0 when unknown
 * @param state garbd's last group state (OPEN, PRIMARY, JOINER, JOINED, SYNCED...), empty before any
 * @param evidence the last component or view line, for operators
 */
public record GarbdLogState(Boolean primary, int members, String state, String evidence) {

    private static final Pattern COMPONENT = Pattern.compile(
            "New COMPONENT: primary = (yes|no), bootstrap = \\w+, my_idx = -?\\d+, memb_num = (\\d+)");
    private static final Pattern VIEW = Pattern.compile("view\\(view_id\\((PRIM|NON_PRIM),");
    private static final Pattern EMPTY_VIEW = Pattern.compile("view\\(\\(empty\\)\\)");
    private static final Pattern SHIFT = Pattern.compile("Shifting (\\w+) -> (\\w+)");

    /** Returns the state before garbd logged anything. */
    public static GarbdLogState initial() {
        return new GarbdLogState(null, 0, "", "");
    }

    /** Returns whether the log shows garbd in a Primary Component. */
    public boolean member() {
        return Boolean.TRUE.equals(primary);
    }

    /** Returns whether garbd's last state change was to SYNCED. */
    public boolean synced() {
        return "SYNCED".equals(state);
    }

    /** Returns the state after one log line; lines that do not concern membership change nothing. */
    public GarbdLogState apply(String line) {
        Matcher component = COMPONENT.matcher(line);
        if (component.find()) {
            return new GarbdLogState("yes".equals(component.group(1)), Integer.parseInt(component.group(2)), state,
                    trim(line));
        }
        Matcher view = VIEW.matcher(line);
        if (view.find()) {
            // A Primary view comes before its component line, which decides membership and gives the member
            // count, so only a non-Primary view changes the state.
            return "PRIM".equals(view.group(1)) ? this : new GarbdLogState(false, 0, state, trim(line));
        }
        if (EMPTY_VIEW.matcher(line).find()) {
            return new GarbdLogState(false, 0, state, trim(line));
        }
        Matcher shift = SHIFT.matcher(line);
        if (shift.find()) {
            return new GarbdLogState(primary, members, shift.group(2), evidence);
        }
        return this;
    }

    private static String trim(String line) {
        String stripped = line.strip();
        return stripped.length() <= 200 ? stripped : stripped.substring(0, 200);
    }
}
