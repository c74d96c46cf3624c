package org.galerawarden.model;

import static org.galerawarden.testing.Fixtures.STATE_UUID;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.galerawarden.testing.Fixtures;
import org.junit.jupiter.api.Test;

/** Peers exchange snapshots as JSON, so every part of a snapshot must survive the round trip. */
class NodeSnapshotJsonTest {

    private final ObjectMapper json = Fixtures.json();

    @Test
    void stoppedPositionSurvivesRoundTrip() throws Exception {
        NodeSnapshot snapshot = Fixtures.stopped("n2", STATE_UUID, 110, StoppedPosition.FROM_RECOVERY);
        PeerReport report = new PeerReport(snapshot, 3, "WAIT");

        PeerReport back = json.readValue(json.writeValueAsString(report), PeerReport.class);

        assertEquals(report, back);
    }

    @Test
    void unknownStoppedPositionSurvivesRoundTrip() throws Exception {
        NodeSnapshot snapshot = Fixtures.stoppedUnknown("n3", "position recovery failed: timed out after 3 s", 77);

        NodeSnapshot back = json.readValue(json.writeValueAsString(snapshot), NodeSnapshot.class);

        assertEquals(snapshot, back);
    }
}
