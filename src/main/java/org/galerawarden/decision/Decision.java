package org.galerawarden.decision;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.galerawarden.model.Position;

/**
 * The outcome of one evaluation with its evidence. {@code reason} is stable while the situation is the
 * same, so a change of kind or reason marks a decision change worth one log line; counters and ages
 * go into {@code evidence}.
 *
 * @param kind what to do
 * @param reason one sentence that explains why, without changing numbers
 * @param evidence the observations behind the decision, in log order
 * @param term the election term a bootstrap would use, 0 otherwise
 * @param position this node's position when it matters to the decision
 */
public record Decision(DecisionKind kind, String reason, Map<String, String> evidence, long term,
        Optional<Position> position) {

    public Decision {
        evidence = Collections.unmodifiableMap(new LinkedHashMap<>(evidence));
    }

    public static Decision steady(String reason, Map<String, String> evidence) {
        return new Decision(DecisionKind.STEADY, reason, evidence, 0, Optional.empty());
    }

    public static Decision waiting(String reason, Map<String, String> evidence) {
        return new Decision(DecisionKind.WAIT, reason, evidence, 0, Optional.empty());
    }

    /** Returns whether this decision differs from {@code other} in what it asks for or why. */
    public boolean changedFrom(Decision other) {
        return other == null || kind != other.kind || !reason.equals(other.reason);
    }

    /** Formats the evidence as {@code key=value} pairs for a log line. */
    public String evidenceText() {
        return evidence.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }
}
