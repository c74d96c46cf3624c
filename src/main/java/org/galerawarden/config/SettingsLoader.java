package org.galerawarden.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.galerawarden.model.Role;
import org.galerawarden.peer.auth.InvalidSecretException;
import org.galerawarden.peer.auth.SecretFile;

/**
 * Validates the raw {@code warden.*} properties into {@link Settings}. Every problem names the property
 * and the fix, and all problems are reported together so an operator fixes them in one pass.
 */
public final class SettingsLoader {

    private final List<String> problems = new ArrayList<>();

    private SettingsLoader() {
    }

    /**
     * Builds settings from the raw configuration, checking the files it names.
     *
     * @throws InvalidConfigException listing every problem found
     */
    public static Settings load(WardenConfig config) {
        return new SettingsLoader().build(config);
    }

    private Settings build(WardenConfig config) {
        String nodeName = config.nodeName().map(String::trim).orElse("");
        if (nodeName.isEmpty()) {
            problems.add("warden.node-name is missing; set it to this host's name as listed in warden.peers");
        }
        Role role = parseRole("warden.role", config.role());
        Mode mode = parseEnum("warden.mode", config.mode(), Mode.class, "act or observe");
        TreeMap<String, PeerSettings> peers = parsePeers(config.peers(), nodeName, role);
        Path stateDir = checkStateDir(config.stateDir());
        Path secretFile = Path.of(config.secretFile());
        checkSecret(secretFile);
        Duration poll = config.pollInterval();
        if (poll.compareTo(Duration.ofSeconds(1)) < 0) {
            problems.add("warden.poll-interval " + poll.toMillis() + " ms is shorter than 1 s, which the Quarkus"
                    + " scheduler does not support; set it to 1s or more");
        }
        DbSettings db = parseDb(config.db(), role);
        HealthSettings health = new HealthSettings(config.health().allowDonor(), config.health().allowReadOnly(),
                config.health().maintenanceFile().map(Path::of).orElse(stateDir.resolve("maintenance")));
        RecoverySettings recovery = parseRecovery(config.recovery(), poll);
        CommandSettings commands = parseCommands(config.commands());
        GarbdSettings garbd = parseGarbd(config.garbd(), role, peers, stateDir);
        ColdStartSettings coldStart = parseColdStart(config, role);
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        return new Settings(nodeName, role, mode, peers, stateDir, secretFile, poll, db, health, recovery, commands,
                garbd, coldStart);
    }

    private TreeMap<String, PeerSettings> parsePeers(Map<String, WardenConfig.Peer> raw, String nodeName, Role role) {
        TreeMap<String, PeerSettings> peers = new TreeMap<>();
        if (raw.isEmpty()) {
            problems.add("warden.peers is empty; list every voter, this node included, as warden.peers.NAME.url"
                    + " and warden.peers.NAME.role");
            return peers;
        }
        for (Map.Entry<String, WardenConfig.Peer> entry : raw.entrySet()) {
            String name = entry.getKey();
            String prefix = "warden.peers." + name;
            Role peerRole = parseRole(prefix + ".role", entry.getValue().role());
            URI url = parseUrl(prefix + ".url", entry.getValue().url());
            if (peerRole != null && url != null) {
                peers.put(name, new PeerSettings(name, url, peerRole, entry.getValue().garbd()));
            }
        }
        java.util.Map<URI, String> seen = new java.util.HashMap<>();
        for (PeerSettings peer : peers.values()) {
            String other = seen.putIfAbsent(peer.url(), peer.name());
            if (other != null) {
                problems.add("warden.peers." + other + ".url and warden.peers." + peer.name() + ".url are both "
                        + peer.url() + "; every voter needs its own agent, or one agent's vote would count twice");
            }
        }
        if (!nodeName.isEmpty() && !raw.containsKey(nodeName)) {
            problems.add("warden.peers has no entry for this node '" + nodeName + "' (found: "
                    + String.join(", ", new TreeMap<>(raw).keySet()) + "); add warden.peers." + nodeName
                    + ".url and warden.peers." + nodeName + ".role, or fix warden.node-name");
        }
        PeerSettings self = peers.get(nodeName);
        if (self != null && role != null && self.role() != role) {
            problems.add("warden.peers." + nodeName + ".role is " + lower(self.role()) + " but warden.role is "
                    + lower(role) + "; make them the same");
        }
        return peers;
    }

