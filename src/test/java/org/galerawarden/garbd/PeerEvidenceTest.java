package org.galerawarden.garbd;

import static org.galerawarden.testing.Fixtures.NOW;
import static org.galerawarden.testing.Fixtures.STATE_UUID;
import static org.galerawarden.testing.Fixtures.data;
import static org.galerawarden.testing.Fixtures.down;
import static org.galerawarden.testing.Fixtures.nonPrimary;
import static org.galerawarden.testing.Fixtures.peers;
import static org.galerawarden.testing.Fixtures.primary;
import static org.galerawarden.testing.Fixtures.reachable;
import static org.galerawarden.testing.Fixtures.unreachable;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.galerawarden.config.Settings;
import org.galerawarden.model.PeerView;
import org.galerawarden.testing.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The data peers' reports about a non-data member, as the arbitrator of data nodes n1 and n2 receives them. */
class PeerEvidenceTest {

    private static final Settings SETTINGS = Fixtures.twoDataAndArbitrator("arb", Path.of("/nonexistent"));

    static Stream<Arguments> reports() {
        return Stream.of(
                Arguments.of("both Primary with size 3",
                        peers(reachable(data("n1", primary(STATE_UUID, 100, 3)), 1, NOW),
                                reachable(data("n2", primary(STATE_UUID, 100, 3)), 1, NOW)),
                        true, "n1 is Primary with wsrep_cluster_size 3, more than the 2 data nodes that can be in its"
                                + " component"),
                Arguments.of("both Primary with size 2",
                        peers(reachable(data("n1", primary(STATE_UUID, 100, 2)), 1, NOW),
                                reachable(data("n2", primary(STATE_UUID, 100, 2)), 1, NOW)),
                        false, "n1 is Primary with wsrep_cluster_size 2, which the 2 Primary data nodes account for"),
                Arguments.of("survivor with size 2 beside a stopped node",
                        peers(reachable(data("n1", primary(STATE_UUID, 100, 2)), 1, NOW),
                                reachable(data("n2", down()), 1, NOW)),
                        true, "n1 is Primary with wsrep_cluster_size 2, more than the 1 data nodes that can be in its"
                                + " component"),
                Arguments.of("survivor alone beside a stopped node",
                        peers(reachable(data("n1", primary(STATE_UUID, 100, 1)), 1, NOW),
                                reachable(data("n2", down()), 1, NOW)),
                        false, "n1 is Primary with wsrep_cluster_size 1, which the 1 Primary data nodes account for"),
                Arguments.of("other agent unreachable",
                        peers(reachable(data("n1", primary(STATE_UUID, 100, 2)), 1, NOW),
                                unreachable(data("n2", primary(STATE_UUID, 100, 2)), 1, NOW, Optional.of(NOW))),
                        null, "n1 is Primary with wsrep_cluster_size 2; 1 of 2 possible data nodes report Primary, so"
                                + " the reports cannot tell"),
                Arguments.of("no Primary anywhere",
                        peers(reachable(data("n1", nonPrimary(STATE_UUID, 100, 1)), 1, NOW),
                                reachable(data("n2", down()), 1, NOW)),
                        null, "no reachable data node reports a Primary component"),
                Arguments.of("no report yet", Map.<String, PeerView>of(), null,
                        "no reachable data node reports a Primary component"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reports")
    void evaluateReadsReports(String name, Map<String, PeerView> views, Boolean extraMember, String detail) {
        PeerEvidence evidence = PeerEvidence.evaluate(SETTINGS, views);

        assertEquals(extraMember, evidence.extraMember(), "extra member");
        assertEquals(detail, evidence.detail(), "detail");
    }
}
