package org.galerawarden.decision;

import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.galerawarden.config.Settings;
import org.galerawarden.model.NodeSnapshot;
import org.galerawarden.model.PeerView;
import org.galerawarden.model.Position;
import org.galerawarden.model.PositionHistory;
import org.galerawarden.model.Role;

/**
 * Decides, as a pure function, whether this voter grants a bootstrap or renews a lease. A voter grants at
 * most one candidate per term, never while its own node is Primary, never while it keeps a lease for
 * another node, and only to a candidate at least as advanced as every position it knows.
 */
public final class GrantPolicy {

    private GrantPolicy() {
    }

    /**
     * Evaluates a bootstrap grant request.
     *
     * @param self this voter's latest snapshot
     * @param peers this voter's view of the other voters, the candidate among them
     */
    public static Verdict evaluateGrant(Settings settings, NodeSnapshot self, Map<String, PeerView> peers,
            VoterMemory memory, long term, String candidate, Position position, long nowNanos) {
        return evaluateGrant(settings, self, peers, memory, term, candidate, position, nowNanos,
                PositionHistory.empty());
    }

    /**
     * Evaluates a bootstrap grant request. A candidate whose server is stopped requests a restart of the
     * cluster from cold. The voter then runs the candidate's choice on its own view, and grants only when
     * that choice names the candidate at the position it sent.
     *
     * @param history the highest positions this voter has seen, which no restart may fall behind
     */
    public static Verdict evaluateGrant(Settings settings, NodeSnapshot self, Map<String, PeerView> peers,
            VoterMemory memory, long term, String candidate, Position position, long nowNanos,
            PositionHistory history) {
        if (!settings.peers().containsKey(candidate)) {
            return Verdict.reject("candidate " + candidate + " is not a configured voter");
        }
        if (self.server().isPrimary()) {
            return Verdict.reject("this voter's own node " + settings.nodeName() + " is Primary");
        }
        if (self.server().mayBePrimary()) {
            return Verdict.reject("this voter's own " + (settings.role() == Role.DATA ? "server" : "garbd")
                    + " does not report its component and is not known to be stopped, so it may still be Primary");
        }
        if (memory.leaseBlocks(candidate, nowNanos)) {
            return Verdict.reject("a lease for " + memory.leaseHolder() + " runs for another "
                    + SafetyChecks.millis(memory.leaseExpiresNanos() - nowNanos) + " ms");
        }
        Optional<String> primary = SafetyChecks.primaryElsewhere(peers, candidate, nowNanos,
                settings.recovery().voterLeaseWindow());
        if (primary.isPresent()) {
            return Verdict.reject(primary.get());
        }
        // A repeated request for a grant already given gets the same reply, after the checks above.
        boolean repeated = term == memory.grantedTerm() && candidate.equals(memory.grantedTo());
        if (!repeated && term <= memory.term()) {
            return Verdict.reject("term " + term + " is not newer than this voter's term " + memory.term());
        }
        if (candidateStopped(settings, self, peers, candidate)) {
            return checkColdChoice(settings, self, peers, candidate, position, history);
        }
        return checkPosition(settings, self, peers, candidate, position);
    }

    private static boolean candidateStopped(Settings settings, NodeSnapshot self, Map<String, PeerView> peers,
            String candidate) {
        if (candidate.equals(settings.nodeName())) {
            return self.server().stopped();
        }
        PeerView peer = peers.get(candidate);
        return peer != null && peer.reportsStopped();
    }

