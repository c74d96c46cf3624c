package org.galerawarden.decision;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.galerawarden.config.RecoverySettings;
import org.galerawarden.config.Settings;
import org.galerawarden.model.PeerView;
import org.galerawarden.model.Position;
import org.galerawarden.model.Role;
import org.galerawarden.model.ServerStatus;
import org.galerawarden.model.StoppedPosition;

/**
 * Decides what a data-node agent should do, as a pure function of a {@link DecisionInput}.
 *
 * <p>Order of the checks: a held lease first (renew, release or fence), then the local server's state,
 * then the grace period, then no Primary anywhere, then this node being the most advanced survivor,
 * then a reachable majority of voters. The first check that fails yields WAIT with its reason. Passing
 * every check yields BOOTSTRAP, which only starts the grant round: every voter repeats the same checks
 * on its own view before granting.
 */
public final class DecisionEngine {

    /** The reason given when a bootstrapped component regains a majority and no longer needs its lease. */
    public static final String LEASE_RELEASED =
            "component holds a majority of the Galera members again, so the lease is released";

    private DecisionEngine() {
    }

    public static Decision decide(DecisionInput input) {
        Map<String, String> evidence = baseEvidence(input);
        if (input.settings().role() == Role.ARBITRATOR) {
            return Decision.steady("arbitrator: votes and keeps no data", evidence);
        }
        Optional<Decision> leaseDecision = decideLease(input, evidence);
        if (leaseDecision.isPresent()) {
            return leaseDecision.get();
        }
        ServerStatus server = input.self().server();
        if (!server.reachable()) {
            if (input.settings().coldStart().enabled()) {
                return holdForMaintenance(input, ColdStartEngine.decide(input, evidence));
            }
            return Decision.steady("server does not answer, so there is nothing to restore in place", evidence);
        }
        if (server.isPrimary()) {
            return Decision.steady("server is in the Primary component", evidence);
        }
        if (!server.isNonPrimary()) {
            return Decision.waiting("server is " + server.clusterStatus() + ", not non-Primary; waiting for it"
                    + " to connect to the cluster", evidence);
        }
        return decideRestore(input, evidence);
    }

    /**
     * Keeps a stopped server in maintenance stopped: the operator stopped it on purpose. Its position is
     * still recovered and reported, so the other nodes can choose.
     */
    private static Decision holdForMaintenance(DecisionInput input, Decision decision) {
        boolean starts = decision.kind() == DecisionKind.START || decision.kind() == DecisionKind.NEW_CLUSTER;
        if (!starts || !input.self().maintenance()) {
            return decision;
        }
        return Decision.waiting("maintenance switch is on, so the server is not started (it would: "
                + decision.reason() + ")", decision.evidence());
    }

    /**
     * Handles a held lease. The lease ends only when the component regains a majority or the server is
     * known to be stopped. A server that answers non-Primary needs no lease meanwhile, but it keeps the
     * lease so that a component that Galera restores by itself with an expired lease is fenced. A server
     * that does not answer may still be Primary, so its lease is renewed and enforced as usual.
     */
    private static Optional<Decision> decideLease(DecisionInput input, Map<String, String> evidence) {
        Optional<HeldLease> held = input.memory().lease();
        ServerStatus server = input.self().server();
        if (held.isEmpty() || server.stopped() || server.isNonPrimary() || server.clusterStatus()
                == org.galerawarden.model.ClusterStatus.DISCONNECTED) {
            return Optional.empty();
        }
        HeldLease lease = held.get();
        long now = input.nowNanos();
        int members = input.settings().galeraMembers();
        evidence.put("component", server.clusterSize() + "/" + members);
        evidence.put("lease_left_ms", String.valueOf(SafetyChecks.millis(lease.validUntilNanos() - now)));
        if (server.reachable() && server.clusterSize() * 2 > members) {
            return Optional.of(Decision.steady(LEASE_RELEASED, evidence));
        }
        // Fence one poll early: the next evaluation would come after the lease ended.
        long pollNanos = input.settings().pollInterval().toNanos();
        if (now + pollNanos >= lease.validUntilNanos()) {
            return Optional.of(new Decision(DecisionKind.FENCE, "lease of the minority component runs out without"
                    + " renewal by a majority of voters", evidence, lease.term(), Optional.empty()));
        }
        long renewEvery = input.settings().recovery().leaseDuration().toNanos() / 3;
        if (now - lease.renewedAtNanos() >= renewEvery) {
            return Optional.of(new Decision(DecisionKind.RENEW_LEASE, "minority component needs its lease renewed",
                    evidence, lease.term(), Optional.empty()));
        }
        return Optional.of(Decision.steady("leading a minority component under a valid lease", evidence));
    }

