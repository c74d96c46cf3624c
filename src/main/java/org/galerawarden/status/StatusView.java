package org.galerawarden.status;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.galerawarden.garbd.GarbdStatus;
import org.galerawarden.model.NodeSnapshot;
import org.galerawarden.model.VoterState;

/**
 * The JSON document of {@code GET /status}: this node, its peers as last seen, the current decision,
 * the vote and the lease.
 *
 * @param node this agent's name
 * @param role {@code DATA} or {@code ARBITRATOR}
 * @param mode {@code ACT} or {@code OBSERVE}
 * @param health the HAProxy answer: status code and body
 * @param snapshot this host's latest snapshot
 * @param decision the current decision: kind, reason, term and evidence
 * @param voter this agent's stored vote
 * @param leaseLeftMillis time left on the lease this node holds, or -1 when it holds none
 * @param peers every other voter as last seen
 * @param garbd garbd as this agent supervises it; null, and absent from the JSON, where the agent runs no garbd
 * @param coldStart the restart of stopped servers: whether the agent starts its server, the position of
 *     every stopped data node as this agent last received it, and the node chosen to start as a new cluster
 */
public record StatusView(String node, String role, String mode, Map<String, Object> health, NodeSnapshot snapshot,
        Map<String, Object> decision, VoterState voter, long leaseLeftMillis, List<PeerStatus> peers,
        @JsonInclude(JsonInclude.Include.NON_NULL) GarbdStatus garbd, Map<String, Object> coldStart) {

    /**
     * One peer as this agent last saw it.
     *
     * @param node the peer's name
     * @param role its configured role
     * @param reachable whether its last state request succeeded
     * @param error why it failed, or an empty string
     * @param reportAgeMillis age of the last report, -1 when none arrived
     * @param server its server's cluster status word, or DOWN, or an empty string for an arbitrator
     * @param position its best known position, or "unknown"
     * @param term its term
     * @param decision its current decision kind
     */
    public record PeerStatus(String node, String role, boolean reachable, String error, long reportAgeMillis,
            String server, String position, long term, String decision) {
    }
}
