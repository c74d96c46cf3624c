package org.galerawarden.health;

import static org.galerawarden.testing.Fixtures.data;
import static org.galerawarden.testing.Fixtures.server;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;

import org.galerawarden.config.HealthSettings;
import org.galerawarden.model.ClusterStatus;
import org.galerawarden.model.LocalState;
import org.galerawarden.model.NodeSnapshot;
import org.galerawarden.model.ServerStatus;
import org.galerawarden.testing.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every row of the health contract, with a poll interval of 1 s. */
class HealthEvaluatorTest {

    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration FRESH = Duration.ofMillis(500);
    private static final Path MAINTENANCE_FILE = Path.of("/var/lib/galera-warden/maintenance");
    private static final HealthSettings STRICT = new HealthSettings(false, false, MAINTENANCE_FILE);
    private static final HealthSettings ALLOW_DONOR = new HealthSettings(true, false, MAINTENANCE_FILE);
    private static final HealthSettings ALLOW_READ_ONLY = new HealthSettings(false, true, MAINTENANCE_FILE);

    /** One row: the cached snapshot, its age, the options, and the expected status and body. */
    record Case(String name, Optional<NodeSnapshot> snapshot, Duration age, HealthSettings options, int status,
            String body) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case row(String name, ServerStatus server, HealthSettings options, int status, String body) {
        return new Case(name, Optional.of(data("n1", server)), FRESH, options, status, body);
    }

    private static Fixtures.ServerBuilder donor() {
        return server().localState(LocalState.DONOR, "Donor/Desynced");
    }

    static Stream<Case> cases() {
        ServerStatus healthy = server().build();
        return Stream.of(
                new Case("no snapshot yet", Optional.empty(), Duration.ZERO, STRICT, 503,
                        "starting: no probe has completed yet"),
                new Case("stale snapshot", Optional.of(data("n1", healthy)), POLL.multipliedBy(3).plusMillis(1), STRICT,
                        503, "unknown: the last probe is 3001 ms old, older than 3000 ms"),
                new Case("arbitrator serves nothing", Optional.of(Fixtures.arbitrator(Fixtures.ARBITRATOR)), FRESH,
                        STRICT, 503, "arbitrator: this host serves no database"),
                new Case("maintenance drains node", Optional.of(Fixtures.inMaintenance(data("n1", healthy))), FRESH,
                        STRICT, 503, "maintenance: drained on purpose by " + MAINTENANCE_FILE),
                row("server down", Fixtures.down(), STRICT, 503,
                        "down: the server does not answer (connection refused)"),
                row("non-Primary server", Fixtures.nonPrimary(Fixtures.STATE_UUID, 100, 1), STRICT, 503,
                        "Initialized non-Primary: not in the Primary component"),
                row("disconnected server", server().clusterStatus(ClusterStatus.DISCONNECTED).build(), STRICT, 503,
                        "not in the Primary component"),
                row("wsrep_ready OFF", server().ready(false).build(), STRICT, 503,
                        "Synced Primary: wsrep_ready is OFF"),
                row("reject_queries ALL", server().rejectQueries("ALL").build(), STRICT, 503,
                        "wsrep_reject_queries is ALL"),
                row("reject_queries ALL_KILL", server().rejectQueries("ALL_KILL").build(), STRICT, 503,
                        "wsrep_reject_queries is ALL_KILL"),
                row("reject_queries lower-case none", server().rejectQueries("none").build(), STRICT, 200,
                        "Synced Primary: serving"),
                row("Donor not allowed", donor().build(), STRICT, 503, "Donor/Desynced: serving a state transfer"),
                row("Donor allowed", donor().build(), ALLOW_DONOR, 200,
                        "Donor/Desynced Primary: serving, Donor allowed"),
                row("allowed Donor rejecting queries", donor().donorRejectsQueries(true).build(), ALLOW_DONOR, 503,
                        "Donor/Desynced: serving a state transfer"),
                row("allowed Donor read-only", donor().readOnly(true).build(), ALLOW_DONOR, 503, "read_only is ON"),
                row("Joiner", server().localState(LocalState.JOINING, "Joining: receiving State Transfer").build(),
                        STRICT, 503, "Joining: receiving State Transfer Primary: not Synced"),
                row("Joined not yet Synced", server().localState(LocalState.JOINED, "Joined").build(), STRICT, 503,
                        "Joined Primary: not Synced"),
                row("desync ON", server().desync(true).build(), STRICT, 503, "Synced Primary: wsrep_desync is ON"),
                row("read_only not allowed", server().readOnly(true).build(), STRICT, 503,
                        "Synced Primary: read_only is ON"),
                row("read_only allowed", server().readOnly(true).build(), ALLOW_READ_ONLY, 200,
                        "Synced Primary: serving, read-only allowed"),
                row("healthy Synced Primary", healthy, STRICT, 200, "Synced Primary: serving"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void evaluateHealthTable(Case row) {
        HealthVerdict verdict = HealthEvaluator.evaluate(row.snapshot(), row.age(), POLL, row.options());

        assertEquals(row.status(), verdict.status(), verdict.body());
        assertTrue(verdict.body().contains(row.body()), () -> "body was: " + verdict.body());
    }
}
