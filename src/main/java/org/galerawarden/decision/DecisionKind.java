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
    FENCE,
    /** The stopped server's position is unknown: run {@code mariadbd --wsrep-recover}. */
    RECOVER_POSITION,
    /** Start the stopped server normally: to join a Primary Component, or for {@code pc.recovery}. */
    START,
    /** This node is chosen to restart a cluster whose servers all stopped: start it as a new cluster. */
    NEW_CLUSTER,
    /** Stop the non-Primary server cleanly, so that a more advanced stopped node can restart the cluster. */
    STOP
}
