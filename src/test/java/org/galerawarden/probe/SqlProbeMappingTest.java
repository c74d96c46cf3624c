package org.galerawarden.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.galerawarden.model.ClusterStatus;
import org.galerawarden.model.LocalState;
import org.galerawarden.model.Position;
import org.galerawarden.model.ServerStatus;
import org.junit.jupiter.api.Test;

class SqlProbeMappingTest {

    private static final String STATE_UUID = "4ad9f36a-effa-11f1-9f8b-5ea2d3fbdfc7";

    /**
     * Rows that MariaDB 10.11.19 with Galera 4.23 returned for both probe queries on a freshly bootstrapped
     * single node. Most status rows that the mapping does not read are left out.
     */
    private static Map<String, String> syncedPrimary() {
        Map<String, String> rows = new HashMap<>();
        rows.put("wsrep_local_state_uuid", STATE_UUID);
        rows.put("wsrep_last_committed", "1");
        rows.put("wsrep_local_state", "4");
        rows.put("wsrep_local_state_comment", "Synced");
        rows.put("wsrep_desync_count", "0");
        rows.put("wsrep_gcomm_uuid", "4ad99fc5-effa-11f1-8e24-e76196af6c7f");
        rows.put("wsrep_cluster_conf_id", "1");
        rows.put("wsrep_cluster_size", "1");
        rows.put("wsrep_cluster_state_uuid", STATE_UUID);
        rows.put("wsrep_cluster_status", "Primary");
        rows.put("wsrep_connected", "ON");
        rows.put("wsrep_provider_name", "Galera");
        rows.put("wsrep_provider_version", "4.23(rXXXX)");
        rows.put("wsrep_ready", "ON");
        rows.put("read_only", "OFF");
        rows.put("wsrep_desync", "OFF");
        rows.put("wsrep_on", "ON");
        rows.put("wsrep_reject_queries", "NONE");
        rows.put("wsrep_sst_donor_rejects_queries", "OFF");
        return rows;
    }

    @Test
    void mapSyncedPrimary() {
        ServerStatus status = SqlProbe.toServerStatus(syncedPrimary());

        assertTrue(status.reachable());
        assertEquals("", status.error());
        assertEquals(ClusterStatus.PRIMARY, status.clusterStatus());
        assertEquals(LocalState.SYNCED, status.localState());
        assertEquals("Synced", status.localStateComment());
        assertTrue(status.ready());
        assertTrue(status.connected());
        assertEquals(1, status.clusterSize());
        assertEquals(1, status.clusterConfId());
        assertEquals(STATE_UUID, status.clusterStateUuid());
        assertEquals(STATE_UUID, status.localStateUuid());
        assertEquals(1, status.lastCommitted());
        assertFalse(status.readOnly());
        assertEquals("NONE", status.rejectQueries());
        assertFalse(status.desync());
        assertFalse(status.donorRejectsQueries());
        assertEquals(Optional.of(new Position(STATE_UUID, 1)), status.position());
    }

    /** Values the same server returned after SET GLOBAL wsrep_desync=ON, read_only=ON, wsrep_reject_queries=ALL. */
    @Test
    void mapDesyncedReadOnly() {
        Map<String, String> rows = syncedPrimary();
        rows.put("wsrep_local_state", "2");
        rows.put("wsrep_local_state_comment", "Donor/Desynced");
        rows.put("wsrep_desync_count", "1");
        rows.put("read_only", "ON");
        rows.put("wsrep_desync", "ON");
        rows.put("wsrep_reject_queries", "ALL");

        ServerStatus status = SqlProbe.toServerStatus(rows);

        assertEquals("", status.error());
        assertEquals(LocalState.DONOR, status.localState());
        assertEquals("Donor/Desynced", status.localStateComment());
        assertTrue(status.readOnly());
        assertTrue(status.desync());
        assertEquals("ALL", status.rejectQueries());
        assertTrue(status.isPrimary());
    }

    /** Values a node of a two-node cluster returned 25 s after the other node got SIGSTOP. */
    @Test
    void mapNonPrimary() {
        Map<String, String> rows = syncedPrimary();
        rows.put("wsrep_cluster_status", "non-Primary");
        rows.put("wsrep_cluster_conf_id", "18446744073709551615");
        rows.put("wsrep_local_state", "0");
        rows.put("wsrep_local_state_comment", "Initialized");
        rows.put("wsrep_last_committed", "9");
        rows.put("wsrep_ready", "OFF");

        ServerStatus status = SqlProbe.toServerStatus(rows);

        assertEquals("", status.error());
        assertEquals(ClusterStatus.NON_PRIMARY, status.clusterStatus());
        assertTrue(status.isNonPrimary());
        assertEquals(-1, status.clusterConfId());
        assertEquals(LocalState.UNKNOWN, status.localState());
        assertFalse(status.ready());
    }

