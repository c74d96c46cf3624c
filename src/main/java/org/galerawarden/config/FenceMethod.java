package org.galerawarden.config;

/** How an agent fences its own node when the lease of a bootstrapped minority component runs out. */
public enum FenceMethod {
    /**
     * Stop the server with the stop command. The component stops existing, so no second Primary can
     * form beside it.
     */
    STOP,
    /**
     * Set {@code wsrep_reject_queries=ALL_KILL} and answer 503. Galera still reports the component as
     * Primary, so this relies on every client going through the health check.
     */
    REJECT
}