    private static Verdict checkColdChoice(Settings settings, NodeSnapshot self, Map<String, PeerView> peers,
            String candidate, Position position, PositionHistory history) {
        if (settings.role() == Role.DATA && !self.server().stopped()) {
            return Verdict.reject("this voter's own server is not stopped, so the cluster is not restarted from cold");
        }
        Optional<PeerView> running = SafetyChecks.unstoppedDataPeer(peers);
        if (running.isPresent()) {
            return Verdict.reject("node " + running.get().node() + "'s server is not stopped, so the cluster is not"
                    + " restarted from cold");
        }
        ColdChoice.View view = ColdChoice.View.of(settings, self, peers).with(candidate, position);
        ColdChoice.Outcome outcome = ColdChoice.choose(view, settings.recovery().allowPartial(), history);
        if (outcome instanceof ColdChoice.Blocked blocked) {
            return Verdict.reject("restart from cold refused by this voter: " + blocked.reason());
        }
        ColdChoice.Chosen chosen = (ColdChoice.Chosen) outcome;
        if (!chosen.node().equals(candidate)) {
            return Verdict.reject("this voter chooses " + chosen.node() + ", not " + candidate + ": " + chosen.reason());
        }
        return Verdict.grant("restart from cold: " + chosen.reason());
    }

    private static Verdict checkPosition(Settings settings, NodeSnapshot self, Map<String, PeerView> peers,
            String candidate, Position position) {
        Map<String, Optional<Position>> others = new TreeMap<>();
        Set<String> live = new HashSet<>();
        if (settings.role() == Role.DATA && !settings.nodeName().equals(candidate)) {
            others.put(settings.nodeName(), self.bestKnownPosition());
            if (self.server().isNonPrimary()) {
                live.add(settings.nodeName());
            }
        }
        for (PeerView peer : peers.values()) {
            if (peer.role() == Role.DATA && !peer.node().equals(candidate)) {
                others.put(peer.node(), peer.bestKnownPosition());
                if (peer.reportsNonPrimary()) {
                    live.add(peer.node());
                }
            }
        }
        PositionVerdict verdict = SafetyChecks.comparePositions(candidate, position, others, live);
        if (verdict instanceof PositionVerdict.Behind behind) {
            return Verdict.reject(behind.reason());
        }
        if (verdict instanceof PositionVerdict.Unknown unknown && !settings.recovery().allowPartial()) {
            return Verdict.reject("position of " + String.join(", ", unknown.nodes()) + " is unknown and"
                    + " warden.recovery.allow-partial is false on this voter");
        }
        return Verdict.grant(candidate + " at " + position + " is the most advanced survivor this voter knows");
    }

    /**
     * Evaluates a lease renewal from the leader of a bootstrapped minority component. The leader is the node
     * this voter granted or keeps a lease for, or any node in a term newer than this voter's, because a
     * voter that missed the grant round has promised nothing that conflicts. A renewal is rejected while a
     * lease for another node runs, in a term older than this voter's last grant, and on an arbitrator
     * whose garbd is or may be in a Primary component.
     */
    public static Verdict evaluateLease(Settings settings, NodeSnapshot self, VoterMemory memory, long term,
            String holder, long nowNanos) {
        if (settings.role() == Role.ARBITRATOR && self.server().mayBePrimary()) {
            return Verdict.reject("this arbitrator's garbd is in a Primary component or may be, so a component"
                    + " without it must not be kept alive");
        }
        if (memory.leaseBlocks(holder, nowNanos)) {
            return Verdict.reject("a lease for " + memory.leaseHolder() + " runs for another "
                    + SafetyChecks.millis(memory.leaseExpiresNanos() - nowNanos) + " ms");
        }
        boolean grantedHolder = holder.equals(memory.grantedTo()) || holder.equals(memory.leaseHolder());
        if (!grantedHolder && term <= memory.term()) {
            return Verdict.reject("this voter granted term " + memory.grantedTerm() + " to "
                    + (memory.grantedTo().isEmpty() ? "nobody" : memory.grantedTo()) + ", not to " + holder);
        }
        if (term < memory.grantedTerm()) {
            return Verdict.reject("term " + term + " is older than this voter's grant in term " + memory.grantedTerm());
        }
        return Verdict.grant("lease renewed for " + holder + " in term " + term);
    }
}
