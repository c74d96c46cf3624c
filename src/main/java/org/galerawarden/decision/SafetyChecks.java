package org.galerawarden.decision;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.galerawarden.model.PeerView;
import org.galerawarden.model.Position;
import org.galerawarden.model.Role;

/**
 * The checks that both a candidate and every voter run before a bootstrap, so each side refuses for the
 * same reasons: no Primary component anywhere (rule "one Primary") and the candidate being the most
 * advanced node of its history (rule "most advanced wins").
 */
final class SafetyChecks {

    private SafetyChecks() {
    }

    /**
     * Returns why a bootstrap would risk a second Primary: a reachable peer that reports Primary, or a
     * peer seen Primary within {@code window} that may still be Primary unseen, because its agent is
     * unreachable or its server does not answer without being known to be stopped. A peer whose agent
     * reports its server stopped or non-Primary is current evidence and needs no wait.
     */
    static Optional<String> primaryElsewhere(Map<String, PeerView> peers, String exclude, long nowNanos,
            Duration window) {
        for (PeerView peer : sortedByName(peers)) {
            if (peer.node().equals(exclude)) {
                continue;
            }
            if (peer.reportsPrimary()) {
                return Optional.of("peer " + peer.node() + " reports a Primary component");
            }
            if (peer.mayBePrimaryUnseen() && peer.lastPrimaryNanos().isPresent()) {
                long since = nowNanos - peer.lastPrimaryNanos().get();
                if (since < window.toNanos()) {
                    String why = peer.reachable() ? "'s server does not answer" : " is unreachable";
                    return Optional.of("peer " + peer.node() + why + " and was Primary "
                            + millis(since) + " ms ago, within the lease window of " + window.toMillis() + " ms");
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Compares the candidate's position with every other known position. Ties go to the node with the
     * smallest name among {@code liveNodes}, the nodes that could bootstrap instead; a node whose server
     * is down cannot, so it wins no tie.
     *
     * @param others every other data node's best known position, empty when unknown
     * @param liveNodes nodes with a running non-Primary server
     */
    static PositionVerdict comparePositions(String candidate, Position position,
            Map<String, Optional<Position>> others, Set<String> liveNodes) {
        List<String> unknown = new ArrayList<>();
        for (String node : new java.util.TreeSet<>(others.keySet())) {
            Optional<Position> known = others.get(node);
            if (known.isEmpty()) {
                unknown.add(node);
                continue;
            }
            Position other = known.get();
            if (!other.sameHistory(position)) {
                return new PositionVerdict.Behind(node, "node " + node + " holds state UUID " + other.uuid()
                        + " but " + candidate + " holds " + position.uuid()
                        + "; positions of different histories are not comparable");
            }
            if (other.seqno() > position.seqno()) {
                return new PositionVerdict.Behind(node, "node " + node + " is more advanced (" + other + " > " + position
                        + ")");
            }
            if (other.seqno() == position.seqno() && liveNodes.contains(node) && node.compareTo(candidate) < 0) {
                return new PositionVerdict.Behind(node, "node " + node + " has the same position " + position
                        + " and wins the tie by node name");
            }
        }
        return unknown.isEmpty() ? new PositionVerdict.Ahead() : new PositionVerdict.Unknown(List.copyOf(unknown));
    }

    /**
     * Returns the first data peer, by name, whose agent reports a server that is not known to be stopped:
     * it runs or starts, so the cluster is not restarted from cold.
     */
    static Optional<PeerView> unstoppedDataPeer(Map<String, PeerView> peers) {
        return sortedByName(peers).stream().filter(peer -> peer.role() == Role.DATA
                && peer.currentSnapshot().map(report -> !report.server().stopped()).orElse(false)).findFirst();
    }

    static List<PeerView> sortedByName(Map<String, PeerView> peers) {
        return peers.values().stream().sorted(java.util.Comparator.comparing(PeerView::node)).toList();
    }

    static long millis(long nanos) {
        return Duration.ofNanos(nanos).toMillis();
    }
}
