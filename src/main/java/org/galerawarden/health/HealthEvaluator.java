package org.galerawarden.health;

import java.time.Duration;
import java.util.Optional;

import org.galerawarden.config.HealthSettings;
import org.galerawarden.model.ClusterStatus;
import org.galerawarden.model.LocalState;
import org.galerawarden.model.NodeSnapshot;
import org.galerawarden.model.Role;
import org.galerawarden.model.ServerStatus;

/**
 * Turns the cached snapshot into the HAProxy answer, as a pure function. 200 means: the server answers,
 * is Primary, {@code wsrep_ready=ON}, Synced (or Donor where allowed), accepts queries, is not desynced,
 * not in maintenance and not read-only (unless allowed). Everything else, and a snapshot older than
 * three poll intervals, is 503.
 */
public final class HealthEvaluator {

    private HealthEvaluator() {
    }

    /**
     * @param snapshot the cached snapshot, empty before the first probe
     * @param age how long ago it was taken
     * @param pollInterval the configured poll interval
     */
    public static HealthVerdict evaluate(Optional<NodeSnapshot> snapshot, Duration age, Duration pollInterval,
            HealthSettings options) {
        if (snapshot.isEmpty()) {
            return HealthVerdict.down("starting: no probe has completed yet");
        }
        Duration limit = pollInterval.multipliedBy(3);
        if (age.compareTo(limit) > 0) {
            return HealthVerdict.down("unknown: the last probe is " + age.toMillis() + " ms old, older than "
                    + limit.toMillis() + " ms");
        }
        NodeSnapshot node = snapshot.get();
        if (node.role() == Role.ARBITRATOR) {
            return HealthVerdict.down("arbitrator: this host serves no database");
        }
        if (node.maintenance()) {
            return HealthVerdict.down("maintenance: drained on purpose by " + options.maintenanceFile()
                    + " or the maintenance API");
        }
        return evaluateServer(node.server(), options);
    }

    private static HealthVerdict evaluateServer(ServerStatus server, HealthSettings options) {
        if (!server.reachable()) {
            return HealthVerdict.down("down: the server does not answer (" + server.error() + ")");
        }
        if (server.clusterStatus() != ClusterStatus.PRIMARY) {
            return HealthVerdict.down(statusWord(server) + ": not in the Primary component");
        }
        if (!server.ready()) {
            return HealthVerdict.down(statusWord(server) + ": wsrep_ready is OFF");
        }
        if (!"NONE".equalsIgnoreCase(server.rejectQueries())) {
            return HealthVerdict.down(statusWord(server) + ": wsrep_reject_queries is " + server.rejectQueries());
        }
        if (server.localState() == LocalState.DONOR) {
            if (options.allowDonor() && !server.donorRejectsQueries()) {
                return readOnlyCheck(server, options, "Donor/Desynced Primary: serving, Donor allowed");
            }
            return HealthVerdict.down("Donor/Desynced: serving a state transfer");
        }
        if (server.localState() != LocalState.SYNCED) {
            return HealthVerdict.down(statusWord(server) + ": not Synced");
        }
        if (server.desync()) {
            return HealthVerdict.down(statusWord(server) + ": wsrep_desync is ON");
        }
        return readOnlyCheck(server, options, "Synced Primary: serving");
    }

    private static HealthVerdict readOnlyCheck(ServerStatus server, HealthSettings options, String healthy) {
        if (server.readOnly() && !options.allowReadOnly()) {
            return HealthVerdict.down(statusWord(server) + ": read_only is ON");
        }
        if (server.readOnly()) {
            return HealthVerdict.up(healthy + ", read-only allowed");
        }
        return HealthVerdict.up(healthy);
    }

    private static String statusWord(ServerStatus server) {
        String comment = server.localStateComment().isEmpty() ? server.localState().toString()
                : server.localStateComment();
        return comment + " " + switch (server.clusterStatus()) {
            case PRIMARY -> "Primary";
            case NON_PRIMARY -> "non-Primary";
            case DISCONNECTED -> "Disconnected";
            case UNKNOWN -> "unknown";
        };
    }
}
