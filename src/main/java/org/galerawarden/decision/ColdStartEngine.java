package org.galerawarden.decision;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.galerawarden.config.ColdStartSettings;
import org.galerawarden.config.RecoverySettings;
import org.galerawarden.model.FileStatus;
import org.galerawarden.model.GvwstateFile;
import org.galerawarden.model.LocalState;
import org.galerawarden.model.NodeSnapshot;
import org.galerawarden.model.PeerView;
import org.galerawarden.model.Position;
import org.galerawarden.model.Role;
import org.galerawarden.model.ServerStatus;
import org.galerawarden.model.StoppedPosition;

/**
 * Decides, as a pure function, how an agent that owns its server's start brings a stopped server back.
 *
 * <p>Order: a peer's server is Primary, so join it, one node at a time and smallest name first, after
 * recovering this node's position when its {@code grastate.dat} does not parse; this node's position is
 * unknown, so recover it; every member of the last Primary view is back with the same
 * view, so start normally and let Galera restore the Primary ({@code pc.recovery}); a peer may be
 * Primary unseen, or its server runs or starts, so wait; otherwise choose the most advanced node with
 * {@link ColdChoice}, and if that is this node, start it as a new cluster after a majority grant.
 */
public final class ColdStartEngine {

    /** Evidence key set on a start meant for {@code pc.recovery}. */
    public static final String PC_RECOVERY = "pc_recovery";

    /** Evidence key set while this node waits for its turn to join; the loop remembers since when. */
    public static final String JOIN_WAIT = "join_wait_ms";

    private ColdStartEngine() {
    }

    static Decision decide(DecisionInput input, Map<String, String> evidence) {
        NodeSnapshot self = input.self();
        ServerStatus server = self.server();
        if (!server.stopped()) {
            return decideStarting(input, server, evidence);
        }
        StoppedPosition own = self.stopped();
        evidence.put("position", own.describe());

        Optional<PeerView> primary = primaryDataPeer(input);
        // A join needs the position too: it shows whether this node's data belongs to the Primary's history.
        if (own.position().isEmpty() && recoveryDue(input, own)) {
            return new Decision(DecisionKind.RECOVER_POSITION, "own position is unknown: " + own.source(), evidence, 0,
                    Optional.empty());
        }
        if (primary.isPresent()) {
            return decideJoin(input, primary.get(), evidence);
        }

        // Checked before the waits below, because members of the view that already started cannot finish
        // their start until this server is back too.
        if (allOfLastViewBack(input)) {
            evidence.put(PC_RECOVERY, "true");
            return new Decision(DecisionKind.START, "every member of the last Primary view in gvwstate.dat is back,"
                    + " so the server starts normally and Galera restores the Primary Component (pc.recovery)",
                    evidence, 0, Optional.empty());
        }
        Optional<String> unseen = SafetyChecks.primaryElsewhere(input.peers(), "", input.nowNanos(),
                input.settings().recovery().voterLeaseWindow());
        if (unseen.isPresent()) {
            return Decision.waiting(unseen.get(), evidence);
        }
        Optional<String> running = runningDataPeer(input);
        if (running.isPresent()) {
            return Decision.waiting(running.get(), evidence);
        }
        return decideChoice(input, own.position().orElse(null), evidence);
    }

    /**
     * Handles a server process that runs without accepting connections. A server started for
     * {@code pc.recovery} accepts them only once Galera restored the Primary. One that still does not
     * after the grace period waits for members that did not come back, so it is ended and the most
     * advanced node restarts the cluster. That loses nothing, because a server outside a Primary
     * Component commits nothing.
     */
    private static Decision decideStarting(DecisionInput input, ServerStatus server, Map<String, String> evidence) {
        Optional<Long> pcStart = input.memory().pcRecoveryStartNanos();
        Duration grace = input.settings().coldStart().pcRecoveryGrace();
        if (pcStart.isPresent() && input.nowNanos() - pcStart.get() >= grace.toNanos()) {
            evidence.put(PC_RECOVERY, "true");
            return new Decision(DecisionKind.STOP, "server was started for pc.recovery and is still not Primary after "
                    + grace.toSeconds() + " s, so some member of the last Primary view did not come back; it is"
                    + " stopped, losing nothing because it committed nothing, so that the most advanced node"
                    + " restarts the cluster", evidence, 0, Optional.empty());
        }
        return Decision.waiting("server does not answer but is not known to be stopped (" + server.error()
                + "); waiting for it", evidence);
    }

