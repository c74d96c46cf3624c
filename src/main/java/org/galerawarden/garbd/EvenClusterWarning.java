package org.galerawarden.garbd;

import java.time.Duration;
import java.util.Optional;

import org.galerawarden.config.Settings;
import org.galerawarden.model.Role;
import org.galerawarden.model.ServerStatus;

/**
 * Tells a data node's operator that its Primary component has an even number of members and no voter
 * runs garbd, so losing one member costs quorum. The warning repeats at most once per interval while
 * the situation lasts, and at once when the member count changes. Not thread-safe: the agent loop owns it.
 */
public final class EvenClusterWarning {

    /** The interval the agent uses between two identical warnings. */
    public static final Duration INTERVAL = Duration.ofMinutes(10);

    private final Settings settings;
    private final long intervalNanos;
    private int warnedSize;
    private long warnedAtNanos;

    public EvenClusterWarning(Settings settings, Duration interval) {
        this.settings = settings;
        this.intervalNanos = interval.toNanos();
    }

    /** Returns the warning to log for this probe of the local server, or empty when none is due. */
    public Optional<String> check(ServerStatus server, long nowNanos) {
        int size = server.clusterSize();
        boolean applies = settings.role() == Role.DATA && !settings.anyGarbdPeer() && server.isPrimary() && size > 0
                && size % 2 == 0;
        if (!applies) {
            warnedSize = 0;
            return Optional.empty();
        }
        if (size == warnedSize && nowNanos - warnedAtNanos < intervalNanos) {
            return Optional.empty();
        }
        warnedSize = size;
        warnedAtNanos = nowNanos;
        String loss = size == 2 ? "losing one member costs quorum"
                : "losing " + size / 2 + " members, or a split into two halves, costs quorum";
        return Optional.of("the Primary component has an even number of members (wsrep_cluster_size " + size
                + ") and no voter runs garbd: " + loss + " and stops writes until a recovery. Run garbd"
                + " on the arbitrator host (warden.garbd.enabled=true there) and set warden.peers.NAME.garbd=true"
                + " for that host on every agent");
    }
}
