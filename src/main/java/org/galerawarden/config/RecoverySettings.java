package org.galerawarden.config;

import java.time.Duration;

/**
 * Timing and safety options of recovery.
 *
 * @param gracePeriod how long the node must stay non-Primary before recovery starts
 * @param leaseDuration validity of a lease held by a bootstrapped minority component
 * @param clockMargin extra time voters wait beyond a lease, covering clock-rate differences
 * @param peerTimeout limit for one peer request
 * @param unknownPositionTimeout how long an unknown position blocks the choice before it is refused
 * @param allowPartial choose among known positions after that timeout, instead of refusing
 * @param fence how the node fences itself when its lease runs out
 * @param bootstrapMethod how a granted candidate restores the Primary Component
 * @param intentDelay pause between journaling an intent and carrying it out; 0 outside tests
 */
public record RecoverySettings(
        Duration gracePeriod,
        Duration leaseDuration,
        Duration clockMargin,
        Duration peerTimeout,
        Duration unknownPositionTimeout,
        boolean allowPartial,
        FenceMethod fence,
        BootstrapMethod bootstrapMethod,
        Duration intentDelay) {

    /** Returns how long voters keep a lease after granting it: the lease plus the clock margin. */
    public Duration voterLeaseWindow() {
        return leaseDuration.plus(clockMargin);
    }
}
