package org.galerawarden.decision;

/** What the agent should do after one evaluation. */
public enum DecisionKind {
    /** Nothing to do: the node is healthy, or recovery is not this agent's job. */
    STEADY,
    /** Recovery is needed but blocked; the reason says by what. */
    WAIT,
    /** This node is the chosen survivor: ask the voters for a majority grant and restore the Primary Component. */
    BOOTSTRAP,
    /** This node leads a bootstrapped minority component and its lease is due for renewal. */
    RENEW_LEASE,
    /** The lease of this node's minority component ran out: fence the node. */
    FENCE
}
