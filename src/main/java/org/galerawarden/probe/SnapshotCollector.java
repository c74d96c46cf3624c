package org.galerawarden.probe;

import java.nio.file.Files;
import java.time.Clock;
import java.util.Optional;

import org.galerawarden.config.Settings;
import org.galerawarden.model.GrastateFile;
import org.galerawarden.model.GvwstateFile;
import org.galerawarden.model.NodeSnapshot;
import org.galerawarden.model.Position;
import org.galerawarden.model.Role;
import org.galerawarden.model.ServerStatus;

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
    private Optional<Position> lastLivePosition = Optional.empty();

    /** @param probe the SQL probe, null for an arbitrator */
    public SnapshotCollector(Settings settings, SqlProbe probe, Clock clock) {
        this.settings = settings;
        this.probe = probe;
        this.clock = clock;
    }

    public NodeSnapshot collect() {
        boolean maintenance = Files.exists(settings.health().maintenanceFile());
        if (settings.role() == Role.ARBITRATOR || probe == null) {
            return new NodeSnapshot(settings.nodeName(), settings.role(), clock.instant(),
                    ServerStatus.unreachable("this host runs no database server"),
                    GrastateFile.missing("this host has no data directory"),
                    GvwstateFile.missing("this host has no data directory"), Optional.empty(), maintenance);
        }
        ServerStatus server = probe.probe();
        server.position().ifPresent(position -> lastLivePosition = Optional.of(position));
        GrastateFile grastate = GrastateParser.read(settings.db().datadir().resolve("grastate.dat"));
        GvwstateFile gvwstate = GvwstateParser.read(settings.db().datadir().resolve("gvwstate.dat"));
        return new NodeSnapshot(settings.nodeName(), settings.role(), clock.instant(), server, grastate, gvwstate,
                lastLivePosition, maintenance);
    }
}