    private static Decision decideRestore(DecisionInput input, Map<String, String> evidence) {
        RecoverySettings recovery = input.settings().recovery();
        long now = input.nowNanos();
        long nonPrimaryFor = now - input.memory().nonPrimarySinceNanos().orElse(now);
        evidence.put("non_primary_ms", String.valueOf(SafetyChecks.millis(nonPrimaryFor)));
        if (nonPrimaryFor < recovery.gracePeriod().toNanos()) {
            return Decision.waiting("non-Primary, within the grace period of " + recovery.gracePeriod().toMillis()
                    + " ms", evidence);
        }

        Optional<String> primary = SafetyChecks.primaryElsewhere(input.peers(), "", now, recovery.voterLeaseWindow());
        if (primary.isPresent()) {
            return Decision.waiting(primary.get(), evidence);
        }

        Optional<Position> own = input.self().server().position();
        if (own.isEmpty()) {
            return Decision.waiting("own position is unknown (state UUID " + input.self().server().localStateUuid()
                    + ", last committed " + input.self().server().lastCommitted() + ")", evidence);
        }
        evidence.put("position", own.get().toString());
        Optional<Decision> behind = checkPosition(input, own.get(), evidence);
        if (behind.isPresent()) {
            return behind.get();
        }

        int reachable = reachableVoters(input);
        int majority = input.settings().majority();
        evidence.put("voters_reachable", reachable + "/" + input.settings().peers().size());
        if (reachable < majority) {
            return Decision.waiting("lacks a majority of voters: " + majority + " of "
                    + input.settings().peers().size() + " needed", evidence);
        }

        long term = nextTerm(input);
        evidence.put("term", String.valueOf(term));
        return new Decision(DecisionKind.BOOTSTRAP, "most advanced survivor with no Primary anywhere",
                evidence, term, own);
    }

    private static Optional<Decision> checkPosition(DecisionInput input, Position own, Map<String, String> evidence) {
        Map<String, Optional<Position>> others = new TreeMap<>();
        Set<String> live = new HashSet<>();
        for (PeerView peer : input.peers().values()) {
            if (peer.role() != Role.DATA) {
                continue;
            }
            others.put(peer.node(), peer.bestKnownPosition());
            evidence.put("pos_" + peer.node(), peer.bestKnownPosition().map(Position::toString).orElse("unknown"));
            if (peer.reportsNonPrimary()) {
                live.add(peer.node());
            }
        }
        PositionVerdict verdict = SafetyChecks.comparePositions(input.settings().nodeName(), own, others, live);
        if (verdict instanceof PositionVerdict.Behind behind) {
            if (aheadAndStopped(input, own, behind.node())) {
                return Optional.of(new Decision(DecisionKind.STOP, behind.reason() + ", and its server is stopped;"
                        + " this server stops cleanly so that the most advanced node restarts the cluster",
                        evidence, 0, Optional.empty()));
            }
            return Optional.of(Decision.waiting(behind.reason(), evidence));
        }
        if (verdict instanceof PositionVerdict.Unknown unknown) {
            return waitForUnknown(input, unknown, evidence);
        }
        return Optional.empty();
    }

    /**
     * Tells whether {@code node}, which is ahead of this non-Primary node, has a stopped server that its
     * agent starts. No Primary can form around this node then, and a clean stop loses nothing, so this
     * node stops and the restart from cold picks the most advanced node.
     */
    private static boolean aheadAndStopped(DecisionInput input, Position own, String node) {
        PeerView peer = input.peers().get(node);
        if (!input.settings().coldStart().enabled() || peer == null || !peer.reportsStopped()) {
            return false;
        }
        StoppedPosition theirs = peer.currentSnapshot().orElseThrow().stopped();
        return theirs.managed() && theirs.position().map(p -> p.sameHistory(own) && p.seqno() > own.seqno())
                .orElse(false);
    }

    private static Optional<Decision> waitForUnknown(DecisionInput input, PositionVerdict.Unknown unknown,
            Map<String, String> evidence) {
        RecoverySettings recovery = input.settings().recovery();
        long since = input.memory().unknownSinceNanos().orElse(input.nowNanos());
        Duration waited = Duration.ofNanos(input.nowNanos() - since);
        evidence.put("unknown_ms", String.valueOf(waited.toMillis()));
        String nodes = String.join(", ", unknown.nodes());
        if (waited.compareTo(recovery.unknownPositionTimeout()) < 0) {
            return Optional.of(Decision.waiting("position of " + nodes + " is unknown; waiting for it", evidence));
        }
        if (!recovery.allowPartial()) {
            return Optional.of(Decision.waiting("position of " + nodes + " stayed unknown past "
                    + recovery.unknownPositionTimeout().toSeconds() + " s, so no survivor is chosen; set"
                    + " warden.recovery.allow-partial=true to choose among known positions", evidence));
        }
        evidence.put("partial", "true");
        return Optional.empty();
    }

    private static int reachableVoters(DecisionInput input) {
        int reachable = 1;
        for (PeerView peer : input.peers().values()) {
            if (peer.reachable()) {
                reachable++;
            }
        }
        return reachable;
    }

    static long nextTerm(DecisionInput input) {
        long highest = input.term();
        for (PeerView peer : input.peers().values()) {
            highest = Math.max(highest, peer.term());
        }
        return highest + 1;
    }

    private static Map<String, String> baseEvidence(DecisionInput input) {
        Map<String, String> evidence = new LinkedHashMap<>();
        ServerStatus server = input.self().server();
        evidence.put("node", input.settings().nodeName());
        if (input.settings().role() == Role.DATA) {
            evidence.put("status", server.reachable() ? server.clusterStatus().toString() : "DOWN");
            evidence.put("state", server.localState().toString());
            evidence.put("size", String.valueOf(server.clusterSize()));
        }
        for (PeerView peer : SafetyChecks.sortedByName(input.peers())) {
            evidence.put("peer_" + peer.node(), describe(peer));
        }
        return evidence;
    }

    private static String describe(PeerView peer) {
        if (!peer.reachable()) {
            return "unreachable";
        }
        if (peer.role() == Role.ARBITRATOR) {
            return "voter";
        }
        ServerStatus server = peer.lastReport().get().snapshot().server();
        return server.reachable() ? server.clusterStatus().toString() : "DOWN";
    }
}