    /** All rows MariaDB 10.11.19 returned when started without any wsrep option. */
    @Test
    void mapServerWithoutWsrep() {
        Map<String, String> rows = new HashMap<>();
        rows.put("wsrep", "0");
        rows.put("wsrep_applier_thread_count", "0");
        rows.put("wsrep_cluster_capabilities", "");
        rows.put("wsrep_cluster_conf_id", "18446744073709551615");
        rows.put("wsrep_cluster_size", "0");
        rows.put("wsrep_cluster_state_uuid", "");
        rows.put("wsrep_cluster_status", "Disconnected");
        rows.put("wsrep_connected", "OFF");
        rows.put("wsrep_local_bf_aborts", "0");
        rows.put("wsrep_local_index", "18446744073709551615");
        rows.put("wsrep_provider_capabilities", "");
        rows.put("wsrep_provider_name", "");
        rows.put("wsrep_provider_vendor", "");
        rows.put("wsrep_provider_version", "");
        rows.put("wsrep_ready", "OFF");
        rows.put("wsrep_rollbacker_thread_count", "0");
        rows.put("wsrep_thread_count", "0");
        rows.put("read_only", "OFF");
        rows.put("wsrep_desync", "OFF");
        rows.put("wsrep_on", "OFF");
        rows.put("wsrep_reject_queries", "NONE");
        rows.put("wsrep_sst_donor_rejects_queries", "OFF");

        ServerStatus status = SqlProbe.toServerStatus(rows);

        assertTrue(status.reachable());
        assertEquals("wsrep_on is OFF, so the server does not replicate with Galera; start it with wsrep_on=ON "
                + "and a wsrep_provider", status.error());
        assertEquals(ClusterStatus.UNKNOWN, status.clusterStatus());
        assertEquals(LocalState.UNKNOWN, status.localState());
        assertEquals(-1, status.clusterConfId());
        assertEquals(Optional.empty(), status.position());
    }

    @Test
    void mapWsrepOnOff() {
        Map<String, String> rows = syncedPrimary();
        rows.put("wsrep_on", "OFF");

        ServerStatus status = SqlProbe.toServerStatus(rows);

        assertTrue(status.reachable());
        assertEquals(ClusterStatus.UNKNOWN, status.clusterStatus());
        assertTrue(status.error().startsWith("wsrep_on is OFF, so the server does not replicate with Galera"),
                status.error());
    }

    @Test
    void mapNoWsrepStatusRows() {
        Map<String, String> rows = new HashMap<>();
        rows.put("read_only", "OFF");

        ServerStatus status = SqlProbe.toServerStatus(rows);

        assertTrue(status.reachable());
        assertEquals(ClusterStatus.UNKNOWN, status.clusterStatus());
        assertTrue(status.error().startsWith("SHOW GLOBAL STATUS returned no wsrep_cluster_status"),
                status.error());
        assertEquals(-1, status.lastCommitted());
        assertEquals("NONE", status.rejectQueries());
        assertEquals(Optional.empty(), status.position());
    }

    @Test
    void mapMissingVariablesUseDefaults() {
        Map<String, String> rows = syncedPrimary();
        rows.remove("read_only");
        rows.remove("wsrep_desync");
        rows.remove("wsrep_reject_queries");
        rows.remove("wsrep_sst_donor_rejects_queries");
        rows.remove("wsrep_on");

        ServerStatus status = SqlProbe.toServerStatus(rows);

        assertEquals("", status.error());
        assertFalse(status.readOnly());
        assertFalse(status.desync());
        assertEquals("NONE", status.rejectQueries());
        assertFalse(status.donorRejectsQueries());
        assertEquals(ClusterStatus.PRIMARY, status.clusterStatus());
    }

    @Test
    void mapBadNumberNamesValue() {
        Map<String, String> rows = syncedPrimary();
        rows.put("wsrep_last_committed", "many");
        rows.put("wsrep_cluster_size", "");

        ServerStatus status = SqlProbe.toServerStatus(rows);

        assertEquals(-1, status.lastCommitted());
        assertEquals(0, status.clusterSize());
        assertTrue(status.error().contains("wsrep_last_committed 'many' is not a number"), status.error());
        assertTrue(status.error().contains("wsrep_cluster_size '' is not a number"), status.error());
        assertEquals(Optional.empty(), status.position());
    }

    @Test
    void mapReadOnlyNumeric() {
        Map<String, String> rows = syncedPrimary();
        rows.put("read_only", "1");
        rows.put("wsrep_sst_donor_rejects_queries", "ON");

        ServerStatus status = SqlProbe.toServerStatus(rows);

        assertTrue(status.readOnly());
        assertTrue(status.donorRejectsQueries());
    }
}
