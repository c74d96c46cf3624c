package org.galerawarden.decision;

/**
 * The lease this agent holds while its node leads a bootstrapped component that lacks a majority of the
 * configured Galera members. Times are local monotonic nanoseconds.
 *
 * @param term the term of the bootstrap that created the component
 * @param validUntilNanos when the lease runs out unless renewed, measured from the send time of the
 *     request round that won it, so it ends before any voter's copy does
 * @param renewedAtNanos when the last successful renewal round started
 */
public record HeldLease(long term, long validUntilNanos, long renewedAtNanos) {
}
