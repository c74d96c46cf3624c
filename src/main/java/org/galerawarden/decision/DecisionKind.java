package org.galerawarden.decision;

/** The action one evaluation calls for. */
public enum DecisionKind {
    /** Nothing to do: the node is healthy, or recovery is not this agent's job. */
    STEADY,
    /** Recovery is needed but blocked. The reason names what blocks it. */
    WAIT,
    /** This node is the chosen survivor: ask the voters for a majority grant and restore the Primary Component. */
    BOOTSTRAP,
    /** This node leads a bootstrapped minority component and its lease is due for renewal. */
    RENEW_LEASE,
    /** The lease of this node's minority component ran out: fence the node. */
    FENCE
}
