package org.galerawarden.testing;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import org.galerawarden.config.BootstrapMethod;
import org.galerawarden.config.ColdStartSettings;
import org.galerawarden.config.CommandSettings;
import org.galerawarden.config.DbSettings;
import org.galerawarden.config.FenceMethod;
import org.galerawarden.config.HealthSettings;
import org.galerawarden.config.Mode;
import org.galerawarden.config.PeerSettings;
import org.galerawarden.config.RecoverySettings;
import org.galerawarden.config.Settings;
import org.galerawarden.model.ClusterStatus;
import org.galerawarden.model.FileStatus;
import org.galerawarden.model.GrastateFile;
import org.galerawarden.model.GvwstateFile;
import org.galerawarden.model.LocalState;
import org.galerawarden.model.NodeSnapshot;
import org.galerawarden.model.PeerReport;
import org.galerawarden.model.PeerView;
import org.galerawarden.model.Position;
import org.galerawarden.model.Role;
import org.galerawarden.model.ServerStatus;
import org.galerawarden.model.StoppedPosition;

/**
 * Builders for settings, server states, snapshots and peer views in unit tests. Recovery timing follows
 * the {@code WardenConfig} defaults: grace 5 s, lease 10 s, clock margin 2 s (a voter lease window of
 * 12 s), unknown-position timeout 60 s, allow-partial off.
 */
public final class Fixtures {

    /** The state UUID of the cluster's history in most tests. */
    public static final String STATE_UUID = "5ee99582-bb8d-11e2-b8e3-23de375c1d30";

    /** A state UUID of an unrelated history. */
    public static final String OTHER_UUID = "9a3f1c6e-4b2d-11ef-8c1a-0242ac120002";

    /** Wall-clock time stamped on every snapshot. */
    public static final Instant TAKEN_AT = Instant.parse("2025-01-01T00:00:00Z");

    /** The monotonic time of "now" in tests, far enough from zero that earlier times stay positive. */
    public static final long NOW = seconds(1_000);

    /** The name of the arbitrator in {@link #twoDataAndArbitrator}. */
    public static final String ARBITRATOR = "arb";

    private Fixtures() {
    }

    public static long seconds(long seconds) {
        return Duration.ofSeconds(seconds).toNanos();
    }

    public static long millis(long millis) {
        return Duration.ofMillis(millis).toNanos();
    }

    /** Returns the default recovery settings, with allow-partial set as given. */
    public static RecoverySettings recovery(boolean allowPartial) {
        return new RecoverySettings(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(2),
                Duration.ofSeconds(2), Duration.ofSeconds(60), allowPartial, FenceMethod.STOP, BootstrapMethod.AUTO,
                Duration.ZERO);
    }

    /** Returns settings of data nodes n1 and n2 plus the arbitrator {@value #ARBITRATOR}, which runs garbd. */
    public static Settings twoDataAndArbitrator(String self, Path stateDir) {
        Map<String, PeerSettings> peers = new LinkedHashMap<>();
        peers.put("n1", peer("n1", 9201, Role.DATA, false));
        peers.put("n2", peer("n2", 9202, Role.DATA, false));
        peers.put(ARBITRATOR, peer(ARBITRATOR, 9203, Role.ARBITRATOR, true));
        return settings(self, peers, stateDir, recovery(false));
    }

    /** Returns settings of data nodes n1, n2 and n3. */
    public static Settings threeData(String self, Path stateDir) {
        Map<String, PeerSettings> peers = new LinkedHashMap<>();
        peers.put("n1", peer("n1", 9201, Role.DATA, false));
        peers.put("n2", peer("n2", 9202, Role.DATA, false));
        peers.put("n3", peer("n3", 9203, Role.DATA, false));
        return settings(self, peers, stateDir, recovery(false));
    }

    /** Returns a copy of {@code settings} with other recovery settings. */
    public static Settings withRecovery(Settings settings, RecoverySettings recovery) {
        return new Settings(settings.nodeName(), settings.role(), settings.mode(), settings.peers(),
                settings.stateDir(), settings.secretFile(), settings.pollInterval(), settings.db(), settings.health(),
                recovery, settings.commands());
    }

    private static PeerSettings peer(String name, int port, Role role, boolean garbd) {
        return new PeerSettings(name, URI.create("http://127.0.0.1:" + port), role, garbd);
    }