    private static Decision decideJoin(DecisionInput input, PeerView primary, Map<String, String> evidence) {
        evidence.put("primary", primary.node());
        Optional<Position> theirs = primary.bestKnownPosition();
        StoppedPosition own = input.self().stopped();
        Optional<Position> ours = own.position();
        if (ours.isEmpty() && !own.source().startsWith(StoppedPosition.SST_UNFINISHED)) {
            return Decision.waiting("own position is unknown (" + own.source() + "), and a node joins only with a"
                    + " known position, so that data of another history is never overwritten or mixed", evidence);
        }
        if (theirs.isPresent() && ours.isPresent() && !theirs.get().sameHistory(ours.get())) {
            return Decision.waiting("this node holds state UUID " + ours.get().uuid() + " but the Primary Component"
                    + " of " + primary.node() + " holds " + theirs.get().uuid() + "; joining would replace this node's"
                    + " data by a full state transfer, so it is not started; move the data directory aside to join,"
                    + " or keep it and start the server by hand", evidence);
        }
        // NOTE: a node left out of a partial restart whose seqno the new cluster has since passed is not
        // caught here: both histories share the state UUID, so the seqnos cannot tell them apart.
        if (theirs.isPresent() && ours.isPresent() && ours.get().seqno() > theirs.get().seqno()) {
            return Decision.waiting("this node is at " + ours.get() + ", ahead of the Primary Component of "
                    + primary.node() + " at " + theirs.get() + "; joining would discard the transactions only this"
                    + " node holds, so it is not started; an operator decides whether to keep them", evidence);
        }
        for (PeerView peer : SafetyChecks.sortedByName(input.peers())) {
            Optional<NodeSnapshot> report = peer.currentSnapshot();
            if (peer.role() != Role.DATA || report.isEmpty()) {
                continue;
            }
            ServerStatus theirServer = report.get().server();
            boolean joining = !theirServer.stopped()
                    && !(theirServer.isPrimary() && theirServer.localState() == LocalState.SYNCED);
            if (joining) {
                return Decision.waiting("node " + peer.node() + " is joining; nodes join one at a time", evidence);
            }
            if (theirServer.stopped() && report.get().stopped().managed() && !report.get().maintenance()
                    && peer.node().compareTo(input.settings().nodeName()) < 0 && !turnWaitedOut(input, evidence)) {
                return Decision.waiting("node " + peer.node() + " joins first; stopped nodes join one at a time in"
                        + " order of name", evidence);
            }
        }
        return new Decision(DecisionKind.START, "peer " + primary.node() + " is Primary, so the server starts"
                + " normally and joins it", evidence, 0, Optional.empty());
    }

    /**
     * Tells whether this node has waited for its turn to join longer than one start may take (the command
     * timeout), so that a node before it that cannot start does not keep it out for good.
     */
    private static boolean turnWaitedOut(DecisionInput input, Map<String, String> evidence) {
        long since = input.memory().joinWaitSinceNanos().orElse(input.nowNanos());
        Duration waited = Duration.ofNanos(input.nowNanos() - since);
        evidence.put(JOIN_WAIT, String.valueOf(waited.toMillis()));
        return waited.compareTo(input.settings().commands().timeout()) >= 0;
    }

    /** Returns a data peer in the Primary Component, a Synced one when there is one. */
    private static Optional<PeerView> primaryDataPeer(DecisionInput input) {
        List<PeerView> primary = SafetyChecks.sortedByName(input.peers()).stream()
                .filter(peer -> peer.role() == Role.DATA && peer.reportsPrimary()).toList();
        return primary.stream()
                .filter(peer -> peer.currentSnapshot().orElseThrow().server().localState() == LocalState.SYNCED)
                .findFirst().or(() -> primary.stream().findFirst());
    }

    /** Returns why a data peer's server keeps a restart from cold waiting: it runs or starts. */
    private static Optional<String> runningDataPeer(DecisionInput input) {
        return SafetyChecks.unstoppedDataPeer(input.peers()).map(peer -> {
            ServerStatus theirs = peer.currentSnapshot().orElseThrow().server();
            String state = theirs.reachable() ? "runs " + theirs.clusterStatus()
                    : "does not answer and is not known to be stopped";
            return "node " + peer.node() + "'s server " + state + "; a restart from cold needs every server"
                    + " stopped, and a running non-Primary server is restored in place";
        });
    }