    private URI parseUrl(String property, Optional<String> value) {
        if (value.isEmpty() || value.get().isBlank()) {
            problems.add(property + " is missing; set it to that agent's base URL, such as http://10.0.0.11:9200");
            return null;
        }
        try {
            URI url = new URI(value.get().trim());
            if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
                problems.add(property + " '" + value.get() + "' is not an http or https URL with a host;"
                        + " use a form such as http://10.0.0.11:9200");
                return null;
            }
            return url;
        } catch (URISyntaxException e) {
            problems.add(property + " '" + value.get() + "' is not a valid URL (" + e.getReason()
                    + "); use a form such as http://10.0.0.11:9200");
            return null;
        }
    }

    private Role parseRole(String property, String value) {
        return parseEnum(property, value, Role.class, "data or arbitrator");
    }

    private <E extends Enum<E>> E parseEnum(String property, String value, Class<E> type, String choices) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add(property + " '" + value + "' is unknown; use " + choices);
            return null;
        }
    }

    private Path checkStateDir(String value) {
        Path dir = Path.of(value);
        try {
            Files.createDirectories(dir);
            if (!Files.isWritable(dir)) {
                problems.add("warden.state-dir " + dir + " is not writable by this user; give the agent's user"
                        + " ownership of it");
            }
        } catch (java.io.IOException e) {
            problems.add("warden.state-dir " + dir + " cannot be created (" + e + "); create it and give the"
                    + " agent's user ownership of it");
        }
        return dir;
    }

    private void checkSecret(Path secretFile) {
        try {
            SecretFile.load(secretFile);
        } catch (InvalidSecretException e) {
            problems.add("warden.secret-file: " + e.getMessage());
        }
    }

    private DbSettings parseDb(WardenConfig.Db raw, Role role) {
        Path datadir = Path.of(raw.datadir());
        if (role == Role.DATA && !Files.isDirectory(datadir)) {
            problems.add("warden.db.datadir " + datadir + " does not exist or is not a directory; set it to the"
                    + " server's datadir (SELECT @@datadir)");
        }
        Optional<Path> passwordFile = raw.passwordFile().filter(s -> !s.isBlank()).map(Path::of);
        passwordFile.filter(file -> !Files.isReadable(file)).ifPresent(file -> problems.add(
                "warden.db.password-file " + file + " is missing or not readable; create it or unset the property"
                        + " to use unix_socket authentication"));
        if (raw.port() < 1 || raw.port() > 65535) {
            problems.add("warden.db.port " + raw.port() + " is out of range; use 1 to 65535");
        }
        return new DbSettings(raw.socket().filter(s -> !s.isBlank()).map(Path::of), raw.host(), raw.port(),
                raw.user(), passwordFile, positive("warden.db.connect-timeout", raw.connectTimeout()),
                positive("warden.db.query-timeout", raw.queryTimeout()), datadir);
    }

    private RecoverySettings parseRecovery(WardenConfig.Recovery raw, Duration poll) {
        Duration lease = positive("warden.recovery.lease-duration", raw.leaseDuration());
        if (poll != null && lease != null && lease.compareTo(poll.multipliedBy(3)) < 0) {
            problems.add("warden.recovery.lease-duration " + lease.toMillis() + " ms is shorter than three poll"
                    + " intervals (" + poll.multipliedBy(3).toMillis() + " ms); a lease could not be renewed in time,"
                    + " so raise it or lower warden.poll-interval");
        }
        Duration peerTimeout = raw.peerTimeout();
        if (lease != null && peerTimeout.plusMillis(500).compareTo(lease.dividedBy(3)) >= 0) {
            problems.add("warden.recovery.peer-timeout " + peerTimeout.toMillis() + " ms plus 500 ms is not shorter"
                    + " than a third of warden.recovery.lease-duration (" + lease.dividedBy(3).toMillis() + " ms),"
                    + " the renewal interval; a renewal round could outlast it, so lower the timeout or raise the lease");
        }
        return new RecoverySettings(notNegative("warden.recovery.grace-period", raw.gracePeriod()), lease,
                notNegative("warden.recovery.clock-margin", raw.clockMargin()),
                positive("warden.recovery.peer-timeout", raw.peerTimeout()),
                positive("warden.recovery.unknown-position-timeout", raw.unknownPositionTimeout()),
                raw.allowPartial(), parseEnum("warden.recovery.fence", raw.fence(), FenceMethod.class, "stop or reject"),
                parseEnum("warden.recovery.bootstrap-method", raw.bootstrapMethod(), BootstrapMethod.class,
                        "auto or restart"),
                notNegative("warden.recovery.intent-delay", raw.intentDelay()));
    }

    private CommandSettings parseCommands(WardenConfig.Commands raw) {
        return new CommandSettings(split("warden.commands.start", raw.start()), split("warden.commands.stop", raw.stop()),
                split("warden.commands.new-cluster", raw.newCluster()),
                positive("warden.commands.timeout", raw.timeout()));
    }

    private ColdStartSettings parseColdStart(WardenConfig config, Role role) {
        WardenConfig.ColdStart raw = config.coldStart();
        List<String> recover = split("warden.commands.recover", config.commands().recover());
        if (raw.enabled() && role == Role.ARBITRATOR) {
            problems.add("warden.cold-start.enabled is true but warden.role is arbitrator; only a data node starts a"
                    + " MariaDB server, so set it on the data nodes");
        }
        if (raw.enabled() && recover.stream().noneMatch(word -> word.contains(ColdStartSettings.LOG_PLACEHOLDER))) {
            problems.add("warden.commands.recover '" + config.commands().recover() + "' does not contain "
                    + ColdStartSettings.LOG_PLACEHOLDER + "; the agent reads the recovered position from that log,"
                    + " so pass it, for example as --log-error=" + ColdStartSettings.LOG_PLACEHOLDER);
        }
        String pidFile = config.db().pidFile().strip();
        if (pidFile.isEmpty() || !Path.of(pidFile).isAbsolute()) {
            problems.add("warden.db.pid-file '" + config.db().pidFile() + "' is not an absolute path; set it to the"
                    + " server's pid-file, such as /run/mysqld/mysqld.pid");
            pidFile = "/run/mysqld/mysqld.pid";
        }
        return new ColdStartSettings(raw.enabled(), Path.of(pidFile), recover,
                positive("warden.cold-start.recover-timeout", raw.recoverTimeout()),
                positive("warden.cold-start.recover-retry", raw.recoverRetry()),
                positive("warden.cold-start.pc-recovery-grace", raw.pcRecoveryGrace()));
    }

    /**
     * Validates the garbd settings. Only their form is checked here, and only when garbd is enabled:
     * name resolution, ports, the working directory and the listen port are checked before each start.
     */
    private GarbdSettings parseGarbd(WardenConfig.Garbd raw, Role role, Map<String, PeerSettings> peers,
            Path stateDir) {
        Path workdir = raw.workingDirectory().filter(s -> !s.isBlank()).map(Path::of)
                .orElse(stateDir.resolve("garbd"));
        String options = raw.options().map(String::strip).orElse("");
        String address = raw.address().map(String::strip).filter(s -> !s.isEmpty())
                .orElseGet(() -> derivedGarbdAddress(peers));
        GarbdSettings garbd = new GarbdSettings(raw.enabled(), Path.of(raw.binary().strip()), raw.group().strip(),
                address, raw.listenAddress().strip(), options, workdir, raw.backoffInitial(), raw.backoffMax());
        if (!raw.enabled()) {
            return garbd;
        }
        if (role == Role.DATA) {
            problems.add("warden.garbd.enabled is true but warden.role is data; garbd runs on the arbitrator host,"
                    + " so set warden.garbd.enabled=false on data nodes");
        }
        if (raw.binary().isBlank()) {
            problems.add("warden.garbd.binary is empty; set it to the garbd executable, such as /usr/bin/garbd");
        }
        if (garbd.group().isEmpty() || garbd.group().matches(".*\\s.*")) {
            problems.add("warden.garbd.group '" + raw.group() + "' is empty or contains white space; set it to the"
                    + " cluster's wsrep_cluster_name (SELECT @@wsrep_cluster_name)");
        }
        checkGarbdAddress(raw, address);
        try {
            GaleraAddress.parseListen(garbd.listenAddress());
        } catch (IllegalArgumentException e) {
            problems.add("warden.garbd.listen-address '" + raw.listenAddress() + "' is invalid: " + e.getMessage()
                    + "; use a form such as tcp://0.0.0.0:4567");
        }
        if (options.contains("gmcast.listen_addr")) {
            problems.add("warden.garbd.options sets gmcast.listen_addr, which the agent sets from"
                    + " warden.garbd.listen-address; remove it from warden.garbd.options");
        }
        Duration initial = positive("warden.garbd.backoff-initial", raw.backoffInitial());
        Duration max = positive("warden.garbd.backoff-max", raw.backoffMax());
        if (max.compareTo(initial) < 0) {
            problems.add("warden.garbd.backoff-max " + max.toMillis() + " ms is shorter than"
                    + " warden.garbd.backoff-initial " + initial.toMillis() + " ms; raise it or lower the initial"
                    + " backoff");
        }
        return garbd;
    }

    private void checkGarbdAddress(WardenConfig.Garbd raw, String address) {
        if (address.isEmpty()) {
            problems.add("warden.garbd.address is not set and warden.peers lists no data node to derive it from;"
                    + " set it to the data nodes' Galera addresses, such as gcomm://10.0.0.11:4567,10.0.0.12:4567");
            return;
        }
        try {
            GaleraAddress.parseCluster(address);
        } catch (IllegalArgumentException e) {
            String source = raw.address().isPresent() ? "warden.garbd.address '" + address + "'"
                    : "the garbd address derived from warden.peers, '" + address + "',";
            problems.add(source + " is invalid: " + e.getMessage() + "; set warden.garbd.address to a form such as"
                    + " gcomm://10.0.0.11:4567,10.0.0.12:4567");
        }
    }

    /** Returns {@code gcomm://} with the host of every data peer's URL and Galera's default port. */
    private static String derivedGarbdAddress(Map<String, PeerSettings> peers) {
        List<String> hosts = peers.values().stream().filter(peer -> peer.role() == Role.DATA)
                .map(peer -> peer.url().getHost()).distinct().toList();
        return hosts.isEmpty() ? "" : GaleraAddress.clusterOf(hosts);
    }

    private List<String> split(String property, String command) {
        List<String> words = Arrays.stream(command.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
        if (words.isEmpty()) {
            problems.add(property + " is empty; set the command and its arguments, separated by spaces");
        }
        return words;
    }

    private Duration positive(String property, Duration value) {
        if (value.isNegative() || value.isZero()) {
            problems.add(property + " " + value + " must be longer than zero");
        }
        return value;
    }

    private Duration notNegative(String property, Duration value) {
        if (value.isNegative()) {
            problems.add(property + " " + value + " must not be negative");
        }
        return value;
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