    private static Settings settings(String self, Map<String, PeerSettings> peers, Path stateDir,
            RecoverySettings recovery) {
        PeerSettings own = peers.get(self);
        if (own == null) {
            throw new IllegalArgumentException("node " + self + " is not one of " + peers.keySet());
        }
        DbSettings db = new DbSettings(Optional.empty(), "127.0.0.1", 3306, "galera-warden", Optional.empty(),
                Duration.ofSeconds(2), Duration.ofSeconds(2), stateDir.resolve("mysql"));
        HealthSettings health = new HealthSettings(false, false, stateDir.resolve("maintenance"));
        CommandSettings commands = new CommandSettings(List.of("systemctl", "start", "mariadb"),
                List.of("systemctl", "stop", "mariadb"), List.of("galera_new_cluster"), Duration.ofSeconds(120));
        return new Settings(self, own.role(), Mode.ACT, new TreeMap<>(peers), stateDir, stateDir.resolve("secret"),
                Duration.ofSeconds(1), db, health, recovery, commands);
    }

    /** Returns a builder preset to a healthy Synced Primary member of a three-member component. */
    public static ServerBuilder server() {
        return new ServerBuilder();
    }

    /** Returns a Synced Primary server at {@code uuid:seqno} in a component of {@code size} members. */
    public static ServerStatus primary(String uuid, long seqno, int size) {
        return server().position(uuid, seqno).clusterSize(size).build();
    }

    /**
     * Returns a running server that lost its Primary component, as MariaDB reports it after a partition:
     * state Initialized, {@code wsrep_ready=OFF}, and the last committed position still readable.
     */
    public static ServerStatus nonPrimary(String uuid, long seqno, int size) {
        return server().position(uuid, seqno).clusterSize(size).clusterStatus(ClusterStatus.NON_PRIMARY)
                .localState(LocalState.UNKNOWN, "Initialized").ready(false).build();
    }

    /** Returns the status of a server that refused the probe's connection. */
    /** A server that does not answer without being known to be stopped: it may still be Primary. */
    public static ServerStatus hung() {
        return ServerStatus.unreachable("probing timed out");
    }

    public static ServerStatus down() {
        return ServerStatus.stopped("connection refused");
    }

    /** Returns a data node's snapshot with no state files, no last live position and no maintenance. */
    public static NodeSnapshot data(String node, ServerStatus server) {
        return new NodeSnapshot(node, Role.DATA, TAKEN_AT, server, GrastateFile.missing("no grastate.dat"),
                GvwstateFile.missing("no gvwstate.dat"), Optional.empty(), false);
    }

    /** Returns a data node's snapshot whose {@code grastate.dat} contains the position of a clean shutdown. */
    public static NodeSnapshot dataWithSavedPosition(String node, ServerStatus server, String uuid, long seqno) {
        return new NodeSnapshot(node, Role.DATA, TAKEN_AT, server,
                new GrastateFile(FileStatus.VALID, "", uuid, seqno, false), GvwstateFile.missing("no gvwstate.dat"),
                Optional.empty(), false);
    }

    /** Returns a stopped data node whose agent starts its server and has its position from {@code source}. */
    public static NodeSnapshot stopped(String node, String uuid, long seqno, String source) {
        return stoppedWith(node, StoppedPosition.known(true, new Position(uuid, seqno), source, -1));
    }

    /** Returns a stopped data node whose agent starts its server and has not found its position. */
    public static NodeSnapshot stoppedUnknown(String node, String why, long recoveredAtNanos) {
        return stoppedWith(node, new StoppedPosition(true, Optional.empty(), why, recoveredAtNanos));
    }

    private static NodeSnapshot stoppedWith(String node, StoppedPosition position) {
        return new NodeSnapshot(node, Role.DATA, TAKEN_AT, down(), GrastateFile.missing("no grastate.dat"),
                GvwstateFile.missing("no gvwstate.dat"), Optional.empty(), false, position);
    }

    /** Returns a copy of {@code snapshot} with other state files. */
    public static NodeSnapshot withFiles(NodeSnapshot snapshot, GrastateFile grastate, GvwstateFile gvwstate) {
        return new NodeSnapshot(snapshot.node(), snapshot.role(), snapshot.takenAt(), snapshot.server(), grastate,
                gvwstate, snapshot.lastLivePosition(), snapshot.maintenance(), snapshot.stopped());
    }

    /** Returns a copy of {@code settings} in which the agent starts its server, with the default timings. */
    public static Settings coldStart(Settings settings) {
        ColdStartSettings defaults = ColdStartSettings.disabled();
        return settings.withColdStart(new ColdStartSettings(true, defaults.pidFile(), defaults.recoverCommand(),
                defaults.recoverTimeout(), defaults.recoverRetry(), defaults.pcRecoveryGrace()));
    }

