package org.galerawarden.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code warden.garbd.*} properties: defaults, the address derived from the data peers, and every
 * rejected value with the property and fix its problem names. The base configuration is the arbitrator
 * "arb" of data nodes n1 and n2, with garbd enabled.
 */
class GarbdSettingsLoaderTest {

    @TempDir
    Path dir;

    private Map<String, String> props;

    /** One broken garbd setting, the text its problem starts with, and the fix the problem gives. */
    record Broken(String name, Map<String, String> changes, String problem, String fix) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeEach
    void writeBaseConfig() throws IOException {
        Path secret = dir.resolve("secret");
        Files.writeString(secret, "0123456789abcdef0123456789abcdef\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        props = new HashMap<>();
        props.put("warden.node-name", "arb");
        props.put("warden.role", "arbitrator");
        props.put("warden.state-dir", dir.resolve("state").toString());
        props.put("warden.secret-file", secret.toString());
        props.put("warden.peers.n1.url", "http://10.0.0.11:9200");
        props.put("warden.peers.n2.url", "http://db2.example.internal:9200");
        props.put("warden.peers.arb.url", "http://10.0.0.10:9200");
        props.put("warden.peers.arb.role", "arbitrator");
        props.put("warden.peers.arb.garbd", "true");
        props.put("warden.garbd.enabled", "true");
    }

    private static WardenConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withConverter(Duration.class, 100, new DurationConverter())
                .withMapping(WardenConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build()
                .getConfigMapping(WardenConfig.class);
    }

    @Test
    void defaultsAndDerivedAddress() {
        GarbdSettings garbd = SettingsLoader.load(config(props)).garbd();

        assertTrue(garbd.enabled());
        assertEquals(Path.of("/usr/bin/garbd"), garbd.binary());
        assertEquals("my_wsrep_cluster", garbd.group());
        assertEquals("gcomm://10.0.0.11:4567,db2.example.internal:4567", garbd.address());
        assertEquals("tcp://0.0.0.0:4567", garbd.listenAddress());
        assertEquals("", garbd.options());
        assertEquals(dir.resolve("state").resolve("garbd"), garbd.workingDirectory());
        assertEquals(Duration.ofSeconds(1), garbd.backoffInitial());
        assertEquals(Duration.ofSeconds(30), garbd.backoffMax());
        assertEquals("gmcast.listen_addr=tcp://0.0.0.0:4567", garbd.providerOptions());
    }

    @Test
    void explicitValuesKept() {
        props.put("warden.garbd.binary", "/opt/galera/bin/garbd");
        props.put("warden.garbd.group", "gwlab");
        props.put("warden.garbd.address", "gcomm://198.18.0.11,198.18.0.12:4568");
        props.put("warden.garbd.listen-address", "tcp://198.18.0.10:4567");
        props.put("warden.garbd.options", "evs.suspect_timeout=PT2S; gcs.fc_limit=64");
        props.put("warden.garbd.working-directory", dir.resolve("arbitrator").toString());
        props.put("warden.garbd.backoff-initial", "500ms");
        props.put("warden.garbd.backoff-max", "10s");

        GarbdSettings garbd = SettingsLoader.load(config(props)).garbd();

        assertEquals(Path.of("/opt/galera/bin/garbd"), garbd.binary());
        assertEquals("gwlab", garbd.group());
        assertEquals("gcomm://198.18.0.11,198.18.0.12:4568", garbd.address());
        assertEquals("gmcast.listen_addr=tcp://198.18.0.10:4567;evs.suspect_timeout=PT2S; gcs.fc_limit=64",
                garbd.providerOptions());
        assertEquals(dir.resolve("arbitrator"), garbd.workingDirectory());
        assertEquals(Duration.ofMillis(500), garbd.backoffInitial());
        assertEquals(Duration.ofSeconds(10), garbd.backoffMax());
    }

    @Test
    void disabledByDefault() {
        props.remove("warden.garbd.enabled");

        GarbdSettings garbd = SettingsLoader.load(config(props)).garbd();

        assertFalse(garbd.enabled());
    }

    @Test
    void disabledSettingsNotValidated() {
        props.remove("warden.garbd.enabled");
        props.put("warden.garbd.address", "10.0.0.11");
        props.put("warden.garbd.listen-address", "0.0.0.0:4567");

        GarbdSettings garbd = SettingsLoader.load(config(props)).garbd();

        assertFalse(garbd.enabled());
    }

    static Stream<Broken> brokenSettings() {
        return Stream.of(
                new Broken("enabled on a data node", Map.of("warden.node-name", "n1", "warden.role", "data"),
                        "warden.garbd.enabled is true but warden.role is data",
                        "set warden.garbd.enabled=false on data nodes"),
                new Broken("empty binary", Map.of("warden.garbd.binary", " "), "warden.garbd.binary is empty",
                        "such as /usr/bin/garbd"),
                new Broken("group with space", Map.of("warden.garbd.group", "my cluster"),
                        "warden.garbd.group 'my cluster' is empty or contains white space",
                        "SELECT @@wsrep_cluster_name"),
                new Broken("address without scheme", Map.of("warden.garbd.address", "10.0.0.11:4567"),
                        "warden.garbd.address '10.0.0.11:4567' is invalid: it does not start with gcomm://",
                        "gcomm://10.0.0.11:4567,10.0.0.12:4567"),
                new Broken("empty gcomm address", Map.of("warden.garbd.address", "gcomm://"),
                        "warden.garbd.address 'gcomm://' is invalid: it lists no member, and an empty gcomm://"
                                + " starts a new cluster",
                        "gcomm://10.0.0.11:4567,10.0.0.12:4567"),
                new Broken("address with letters as port", Map.of("warden.garbd.address", "gcomm://10.0.0.11:galera"),
                        "warden.garbd.address 'gcomm://10.0.0.11:galera' is invalid: '10.0.0.11:galera' has port"
                                + " 'galera', which is not a number",
                        "gcomm://10.0.0.11:4567,10.0.0.12:4567"),
                new Broken("listen address without scheme", Map.of("warden.garbd.listen-address", "0.0.0.0:4567"),
                        "warden.garbd.listen-address '0.0.0.0:4567' is invalid: it does not start with tcp://",
                        "tcp://0.0.0.0:4567"),
                new Broken("listen address without port", Map.of("warden.garbd.listen-address", "tcp://0.0.0.0"),
                        "warden.garbd.listen-address 'tcp://0.0.0.0' is invalid: '0.0.0.0' has no port",
                        "tcp://0.0.0.0:4567"),
                new Broken("listen address in options",
                        Map.of("warden.garbd.options", "gmcast.listen_addr=tcp://0.0.0.0:4568"),
                        "warden.garbd.options sets gmcast.listen_addr", "remove it from warden.garbd.options"),
                new Broken("zero initial backoff", Map.of("warden.garbd.backoff-initial", "0s"),
                        "warden.garbd.backoff-initial", "must be longer than zero"),
                new Broken("max backoff below initial",
                        Map.of("warden.garbd.backoff-initial", "5s", "warden.garbd.backoff-max", "2s"),
                        "warden.garbd.backoff-max 2000 ms is shorter than warden.garbd.backoff-initial 5000 ms",
                        "raise it or lower the initial backoff"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenSettings")
    void loadRejectsBrokenGarbdSetting(Broken broken) {
        props.putAll(broken.changes());
        if ("data".equals(props.get("warden.role"))) {
            props.put("warden.db.datadir", dir.toString());
        }
        WardenConfig config = config(props);

        List<String> problems = assertThrows(InvalidConfigException.class, () -> SettingsLoader.load(config))
                .problems();

        assertEquals(1, problems.size(), () -> "problems: " + problems);
        assertTrue(problems.get(0).startsWith(broken.problem()), () -> "problem: " + problems.get(0));
        assertTrue(problems.get(0).contains(broken.fix()), () -> "problem: " + problems.get(0));
    }

    @Test
    void noDataPeerToDeriveAddress() {
        props.remove("warden.peers.n1.url");
        props.remove("warden.peers.n2.url");
        WardenConfig config = config(props);

        List<String> problems = assertThrows(InvalidConfigException.class, () -> SettingsLoader.load(config))
                .problems();

        assertEquals(1, problems.size(), () -> "problems: " + problems);
        assertTrue(problems.get(0).startsWith("warden.garbd.address is not set and warden.peers lists no data node"),
                problems.get(0));
    }
}
