package org.galerawarden.model;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The highest position this agent has seen per state UUID, on any node. Positions of one state UUID only
 * grow, so a restart from less than the highest one seen would throw away committed transactions.
 *
 * @param highest per state UUID, the highest position seen and the node that reported it
 * @param readable false when the stored history could not be read; nothing may then be chosen
 * @param problem why the stored history could not be read, or an empty string
 */
public record PositionHistory(Map<String, Sighting> highest, boolean readable, String problem) {

    /** One highest position: its seqno and the node that reported it. */
    public record Sighting(long seqno, String node) {
    }

    public PositionHistory {
        highest = Collections.unmodifiableMap(new TreeMap<>(highest));
    }

    public static PositionHistory empty() {
        return new PositionHistory(Map.of(), true, "");
    }

    public static PositionHistory unreadable(String problem) {
        return new PositionHistory(Map.of(), false, problem);
    }

    /** Returns the history with {@code position} added when it is higher than the one known for its UUID. */
    public PositionHistory observe(String node, Position position) {
        Sighting known = highest.get(position.uuid());
        if (!readable || known != null && known.seqno() >= position.seqno()) {
            return this;
        }
        Map<String, Sighting> next = new TreeMap<>(highest);
        next.put(position.uuid(), new Sighting(position.seqno(), node));
        return new PositionHistory(next, true, "");
    }

    public Optional<Sighting> highest(String uuid) {
        return Optional.ofNullable(highest.get(uuid));
    }
}