    /** Returns an arbitrator's snapshot, which has no server. */
    public static NodeSnapshot arbitrator(String node) {
        return new NodeSnapshot(node, Role.ARBITRATOR, TAKEN_AT, ServerStatus.stopped("arbitrator: no server"),
                GrastateFile.missing("arbitrator"), GvwstateFile.missing("arbitrator"), Optional.empty(), false);
    }

    /** Returns a copy of {@code snapshot} with the maintenance switch on. */
    public static NodeSnapshot inMaintenance(NodeSnapshot snapshot) {
        return new NodeSnapshot(snapshot.node(), snapshot.role(), snapshot.takenAt(), snapshot.server(),
                snapshot.grastate(), snapshot.gvwstate(), snapshot.lastLivePosition(), true, snapshot.stopped());
    }

    /**
     * Returns the view of a peer whose report arrived at {@code nowNanos}. A report of a Primary server
     * also sets the last Primary time to {@code nowNanos}, as the poller does.
     */
    public static PeerView reachable(NodeSnapshot snapshot, long term, long nowNanos) {
        Optional<Long> lastPrimary = snapshot.server().isPrimary() ? Optional.of(nowNanos) : Optional.empty();
        return new PeerView(snapshot.node(), snapshot.role(), true, "",
                Optional.of(new PeerReport(snapshot, term, "STEADY")), nowNanos, lastPrimary);
    }

    /** Returns the view of a peer whose state requests have failed since the report {@code lastSnapshot}. */
    public static PeerView unreachable(NodeSnapshot lastSnapshot, long term, long lastReportNanos,
            Optional<Long> lastPrimaryNanos) {
        return new PeerView(lastSnapshot.node(), lastSnapshot.role(), false, "connection refused",
                Optional.of(new PeerReport(lastSnapshot, term, "STEADY")), lastReportNanos, lastPrimaryNanos);
    }

    /** Returns the views keyed by node name. */
    public static Map<String, PeerView> peers(PeerView... views) {
        Map<String, PeerView> byName = new TreeMap<>();
        for (PeerView view : views) {
            byName.put(view.node(), view);
        }
        return byName;
    }

    /**
     * Returns a mapper configured like the one Quarkus injects: Java time and JDK 8 modules, ISO-8601
     * instants, and unknown properties ignored.
     */
    public static ObjectMapper json() {
        return JsonMapper.builder()
                .findAndAddModules()
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
    }

    /** Mutable builder of {@link ServerStatus}, preset to a healthy Synced Primary at seqno 100. */
    public static final class ServerBuilder {

        private ClusterStatus clusterStatus = ClusterStatus.PRIMARY;
        private LocalState localState = LocalState.SYNCED;
        private String localStateComment = "Synced";
        private boolean ready = true;
        private int clusterSize = 3;
        private String uuid = STATE_UUID;
        private long lastCommitted = 100;
        private boolean readOnly;
        private String rejectQueries = "NONE";
        private boolean desync;
        private boolean donorRejectsQueries;

        private ServerBuilder() {
        }

        public ServerBuilder clusterStatus(ClusterStatus value) {
            clusterStatus = value;
            return this;
        }

        public ServerBuilder localState(LocalState state, String comment) {
            localState = state;
            localStateComment = comment;
            return this;
        }

        public ServerBuilder ready(boolean value) {
            ready = value;
            return this;
        }

        public ServerBuilder clusterSize(int value) {
            clusterSize = value;
            return this;
        }

        public ServerBuilder position(String stateUuid, long seqno) {
            uuid = stateUuid;
            lastCommitted = seqno;
            return this;
        }

        public ServerBuilder readOnly(boolean value) {
            readOnly = value;
            return this;
        }

        public ServerBuilder rejectQueries(String value) {
            rejectQueries = value;
            return this;
        }

        public ServerBuilder desync(boolean value) {
            desync = value;
            return this;
        }

        public ServerBuilder donorRejectsQueries(boolean value) {
            donorRejectsQueries = value;
            return this;
        }

        public ServerStatus build() {
            long confId = clusterStatus == ClusterStatus.PRIMARY ? 7 : -1;
            return new ServerStatus(true, "", clusterStatus, localState, localStateComment, ready, true, clusterSize,
                    confId, uuid, uuid, lastCommitted, readOnly, rejectQueries, desync, donorRejectsQueries, false);
        }
    }
}
