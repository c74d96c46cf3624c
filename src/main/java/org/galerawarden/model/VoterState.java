package org.galerawarden.model;

import java.time.Instant;
import java.util.Optional;

/**
 * A voter's durable promise: the highest term it has seen, the candidate it granted in that term, and
 * the lease it keeps for the granted node. It is written to disk with fsync before any reply that
 * depends on it.
 *
 * @param term the highest term seen
 * @param grantedTerm the term of the last grant, 0 when none
 * @param grantedTo the candidate of the last grant, empty when none
 * @param leaseHolder the node the voter keeps a lease for, empty when none
 * @param leaseExpiresAt wall-clock end of that lease, already including the clock margin
 */
public record VoterState(long term, long grantedTerm, String grantedTo, String leaseHolder, Instant leaseExpiresAt) {

    public static VoterState initial() {
        return new VoterState(0, 0, "", "", Instant.EPOCH);
    }

    public Optional<String> grantee() {
        return grantedTo.isEmpty() ? Optional.empty() : Optional.of(grantedTo);
    }
}
