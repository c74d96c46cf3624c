package org.galerawarden.decision;

/**
 * A voter's promises as the grant policy sees them, with the lease end on the local monotonic clock.
 *
 * @param term the highest term seen
 * @param grantedTerm the term of the last grant, 0 when none
 * @param grantedTo the candidate of the last grant, empty when none
 * @param leaseHolder the node this voter keeps a lease for, empty when none
 * @param leaseExpiresNanos when that lease ends, clock margin included
 */
public record VoterMemory(long term, long grantedTerm, String grantedTo, String leaseHolder, long leaseExpiresNanos) {

    /** Returns whether a lease for another node than {@code node} is still running. */
    public boolean leaseBlocks(String node, long nowNanos) {
        return !leaseHolder.isEmpty() && !leaseHolder.equals(node) && nowNanos < leaseExpiresNanos;
    }
}
