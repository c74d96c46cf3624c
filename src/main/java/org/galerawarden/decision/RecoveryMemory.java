package org.galerawarden.decision;

import java.util.Optional;

/**
 * What the loop remembers between evaluations, handed to the engine as a value. Times are local
 * monotonic nanoseconds.
 *
 * @param nonPrimarySinceNanos when the local server was first seen non-Primary in the current stretch
 * @param unknownSinceNanos when the choice of a survivor first blocked on an unknown position
 * @param lease the lease held for a bootstrapped minority component
 * @param pcRecoveryStartNanos when this agent started its server for {@code pc.recovery}, until the
 *     server is Primary or stopped again
 * @param joinWaitSinceNanos when this node began to wait for its turn to join, in the current stretch
 */
public record RecoveryMemory(Optional<Long> nonPrimarySinceNanos, Optional<Long> unknownSinceNanos,
        Optional<HeldLease> lease, Optional<Long> pcRecoveryStartNanos, Optional<Long> joinWaitSinceNanos) {

    public RecoveryMemory(Optional<Long> nonPrimarySinceNanos, Optional<Long> unknownSinceNanos,
            Optional<HeldLease> lease) {
        this(nonPrimarySinceNanos, unknownSinceNanos, lease, Optional.empty(), Optional.empty());
    }

    public static RecoveryMemory empty() {
        return new RecoveryMemory(Optional.empty(), Optional.empty(), Optional.empty());
    }

    public RecoveryMemory withNonPrimarySince(Optional<Long> value) {
        return new RecoveryMemory(value, unknownSinceNanos, lease, pcRecoveryStartNanos, joinWaitSinceNanos);
    }

    public RecoveryMemory withUnknownSince(Optional<Long> value) {
        return new RecoveryMemory(nonPrimarySinceNanos, value, lease, pcRecoveryStartNanos, joinWaitSinceNanos);
    }

    public RecoveryMemory withLease(Optional<HeldLease> value) {
        return new RecoveryMemory(nonPrimarySinceNanos, unknownSinceNanos, value, pcRecoveryStartNanos,
                joinWaitSinceNanos);
    }

    public RecoveryMemory withPcRecoveryStart(Optional<Long> value) {
        return new RecoveryMemory(nonPrimarySinceNanos, unknownSinceNanos, lease, value, joinWaitSinceNanos);
    }

    public RecoveryMemory withJoinWaitSince(Optional<Long> value) {
        return new RecoveryMemory(nonPrimarySinceNanos, unknownSinceNanos, lease, pcRecoveryStartNanos, value);
    }
}
