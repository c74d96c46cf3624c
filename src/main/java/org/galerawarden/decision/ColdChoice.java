package org.galerawarden.decision;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.galerawarden.config.Settings;
import org.galerawarden.model.NodeSnapshot;
import org.galerawarden.model.PeerView;
import org.galerawarden.model.Position;
import org.galerawarden.model.PositionHistory;
import org.galerawarden.model.StoppedPosition;

/**
 * Chooses the node that restarts a cluster whose servers are all stopped, as a pure function of the
 * reported positions. Every agent, as candidate or as voter, runs the same choice on its own view, so
 * they agree on one node.
 *
 * <p>The rules, in order: positions of every data node are known, or, where partial recovery is allowed,
 * known for a strict majority of them; the state UUID held by a strict majority of the known positions
 * is the cluster's history; within it the highest seqno wins; among equal seqnos a node whose
 * {@code grastate.dat} carries a trusted {@code safe_to_bootstrap: 1} wins, then the smallest name. The
 * winner must not be behind the highest position this agent has ever seen for that state UUID.
 */
public final class ColdChoice {

    /** The outcome: the chosen node and its position, or why none is chosen. */
    public sealed interface Outcome {
    }

    /** {@code node} restarts the cluster from {@code position}. */
    public record Chosen(String node, Position position, String reason) implements Outcome {
    }

    /** No node may be chosen. {@code unknown} lists the nodes whose position is missing, if that is why. */
    public record Blocked(String reason, List<String> unknown) implements Outcome {
    }

    /**
     * One agent's view of the data nodes' positions for a restart from cold.
     *
     * @param positions every configured data node's position, empty when unknown
     * @param reasons why a position is unknown, by node
     * @param flagged nodes whose {@code grastate.dat} carries a trusted {@code safe_to_bootstrap: 1}
     */
    public record View(Map<String, Optional<Position>> positions, Map<String, String> reasons, Set<String> flagged) {

        /** Collects the view from this agent's snapshot and its latest peer reports. */
        static View of(Settings settings, NodeSnapshot self, Map<String, PeerView> peers) {
            Map<String, Optional<Position>> positions = new TreeMap<>();
            Map<String, String> reasons = new TreeMap<>();
            Set<String> flagged = new HashSet<>();
            for (String node : settings.dataNodes()) {
                PeerView peer = peers.get(node);
                Optional<NodeSnapshot> report = node.equals(settings.nodeName()) ? Optional.of(self)
                        : peer == null ? Optional.empty() : peer.currentSnapshot();
                if (report.isEmpty()) {
                    positions.put(node, Optional.empty());
                    reasons.put(node, peer == null ? "no report" : "agent unreachable: " + peer.error());
                    continue;
                }
                StoppedPosition stopped = report.get().stopped();
                positions.put(node, stopped.position());
                if (stopped.position().isEmpty()) {
                    reasons.put(node, stopped.managed() || report.get().server().stopped() ? stopped.source()
                            : "its agent does not start its server");
                }
                if (report.get().grastate().trustedSafeToBootstrap()) {
                    flagged.add(node);
                }
            }
            return new View(positions, reasons, flagged);
        }

        /** Returns the view with {@code node} at {@code position}, as that node itself reports it. */
        View with(String node, Position position) {
            Map<String, Optional<Position>> next = new TreeMap<>(positions);
            next.put(node, Optional.of(position));
            return new View(next, reasons, flagged);
        }
    }

    private ColdChoice() {
    }

    /** Chooses from a collected view. */
    static Outcome choose(View view, boolean partial, PositionHistory history) {
        return choose(view.positions(), view.reasons(), view.flagged(), partial, history);
    }

    /**
     * @param positions every configured data node's position, empty when unknown
     * @param unknownReasons why a position is unknown, by node
     * @param flagged nodes whose {@code grastate.dat} carries a trusted {@code safe_to_bootstrap: 1}
     * @param partial whether a strict majority of known positions suffices
     * @param history the highest positions this agent has seen
     */
    public static Outcome choose(Map<String, Optional<Position>> positions, Map<String, String> unknownReasons,
            Set<String> flagged, boolean partial, PositionHistory history) {
        if (!history.readable()) {
            return new Blocked(history.problem(), List.of());
        }
        Map<String, Position> known = new TreeMap<>();
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, Optional<Position>> entry : new TreeMap<>(positions).entrySet()) {
            entry.getValue().ifPresentOrElse(p -> known.put(entry.getKey(), p), () -> unknown.add(entry.getKey()));
        }
        if (!unknown.isEmpty()) {
            if (!partial) {
                return new Blocked("position of " + describeUnknown(unknown, unknownReasons) + " is unknown",
                        List.copyOf(unknown));
            }
            if (known.size() * 2 <= positions.size()) {
                return new Blocked("only " + known.size() + " of " + positions.size() + " data nodes reported a"
                        + " position, and a restart needs a strict majority; unknown: "
                        + describeUnknown(unknown, unknownReasons), List.copyOf(unknown));
            }
        }
        Optional<String> uuid = majorityUuid(known);
        if (uuid.isEmpty()) {
            return new Blocked("no state UUID is held by a strict majority of the known positions " + known
                    + "; the nodes hold different histories, so an operator must decide which one to keep",
                    List.of());
        }
        Comparator<Map.Entry<String, Position>> order = Comparator
                .comparingLong((Map.Entry<String, Position> e) -> e.getValue().seqno()).reversed()
                .thenComparing(e -> !flagged.contains(e.getKey()))
                .thenComparing(Map.Entry::getKey);
        Map.Entry<String, Position> best = known.entrySet().stream()
                .filter(e -> e.getValue().uuid().equals(uuid.get())).min(order).orElseThrow();
        Optional<PositionHistory.Sighting> seen = history.highest(uuid.get());
        if (seen.isPresent() && seen.get().seqno() > best.getValue().seqno()) {
            return new Blocked("node " + seen.get().node() + " was seen at " + uuid.get() + ":" + seen.get().seqno()
                    + ", ahead of every position reported now (best: " + best.getKey() + " at " + best.getValue()
                    + "); a restart from there would lose committed transactions, so bring back the data that"
                    + " reached seqno " + seen.get().seqno(), List.of());
        }
        String tie = tieNote(known, best, flagged);
        String partialNote = unknown.isEmpty() ? "" : "; partial recovery without " + String.join(", ", unknown);
        return new Chosen(best.getKey(), best.getValue(), best.getKey() + " holds the most advanced position "
                + best.getValue() + " of state UUID " + uuid.get() + tie + partialNote);
    }

    private static Optional<String> majorityUuid(Map<String, Position> known) {
        Map<String, Integer> counts = new TreeMap<>();
        known.values().forEach(p -> counts.merge(p.uuid(), 1, Integer::sum));
        return counts.entrySet().stream().filter(e -> e.getValue() * 2 > known.size()).map(Map.Entry::getKey)
                .findFirst();
    }

    private static String tieNote(Map<String, Position> known, Map.Entry<String, Position> best, Set<String> flagged) {
        long tied = known.values().stream().filter(p -> p.equals(best.getValue())).count();
        if (tied < 2) {
            return "";
        }
        return flagged.contains(best.getKey()) ? ", tied and marked safe_to_bootstrap by Galera"
                : ", tied and first by node name";
    }

    private static String describeUnknown(List<String> unknown, Map<String, String> reasons) {
        List<String> parts = new ArrayList<>();
        for (String node : unknown) {
            parts.add(node + " (" + reasons.getOrDefault(node, "not reported") + ")");
        }
        return String.join(", ", parts);
    }
}
