package org.galerawarden.model;

/**
 * What one agent returns to a peer's state request: its latest snapshot and its current term.
 *
 * @param snapshot the agent's latest observation of its host
 * @param term the highest election term the agent has seen
 * @param decision the agent's current decision kind, for operators reading {@code /status}
 */
public record PeerReport(NodeSnapshot snapshot, long term, String decision) {
}
