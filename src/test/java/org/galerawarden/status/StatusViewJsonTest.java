package org.galerawarden.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.galerawarden.garbd.GarbdStatus;
import org.galerawarden.model.VoterState;
import org.galerawarden.testing.Fixtures;
import org.junit.jupiter.api.Test;

/** The {@code garbd} object of {@code GET /status}: absent where the agent runs no garbd. */
class StatusViewJsonTest {

    private final ObjectMapper json = Fixtures.json();

    private static StatusView view(GarbdStatus garbd) {
        return new StatusView("n1", "DATA", "ACT", Map.of("status", 200), null, Map.of(), VoterState.initial(), -1,
                List.of(), garbd, Map.of());
    }

    @Test
    void garbdAbsentWhenNotRun() throws Exception {
        JsonNode tree = json.readTree(json.writeValueAsString(view(null)));

        assertFalse(tree.has("garbd"), tree.toString());
    }

    @Test
    void garbdPresentWhenRun() throws Exception {
        GarbdStatus garbd = new GarbdStatus(true, 4242, 1500, 1, 0, "", null, -1, true, true, 3, "SYNCED",
                "INFO: New COMPONENT: primary = yes, bootstrap = no, my_idx = 2, memb_num = 3", true,
                "n1 is Primary with wsrep_cluster_size 3", List.of("/usr/bin/garbd"), "/var/lib/galera-warden/garbd");

        JsonNode tree = json.readTree(json.writeValueAsString(view(garbd)));

        assertEquals(4242, tree.path("garbd").path("pid").asLong());
        assertEquals(true, tree.path("garbd").path("member").asBoolean());
        assertEquals("SYNCED", tree.path("garbd").path("state").asText());
    }
}
