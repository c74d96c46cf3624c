package org.galerawarden.model;

import java.time.Instant;
import java.util.Optional;

/**
 * One immutable observation of a host, taken by its own agent: the server status, the state files and
 * the maintenance switch. Peers receive it as JSON. An arbitrator's snapshot has no server and no files.
 *
 * @param node the agent's node name
 * @param role the agent's role
 * @param takenAt wall-clock time of the probe on the observing host
 * @param server what the server reported, {@link ServerStatus#unreachable} for an arbitrator
 * @param grastate {@code grastate.dat} as parsed
 * @param gvwstate {@code gvwstate.dat} as parsed
 * @param lastLivePosition the last position this agent read over SQL while the server answered; it
 *     outlives a crash of the server, but not a restart of the agent
 * @param maintenance whether an operator put the node into maintenance
 * @param stopped the position of the data while the server is stopped, for a restart
 */
public record NodeSnapshot(
        String node,
        Role role,
        Instant takenAt,
        ServerStatus server,
        GrastateFile grastate,
        GvwstateFile gvwstate,
        Optional<Position> lastLivePosition,
        boolean maintenance,
        StoppedPosition stopped) {

    /** Creates a snapshot of an agent that does not start its server. */
    public NodeSnapshot(String node, Role role, Instant takenAt, ServerStatus server, GrastateFile grastate,
            GvwstateFile gvwstate, Optional<Position> lastLivePosition, boolean maintenance) {
        this(node, role, takenAt, server, grastate, gvwstate, lastLivePosition, maintenance,
                StoppedPosition.none(false, "the agent does not start its server"));
    }

    /**
     * Returns the best known position of this node's data: the live one when the server answers, else
     * the one saved at a clean shutdown, else the recovered one, else the last one read while the server
     * still accepted connections.
     */
    public Optional<Position> bestKnownPosition() {
        Optional<Position> live = server.position();
        if (live.isPresent()) {
            return live;
        }
        Optional<Position> saved = grastate.position();
        if (saved.isPresent()) {
            return saved;
        }
        if (stopped.position().isPresent()) {
            return stopped.position();
        }
        return lastLivePosition;
    }

    /** Returns this snapshot with another server status, such as one that marks the server as starting. */
    public NodeSnapshot withServer(ServerStatus value) {
        return new NodeSnapshot(node, role, takenAt, value, grastate, gvwstate, lastLivePosition, maintenance,
                stopped);
    }
}