    /**
     * Returns whether every member of this node's last Primary view is a data node whose agent reports
     * the same view, so that starting them all lets Galera restore that view. A member's server may be
     * stopped or already starting, because a server started for {@code pc.recovery} does not accept
     * connections until every member is back. A normal start never bootstraps: Galera restores the saved
     * Primary only once every member of it is connected (pc.recovery, Galera 3.6 and later), so starting
     * next to a server whose state is unknown is safe.
     */
    private static boolean allOfLastViewBack(DecisionInput input) {
        GvwstateFile own = input.self().gvwstate();
        if (own.status() != FileStatus.VALID || own.members().isEmpty()) {
            return false;
        }
        Set<String> back = new HashSet<>();
        back.add(own.myUuid());
        for (PeerView peer : input.peers().values()) {
            Optional<NodeSnapshot> report = peer.currentSnapshot();
            // A node in maintenance stays stopped, so it does not come back for pc.recovery.
            if (peer.role() != Role.DATA || report.isEmpty() || report.get().maintenance()) {
                continue;
            }
            GvwstateFile theirs = report.get().gvwstate();
            if (theirs.status() == FileStatus.VALID && theirs.viewId().equals(own.viewId())) {
                back.add(theirs.myUuid());
            }
        }
        return back.containsAll(own.members());
    }

    /**
     * Tells whether to run a position recovery now: never after an unfinished state transfer, whose data
     * is incomplete, and otherwise once, then again each retry interval while it finds no position.
     */
    private static boolean recoveryDue(DecisionInput input, StoppedPosition own) {
        if (own.source().startsWith(StoppedPosition.SST_UNFINISHED)) {
            return false;
        }
        ColdStartSettings coldStart = input.settings().coldStart();
        return own.recoveredAtNanos() < 0
                || input.nowNanos() - own.recoveredAtNanos() >= coldStart.recoverRetry().toNanos();
    }

    /**
     * Runs the choice on this agent's view. {@code own} is null while this node's position is unknown; the
     * choice then names another node or waits, and this node waits either way.
     */
    private static Decision decideChoice(DecisionInput input, Position own, Map<String, String> evidence) {
        String self = input.settings().nodeName();
        ColdChoice.View view = ColdChoice.View.of(input.settings(), input.self(), input.peers());
        view.positions().forEach((node, p) -> evidence.put("pos_" + node, p.map(Position::toString)
                .orElse("unknown: " + view.reasons().get(node))));
        RecoverySettings recovery = input.settings().recovery();
        Duration waited = Duration.ofNanos(input.nowNanos() - input.memory().unknownSinceNanos().orElse(input.nowNanos()));
        boolean partial = recovery.allowPartial() && waited.compareTo(recovery.unknownPositionTimeout()) >= 0;
        ColdChoice.Outcome outcome = ColdChoice.choose(view, partial, input.history());
        if (outcome instanceof ColdChoice.Blocked blocked) {
            return blocked(input, blocked, waited, evidence);
        }
        ColdChoice.Chosen chosen = (ColdChoice.Chosen) outcome;
        evidence.put("choice", chosen.node());
        if (!chosen.node().equals(self) || own == null) {
            return Decision.waiting("restart from cold: " + chosen.reason() + "; this node starts and joins once "
                    + chosen.node() + " is Primary", evidence);
        }
        int reachable = 1 + (int) input.peers().values().stream().filter(PeerView::reachable).count();
        evidence.put("voters_reachable", reachable + "/" + input.settings().peers().size());
        if (reachable < input.settings().majority()) {
            return Decision.waiting("restart from cold: this node is chosen, but it lacks a majority of voters: "
                    + input.settings().majority() + " of " + input.settings().peers().size() + " needed", evidence);
        }
        long term = DecisionEngine.nextTerm(input);
        evidence.put("term", String.valueOf(term));
        return new Decision(DecisionKind.NEW_CLUSTER, "restart from cold: " + chosen.reason(), evidence, term,
                Optional.of(own));
    }

    private static Decision blocked(DecisionInput input, ColdChoice.Blocked blocked, Duration waited,
            Map<String, String> evidence) {
        if (blocked.unknown().isEmpty()) {
            return Decision.waiting("restart from cold refused: " + blocked.reason(), evidence);
        }
        evidence.put("unknown_ms", String.valueOf(waited.toMillis()));
        RecoverySettings recovery = input.settings().recovery();
        String hint = recovery.allowPartial()
                ? "; with warden.recovery.allow-partial=true a strict majority suffices after "
                        + recovery.unknownPositionTimeout().toSeconds() + " s"
                : "; every data node must report, or set warden.recovery.allow-partial=true to restart from a strict"
                        + " majority after warden.recovery.unknown-position-timeout";
        return Decision.waiting("restart from cold waits: " + blocked.reason() + hint, evidence);
    }
}
