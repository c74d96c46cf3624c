package org.galerawarden.decision;

import java.util.List;

/** The outcome of comparing a candidate's position with every other position known to a voter. */
public sealed interface PositionVerdict {

    /** The candidate is at least as advanced as every known position and wins every tie. */
    record Ahead() implements PositionVerdict {
    }

    /** Another node, {@code node}, is more advanced, wins the tie, or has another history. The reason names which. */
    record Behind(String node, String reason) implements PositionVerdict {
    }

    /** The candidate leads among known positions, but these nodes' positions are unknown. */
    record Unknown(List<String> nodes) implements PositionVerdict {
    }
}
