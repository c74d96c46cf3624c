package org.galerawarden.garbd;

import static org.galerawarden.testing.Fixtures.STATE_UUID;
import static org.galerawarden.testing.Fixtures.nonPrimary;
import static org.galerawarden.testing.Fixtures.primary;
import static org.galerawarden.testing.Fixtures.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.galerawarden.config.PeerSettings;
import org.galerawarden.config.Settings;
import org.galerawarden.model.Role;
import org.galerawarden.model.ServerStatus;
import org.galerawarden.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EvenClusterWarningTest {

    private static final Path DIR = Path.of("/nonexistent");

    /** Settings of {@code self} among data nodes n1, n2 and an arbitrator that runs no garbd. */
    private static Settings withoutGarbd(String self) {
        Settings base = Fixtures.twoDataAndArbitrator(self, DIR);
        TreeMap<String, PeerSettings> peers = new TreeMap<>(base.peers());
        peers.put("arb", new PeerSettings("arb", URI.create("http://127.0.0.1:9203"), Role.ARBITRATOR, false));
        return new Settings(base.nodeName(), base.role(), base.mode(), peers, base.stateDir(), base.secretFile(),
                base.pollInterval(), base.db(), base.health(), base.recovery(), base.commands());
    }

    /** One probe: seconds since the start and the server's state. */
    record Probe(long atSeconds, ServerStatus server) {
    }

    static Stream<Arguments> probes() {
        ServerStatus two = primary(STATE_UUID, 100, 2);
        ServerStatus three = primary(STATE_UUID, 100, 3);
        ServerStatus four = primary(STATE_UUID, 100, 4);
        return Stream.of(
                Arguments.of("first even probe warns, repeats wait 10 minutes",
                        List.of(new Probe(0, two), new Probe(1, two), new Probe(599, two), new Probe(600, two)),
                        List.of(true, false, false, true)),
                Arguments.of("odd size never warns", List.of(new Probe(0, three), new Probe(700, three)),
                        List.of(false, false)),
                Arguments.of("non-Primary never warns", List.of(new Probe(0, nonPrimary(STATE_UUID, 100, 2))),
                        List.of(false)),
                Arguments.of("changed size warns at once", List.of(new Probe(0, two), new Probe(5, four)),
                        List.of(true, true)),
                Arguments.of("return after a good spell warns at once",
                        List.of(new Probe(0, two), new Probe(5, three), new Probe(6, two)),
                        List.of(true, false, true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("probes")
    void checkWarnsWhenDue(String name, List<Probe> probes, List<Boolean> expected) {
        EvenClusterWarning warning = new EvenClusterWarning(withoutGarbd("n1"), Duration.ofMinutes(10));
        List<Boolean> warned = new ArrayList<>();
        for (Probe probe : probes) {
            warned.add(warning.check(probe.server(), seconds(1_000 + probe.atSeconds())).isPresent());
        }

        assertEquals(expected, warned);
    }

    @Test
    void configuredGarbdSilencesWarning() {
        EvenClusterWarning warning = new EvenClusterWarning(Fixtures.twoDataAndArbitrator("n1", DIR),
                Duration.ofMinutes(10));

        assertTrue(warning.check(primary(STATE_UUID, 100, 2), seconds(1_000)).isEmpty());
    }

    @Test
    void arbitratorNeverWarns() {
        EvenClusterWarning warning = new EvenClusterWarning(withoutGarbd("arb"), Duration.ofMinutes(10));

        assertTrue(warning.check(primary(STATE_UUID, 100, 2), seconds(1_000)).isEmpty());
    }

    @Test
    void messageNamesRiskAndFix() {
        EvenClusterWarning warning = new EvenClusterWarning(withoutGarbd("n1"), Duration.ofMinutes(10));

        String message = warning.check(primary(STATE_UUID, 100, 2), seconds(1_000)).orElseThrow();

        assertEquals("the Primary component has an even number of members (wsrep_cluster_size 2) and no voter runs"
                + " garbd: losing one member costs quorum and stops writes until a recovery. Run garbd on the"
                + " arbitrator host (warden.garbd.enabled=true there) and set warden.peers.NAME.garbd=true for that"
                + " host on every agent", message);
    }
}
