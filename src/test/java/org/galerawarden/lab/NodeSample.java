package org.galerawarden.lab;

import java.util.Set;

/**
 * One observation of one lab node by the test, over SQL.
 *
 * @param millis wall-clock time of the sample
 * @param node node number
 * @param reachable whether the server answered
 * @param status {@code wsrep_cluster_status}
 * @param state {@code wsrep_local_state}
 * @param uuid {@code wsrep_local_state_uuid}
 * @param lastCommitted {@code wsrep_last_committed}
 * @param members addresses in {@code wsrep_incoming_addresses}
 * @param refused whether the server refused the connection, which proves it is down; a sample that
 *     failed otherwise (a timeout) says nothing about the server
 */
public record NodeSample(long millis, int node, boolean reachable, String status, int state, String uuid,
        long lastCommitted, Set<String> members, boolean refused) {

    public boolean primary() {
        return reachable && "Primary".equals(status);
    }

    public boolean syncedPrimary() {
        return primary() && state == 4;
    }
}
