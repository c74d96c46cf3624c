package org.galerawarden.probe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.galerawarden.config.Settings;
import org.galerawarden.garbd.GarbdStatus;
import org.galerawarden.model.ClusterStatus;
import org.galerawarden.model.LocalState;
import org.galerawarden.model.GrastateFile;
import org.galerawarden.model.GvwstateFile;
import org.galerawarden.model.NodeSnapshot;
import org.galerawarden.model.Position;
import org.galerawarden.model.Role;
import org.galerawarden.model.ServerStatus;
import org.galerawarden.model.StoppedPosition;

/**
 * Takes one {@link NodeSnapshot} of this host: the SQL probe, both state files and the maintenance
 * switch. It also remembers the last position read while the server answered, which is the best
 * evidence of this node's data after a crash leaves {@code seqno: -1} on disk. Not thread-safe: the
 * loop calls it from one thread at a time.
 */
public class SnapshotCollector {

    private final Settings settings;
    private final SqlProbe probe;
    private final Clock clock;
    private final Supplier<Optional<GarbdStatus>> garbd;
    private final Supplier<Optional<StoppedPosition>> recovered;
    private Optional<Position> lastLivePosition = Optional.empty();

    /**
     * @param probe the SQL probe, null for an arbitrator
     * @param garbd the status of the garbd this agent supervises, empty when it supervises none
     */
    public SnapshotCollector(Settings settings, SqlProbe probe, Clock clock, Supplier<Optional<GarbdStatus>> garbd) {
        this(settings, probe, clock, garbd, Optional::empty);
    }

    /**
     * @param recovered the outcome of the last position recovery since the server stopped
     */
    public SnapshotCollector(Settings settings, SqlProbe probe, Clock clock, Supplier<Optional<GarbdStatus>> garbd,
            Supplier<Optional<StoppedPosition>> recovered) {
        this.settings = settings;
        this.probe = probe;
        this.clock = clock;
        this.garbd = garbd;
        this.recovered = recovered;
    }

    /**
     * Files that exist in the data directory while a state transfer into it runs. Finding one while the
     * server is stopped means the last transfer did not finish, so the data is incomplete.
     */
    public static final List<String> SST_MARKERS = List.of("sst_in_progress", "rsync_sst.pid");

    public NodeSnapshot collect() {
        boolean maintenance = Files.exists(settings.health().maintenanceFile());
        if (settings.role() == Role.ARBITRATOR || probe == null) {
            return new NodeSnapshot(settings.nodeName(), settings.role(), clock.instant(), arbitratorStatus(),
                    GrastateFile.missing("this host has no data directory"),
                    GvwstateFile.missing("this host has no data directory"), Optional.empty(), maintenance);
        }
        ServerStatus server = withServerProcess(settings, probe.probe());
        server.position().ifPresent(position -> lastLivePosition = Optional.of(position));
        GrastateFile grastate = GrastateParser.read(settings.db().datadir().resolve("grastate.dat"));
        GvwstateFile gvwstate = GvwstateParser.read(settings.db().datadir().resolve("gvwstate.dat"));
        return new NodeSnapshot(settings.nodeName(), settings.role(), clock.instant(), server, grastate, gvwstate,
                lastLivePosition, maintenance, stoppedPosition(server, grastate));
    }

    /**
     * Returns {@code server}, unless it counts as stopped while a server process runs: a starting server
     * opens its socket only at the end of its start, and it may already be Primary by then.
     */
    public static ServerStatus withServerProcess(Settings settings, ServerStatus server) {
        if (!server.stopped()) {
            return server;
        }
        return ServerProcess.find(settings.coldStart().pidFile(), settings.db().datadir())
                .map(process -> ServerStatus.unreachable(process + " runs but does not accept connections; it is"
                        + " starting, stopping or hung"))
                .orElse(server);
    }

    /**
     * Returns the position a restart would start from: the one Galera saved in {@code grastate.dat}, or
     * the one the last recovery found. Unknown while the last state transfer did not finish.
     */
    private StoppedPosition stoppedPosition(ServerStatus server, GrastateFile grastate) {
        boolean managed = settings.coldStart().enabled();
        if (!server.stopped()) {
            return StoppedPosition.none(managed, "server is not stopped");
        }
        for (String marker : SST_MARKERS) {
            Path file = settings.db().datadir().resolve(marker);
            if (Files.exists(file)) {
                return StoppedPosition.none(managed, StoppedPosition.SST_UNFINISHED + ": " + file + " exists");
            }
        }
        if (grastate.position().isPresent()) {
            return StoppedPosition.known(managed, grastate.position().get(), StoppedPosition.FROM_GRASTATE, -1);
        }
        return recovered.get().orElseGet(() -> StoppedPosition.none(managed, "grastate.dat holds no position ("
                + (grastate.reason().isEmpty() ? "uuid " + grastate.uuid() + ", seqno " + grastate.seqno()
                        : grastate.reason()) + ") and no recovery ran yet"));
    }

    /**
     * Reports an arbitrator's garbd as its server. It is Primary while garbd's log shows it in a Primary
     * component, so no voter grants a bootstrap beside a Primary that garbd is part of. While garbd runs
     * and its membership is not yet known, it counts as possibly Primary.
     */
    private ServerStatus arbitratorStatus() {
        Optional<GarbdStatus> status = garbd.get();
        if (status.isEmpty() || !status.get().running()) {
            return ServerStatus.stopped(status.isEmpty() ? "this host runs no database server" : "garbd is not running");
        }
        Boolean primary = status.get().primaryComponent();
        if (primary == null) {
            return ServerStatus.unreachable("garbd runs, but its log does not show a component yet");
        }
        ClusterStatus cluster = primary ? ClusterStatus.PRIMARY : ClusterStatus.NON_PRIMARY;
        return new ServerStatus(true, "", cluster, LocalState.UNKNOWN, "garbd " + status.get().state(), primary, true,
                status.get().componentMembers(), -1, "", "", -1, false, "NONE", false, false, false);
    }
}
