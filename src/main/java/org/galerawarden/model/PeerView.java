package org.galerawarden.model;

import java.util.Optional;

/**
 * This agent's view of one other voter. Times are local monotonic nanoseconds
 * ({@link System#nanoTime()} on this host, or a test clock), so they are only compared with each other.
 *
 * @param node the peer's node name
 * @param role the peer's configured role
 * @param reachable whether the latest state request succeeded
 * @param error why the latest state request failed, or an empty string
 * @param lastReport the last report received, if any
 * @param lastReportNanos when the last report arrived, meaningless without one
 * @param lastPrimaryNanos when a report last showed the peer's server Primary, empty when never
 */
public record PeerView(
        String node,
        Role role,
        boolean reachable,
        String error,
        Optional<PeerReport> lastReport,
        long lastReportNanos,
        Optional<Long> lastPrimaryNanos) {

    /** Returns a view of a peer that has not answered yet. */
    public static PeerView unknown(String node, Role role) {
        return new PeerView(node, role, false, "no state received yet", Optional.empty(), 0, Optional.empty());
    }

    /** Returns whether the peer's latest report, taken now, shows its server Primary. */
    public boolean reportsPrimary() {
        return reachable && lastReport.map(report -> report.snapshot().server().isPrimary()).orElse(false);
    }

    /** Returns whether the peer's latest report shows a running, non-Primary server: a live survivor. */
    public boolean reportsNonPrimary() {
        return reachable && lastReport.map(report -> report.snapshot().server().isNonPrimary()).orElse(false);
    }

    /**
     * Returns whether the peer's server could be Primary without this agent seeing it: its agent does not
     * answer, or it answers but its server does not, without being known to be stopped.
     */
    public boolean mayBePrimaryUnseen() {
        return !reachable || lastReport.map(report -> report.snapshot().server().mayBePrimary()).orElse(true);
    }

    /** Returns whether the peer's latest report, taken now, shows its server known to be stopped. */
    public boolean reportsStopped() {
        return reachable && lastReport.map(report -> report.snapshot().server().stopped()).orElse(false);
    }

    /** Returns the peer's latest snapshot while its agent is reachable. */
    public Optional<NodeSnapshot> currentSnapshot() {
        return reachable ? lastReport.map(PeerReport::snapshot) : Optional.empty();
    }

    /** Returns the best position known for the peer's data, from its last report. */
    public Optional<Position> bestKnownPosition() {
        return lastReport.flatMap(report -> report.snapshot().bestKnownPosition());
    }

    public long term() {
        return lastReport.map(PeerReport::term).orElse(0L);
    }
}
