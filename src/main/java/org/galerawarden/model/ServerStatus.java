package org.galerawarden.model;

import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * The local MariaDB server's state as read over SQL in one probe: the wsrep status variables and the
 * few server variables that decide whether it may take writes.
 *
 * @param reachable whether the server answered the probe
 * @param error why the probe failed, or an empty string
 * @param clusterStatus {@code wsrep_cluster_status}
 * @param localState {@code wsrep_local_state}
 * @param localStateComment {@code wsrep_local_state_comment}, such as "Synced" or "Donor/Desynced"
 * @param ready {@code wsrep_ready}
 * @param connected {@code wsrep_connected}
 * @param clusterSize {@code wsrep_cluster_size}, the members of the current component including garbd
 * @param clusterConfId {@code wsrep_cluster_conf_id}
 * @param clusterStateUuid {@code wsrep_cluster_state_uuid}
 * @param localStateUuid {@code wsrep_local_state_uuid}
 * @param lastCommitted {@code wsrep_last_committed}, -1 when unknown
 * @param readOnly the {@code read_only} variable
 * @param rejectQueries {@code wsrep_reject_queries}: NONE, ALL or ALL_KILL
 * @param desync {@code wsrep_desync}
 * @param donorRejectsQueries {@code wsrep_sst_donor_rejects_queries}
 * @param stopped the server is known not to run: nothing listens on its socket or port. A server that
 *     does not answer for another reason (a timeout, too many connections) may still be Primary.
 */
public record ServerStatus(
        boolean reachable,
        String error,
        ClusterStatus clusterStatus,
        LocalState localState,
        String localStateComment,
        boolean ready,
        boolean connected,
        int clusterSize,
        long clusterConfId,
        String clusterStateUuid,
        String localStateUuid,
        long lastCommitted,
        boolean readOnly,
        String rejectQueries,
        boolean desync,
        boolean donorRejectsQueries,
        boolean stopped) {

    /** Returns the status of a server that did not answer, with the reason; it may still be running. */
    public static ServerStatus unreachable(String error) {
        return new ServerStatus(false, error, ClusterStatus.UNKNOWN, LocalState.UNKNOWN, "", false, false, 0, -1,
                "", "", -1, false, "", false, false, false);
    }

    /** Returns the status of a server that is known not to run, with the evidence. */
    public static ServerStatus stopped(String error) {
        return new ServerStatus(false, error, ClusterStatus.UNKNOWN, LocalState.UNKNOWN, "", false, false, 0, -1,
                "", "", -1, false, "", false, false, true);
    }

    @JsonIgnore
    public boolean isPrimary() {
        return reachable && clusterStatus == ClusterStatus.PRIMARY;
    }

    /** Returns whether the server could be in a Primary component without this agent seeing it. */
    @JsonIgnore
    public boolean mayBePrimary() {
        return isPrimary() || !reachable && !stopped;
    }

    @JsonIgnore
    public boolean isNonPrimary() {
        return reachable && clusterStatus == ClusterStatus.NON_PRIMARY;
    }

    /** Returns the live position (local state UUID and last committed seqno) when both are known. */
    public Optional<Position> position() {
        if (!reachable || !Position.isKnown(localStateUuid, lastCommitted)) {
            return Optional.empty();
        }
        return Optional.of(new Position(localStateUuid, lastCommitted));
    }
}
