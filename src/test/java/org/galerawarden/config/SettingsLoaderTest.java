package org.galerawarden.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

import org.galerawarden.model.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Builds {@link WardenConfig} from literal properties with SmallRye Config, as Quarkus does at start, and
 * validates it. The base configuration is n1 of data nodes n1, n2 and an arbitrator that runs garbd.
 */
class SettingsLoaderTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef\n";

    @TempDir
    Path dir;

    private Map<String, String> props;

    /** A change that breaks the base configuration, given the test's temporary directory as {@code dir}. */
    interface Edit {
        void apply(Map<String, String> props, Path dir) throws IOException;
    }

    /** One broken configuration, the property its problem names, and the fix the problem gives. */
    record Broken(String name, Edit edit, String property, String fix) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeEach
    void writeBaseConfig() throws IOException {
        Path secret = dir.resolve("secret");
        Files.writeString(secret, SECRET, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Files.createDirectories(dir.resolve("mysql"));
        props = new HashMap<>();
        props.put("warden.node-name", "n1");
        props.put("warden.role", "data");
        props.put("warden.mode", "act");
        props.put("warden.state-dir", dir.resolve("state").toString());
        props.put("warden.secret-file", secret.toString());
        props.put("warden.db.datadir", dir.resolve("mysql").toString());
        props.put("warden.peers.n1.url", "http://10.0.0.11:9200");
        props.put("warden.peers.n1.role", "data");
        props.put("warden.peers.n2.url", "http://10.0.0.12:9200");
        props.put("warden.peers.n2.role", "data");
        props.put("warden.peers.arb.url", "http://10.0.0.13:9200");
        props.put("warden.peers.arb.role", "arbitrator");
        props.put("warden.peers.arb.garbd", "true");
    }

    private static WardenConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withConverter(Duration.class, 100, new DurationConverter())
                .withMapping(WardenConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build()
                .getConfigMapping(WardenConfig.class);
    }

    private static List<String> problems(Map<String, String> properties) {
        WardenConfig config = config(properties);
        return assertThrows(InvalidConfigException.class, () -> SettingsLoader.load(config)).problems();
    }

    static Stream<Broken> brokenConfigs() {
        return Stream.of(
                new Broken("missing node name", (p, d) -> p.remove("warden.node-name"), "warden.node-name",
                        "set it to this host's name as listed in warden.peers"),
                new Broken("blank node name", (p, d) -> p.put("warden.node-name", "  "), "warden.node-name",
                        "set it to this host's name"),
                new Broken("peers without this node", (p, d) -> p.put("warden.node-name", "n9"),
                        "warden.peers has no entry for this node 'n9' (found: arb, n1, n2)",
                        "add warden.peers.n9.url and warden.peers.n9.role, or fix warden.node-name"),
                new Broken("unknown role", (p, d) -> p.put("warden.role", "witness"),
                        "warden.role 'witness' is unknown", "use data or arbitrator"),
                new Broken("unknown peer role", (p, d) -> p.put("warden.peers.n2.role", "replica"),
                        "warden.peers.n2.role 'replica' is unknown", "use data or arbitrator"),
                new Broken("unknown mode", (p, d) -> p.put("warden.mode", "dry-run"),
                        "warden.mode 'dry-run' is unknown", "use act or observe"),
                new Broken("unknown fence method", (p, d) -> p.put("warden.recovery.fence", "reboot"),
                        "warden.recovery.fence 'reboot' is unknown", "use stop or reject"),
                new Broken("peer URL not http", (p, d) -> p.put("warden.peers.n2.url", "ftp://10.0.0.12:9200"),
                        "warden.peers.n2.url 'ftp://10.0.0.12:9200' is not an http or https URL with a host",
                        "use a form such as http://10.0.0.11:9200"),
                new Broken("peer URL without host", (p, d) -> p.put("warden.peers.n2.url", "http:/9200"),
                        "warden.peers.n2.url", "use a form such as http://10.0.0.11:9200"),
                new Broken("peer URL with space", (p, d) -> p.put("warden.peers.n2.url", "http://10.0.0 .12:9200"),
                        "warden.peers.n2.url 'http://10.0.0 .12:9200' is not a valid URL",
                        "use a form such as http://10.0.0.11:9200"),
                new Broken("peer URL missing", (p, d) -> p.remove("warden.peers.n2.url"),
                        "warden.peers.n2.url is missing", "set it to that agent's base URL"),
                new Broken("own role mismatch", (p, d) -> p.put("warden.peers.n1.role", "arbitrator"),
                        "warden.peers.n1.role is arbitrator but warden.role is data", "make them the same"),
                new Broken("secret file missing", (p, d) -> p.put("warden.secret-file", d.resolve("absent").toString()),
                        "warden.secret-file", "openssl rand -hex 32"),
                new Broken("secret readable by others", (p, d) -> Files.setPosixFilePermissions(d.resolve("secret"),
                        PosixFilePermissions.fromString("rw-r--r--")), "warden.secret-file", "run chmod 600 on it"),
                new Broken("datadir missing", (p, d) -> p.put("warden.db.datadir", d.resolve("absent").toString()),
                        "warden.db.datadir", "set it to the server's datadir (SELECT @@datadir)"),
                new Broken("password file missing",
                        (p, d) -> p.put("warden.db.password-file", d.resolve("absent").toString()),
                        "warden.db.password-file", "create it or unset the property"),
                new Broken("peer timeout outlasting a renewal", (p, d) -> p.put("warden.recovery.peer-timeout", "30s"),
                        "warden.recovery.peer-timeout 30000 ms", "lower the timeout or raise the lease"),
                new Broken("two voters with one URL", (p, d) -> p.put("warden.peers.n2.url",
                        p.get("warden.peers.n1.url")), "are both", "one agent's vote would count twice"),
                new Broken("port out of range", (p, d) -> p.put("warden.db.port", "70000"), "warden.db.port 70000",
                        "use 1 to 65535"),
                new Broken("lease shorter than 3 polls", (p, d) -> {
                    p.put("warden.poll-interval", "1s");
                    p.put("warden.recovery.peer-timeout", "200ms");
                    p.put("warden.recovery.lease-duration", "2999ms");
                }, "warden.recovery.lease-duration 2999 ms is shorter than three poll intervals (3000 ms)",
                        "raise it or lower warden.poll-interval"),
                new Broken("zero poll interval", (p, d) -> p.put("warden.poll-interval", "0s"), "warden.poll-interval",
                        "set it to 1s or more"),
                new Broken("sub-second poll interval", (p, d) -> p.put("warden.poll-interval", "500ms"),
                        "warden.poll-interval 500 ms is shorter than 1 s", "set it to 1s or more"),
                new Broken("negative grace period", (p, d) -> p.put("warden.recovery.grace-period", "-1s"),
                        "warden.recovery.grace-period", "must not be negative"),
                new Broken("blank stop command", (p, d) -> p.put("warden.commands.stop", "   "),
                        "warden.commands.stop is empty", "set the command and its arguments, separated by spaces"),
                new Broken("recover command without log", (p, d) -> {
                    p.put("warden.cold-start.enabled", "true");
                    p.put("warden.commands.recover", "/usr/sbin/mariadbd --wsrep-recover");
                }, "warden.commands.recover '/usr/sbin/mariadbd --wsrep-recover' does not contain {log}",
                        "pass it, for example as --log-error={log}"),
                new Broken("relative pid file", (p, d) -> p.put("warden.db.pid-file", "mysqld.pid"),
                        "warden.db.pid-file 'mysqld.pid' is not an absolute path",
                        "set it to the server's pid-file"),
                new Broken("zero recover timeout", (p, d) -> p.put("warden.cold-start.recover-timeout", "0s"),
                        "warden.cold-start.recover-timeout", "must be"),
                new Broken("cold start on the arbitrator", (p, d) -> {
                    p.put("warden.node-name", "arb");
                    p.put("warden.role", "arbitrator");
                    p.put("warden.cold-start.enabled", "true");
                }, "warden.cold-start.enabled is true but warden.role is arbitrator", "set it on the data nodes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenConfigs")
    void loadRejectsBrokenConfig(Broken broken) throws IOException {
        broken.edit().apply(props, dir);

        List<String> problems = problems(props);

        assertEquals(1, problems.size(), () -> "problems: " + problems);
        assertTrue(problems.get(0).contains(broken.property()), () -> "problem: " + problems.get(0));
        assertTrue(problems.get(0).contains(broken.fix()), () -> "problem: " + problems.get(0));
    }

    @Test
    void loadReportsAllProblemsTogether() {
        props.remove("warden.node-name");
        props.put("warden.mode", "dry-run");
        props.put("warden.commands.start", " ");
        WardenConfig config = config(props);

        InvalidConfigException error = assertThrows(InvalidConfigException.class, () -> SettingsLoader.load(config));

        assertEquals(3, error.problems().size(), () -> "problems: " + error.problems());
        assertTrue(error.getMessage().startsWith("invalid configuration, the agent takes no action"),
                error.getMessage());
        assertTrue(error.getMessage().contains("warden.node-name is missing"), error.getMessage());
        assertTrue(error.getMessage().contains("warden.mode 'dry-run' is unknown"), error.getMessage());
        assertTrue(error.getMessage().contains("warden.commands.start is empty"), error.getMessage());
    }

    @Test
    void arbitratorNeedsNoDatadir() {
        props.put("warden.node-name", "arb");
        props.put("warden.role", "arbitrator");
        props.put("warden.db.datadir", dir.resolve("absent").toString());

        Settings settings = SettingsLoader.load(config(props));

        assertEquals(Role.ARBITRATOR, settings.role());
        assertEquals(dir.resolve("absent"), settings.db().datadir());
    }

    @Test
    void loadBuildsValidSettings() {
        props.put("warden.commands.stop", "  systemctl   stop\tmariadb ");
        props.put("warden.recovery.lease-duration", "3s");
        props.put("warden.recovery.peer-timeout", "400ms");

        Settings settings = SettingsLoader.load(config(props));

        assertEquals("n1", settings.nodeName());
        assertEquals(Role.DATA, settings.role());
        assertEquals(Mode.ACT, settings.mode());
        assertEquals(List.of("arb", "n1", "n2"), List.copyOf(settings.peers().keySet()));
        assertEquals(List.of("arb", "n2"), settings.otherPeers().stream().map(PeerSettings::name).toList());
        assertEquals(2, settings.majority());
        assertEquals(3, settings.galeraMembers());
        assertEquals(URI.create("http://10.0.0.12:9200"), settings.peers().get("n2").url());
        assertEquals(dir.resolve("state"), settings.stateDir());
        assertTrue(Files.isDirectory(dir.resolve("state")));
        assertEquals(dir.resolve("state").resolve("maintenance"), settings.health().maintenanceFile());
        assertEquals(List.of("systemctl", "stop", "mariadb"), settings.commands().stop());
        assertEquals(List.of("systemctl", "start", "mariadb"), settings.commands().start());
        assertEquals(List.of("galera_new_cluster"), settings.commands().newCluster());
        assertEquals(Duration.ofSeconds(1), settings.pollInterval());
        assertEquals(Duration.ofSeconds(3), settings.recovery().leaseDuration());
        assertEquals(Duration.ofSeconds(5), settings.recovery().voterLeaseWindow());
        assertEquals(Optional.empty(), settings.db().passwordFile());
    }

    @Test
    void arbitratorWithoutGarbdNotCounted() {
        props.put("warden.peers.arb.garbd", "false");

        Settings settings = SettingsLoader.load(config(props));

        assertEquals(2, settings.galeraMembers());
        assertEquals(2, settings.majority());
    }

    @Test
    void maintenanceFileCanBeSet() {
        props.put("warden.health.maintenance-file", dir.resolve("drain").toString());

        Settings settings = SettingsLoader.load(config(props));

        assertEquals(dir.resolve("drain"), settings.health().maintenanceFile());
    }
}
