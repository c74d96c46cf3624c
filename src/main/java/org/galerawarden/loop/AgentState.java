package org.galerawarden.loop;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.galerawarden.decision.Decision;
import org.galerawarden.decision.RecoveryMemory;
import org.galerawarden.model.NodeSnapshot;
import org.galerawarden.model.PeerView;
import org.galerawarden.model.PositionHistory;

/**
 * The agent's current picture, shared between the loop that writes it and the HTTP endpoints that read
 * it. Each field is replaced whole, so readers never see a half-written value. Thread-safe.
 */
public class AgentState {

    private volatile NodeSnapshot snapshot;
    private volatile long snapshotNanos;
    private volatile Map<String, PeerView> peers = Map.of();
    private volatile Decision decision;
    private volatile RecoveryMemory memory = RecoveryMemory.empty();
    private volatile PositionHistory history = PositionHistory.empty();

    public Optional<NodeSnapshot> snapshot() {
        return Optional.ofNullable(snapshot);
    }

    /** Returns when the current snapshot was taken, on the local monotonic clock. */
    public long snapshotNanos() {
        return snapshotNanos;
    }

    public void publishSnapshot(NodeSnapshot value, long takenNanos) {
        snapshot = value;
        snapshotNanos = takenNanos;
    }

    /** Returns the other voters' views, sorted by node name. */
    public Map<String, PeerView> peers() {
        return peers;
    }

    public synchronized void publishPeer(PeerView view) {
        TreeMap<String, PeerView> next = new TreeMap<>(peers);
        next.put(view.node(), view);
        peers = java.util.Collections.unmodifiableSortedMap(next);
    }

    public Optional<Decision> decision() {
        return Optional.ofNullable(decision);
    }

    public void publishDecision(Decision value) {
        decision = value;
    }

    public RecoveryMemory memory() {
        return memory;
    }

    public void publishMemory(RecoveryMemory value) {
        memory = value;
    }

    /** Returns the highest positions seen per state UUID. */
    public PositionHistory history() {
        return history;
    }

    public void publishHistory(PositionHistory value) {
        history = value;
    }
}
