package org.galerawarden.decision;

import java.util.Map;

import org.galerawarden.config.Settings;
import org.galerawarden.model.NodeSnapshot;
import org.galerawarden.model.PeerView;
import org.galerawarden.model.PositionHistory;

/**
 * Everything one evaluation depends on. The engine reads nothing else, so a test builds this value and
 * checks the decision without sleeps or servers.
 *
 * @param settings the agent's configuration
 * @param self the latest snapshot of this host
 * @param peers the other voters by name
 * @param memory what the loop remembers between evaluations
 * @param term the highest term this agent's voter has seen
 * @param nowNanos the current local monotonic time
 * @param history the highest positions this agent has seen per state UUID
 */
public record DecisionInput(Settings settings, NodeSnapshot self, Map<String, PeerView> peers,
        RecoveryMemory memory, long term, long nowNanos, PositionHistory history) {

    public DecisionInput {
        peers = Map.copyOf(peers);
    }

    /** Creates an input with an empty position history. */
    public DecisionInput(Settings settings, NodeSnapshot self, Map<String, PeerView> peers, RecoveryMemory memory,
            long term, long nowNanos) {
        this(settings, self, peers, memory, term, nowNanos, PositionHistory.empty());
    }
}
