package org.galerawarden.peer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.scheduler.Scheduled;

import org.galerawarden.config.PeerSettings;
import org.galerawarden.config.Settings;
import org.galerawarden.loop.AgentState;
import org.galerawarden.loop.MonotonicClock;
import org.galerawarden.model.PeerReport;
import org.galerawarden.model.PeerView;
import org.jboss.logging.Logger;

/**
 * Fetches every other voter's state once per poll interval, in parallel, and publishes the views. A
 * peer that stops answering keeps its last report and the time it was last seen Primary, because the
 * safety checks need both. Runs never overlap.
 */
@ApplicationScoped
public class PeerPoller {

    private static final Logger LOG = Logger.getLogger(PeerPoller.class);

    @Inject
    Settings settings;

    @Inject
    PeerClient client;

    @Inject
    AgentState state;

    @Inject
    MonotonicClock clock;

    @Scheduled(every = "${warden.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        try {
            pollOnce();
        } catch (RuntimeException e) {
            LOG.errorf(e, "[%s] polling peers failed; the next poll runs as usual", settings.nodeName());
        }
    }

    void pollOnce() {
        Map<PeerSettings, CompletableFuture<PeerReport>> pending = new LinkedHashMap<>();
        for (PeerSettings peer : settings.otherPeers()) {
            pending.put(peer, client.state(peer));
        }
        long deadline = clock.nanos() + settings.recovery().peerTimeout().plusMillis(200).toNanos();
        for (Map.Entry<PeerSettings, CompletableFuture<PeerReport>> entry : pending.entrySet()) {
            PeerSettings peer = entry.getKey();
            PeerView previous = state.peers().getOrDefault(peer.name(), PeerView.unknown(peer.name(), peer.role()));
            try {
                long left = Math.max(0, deadline - clock.nanos());
                PeerReport report = entry.getValue().get(left, TimeUnit.NANOSECONDS);
                if (report.snapshot() == null || !peer.name().equals(report.snapshot().node())) {
                    publishFailure(previous, "the agent at " + peer.url() + " reports as "
                            + (report.snapshot() == null ? "nobody" : report.snapshot().node())
                            + ", not " + peer.name() + "; check warden.peers." + peer.name() + ".url");
                    continue;
                }
                publish(previous, report);
            } catch (TimeoutException e) {
                entry.getValue().cancel(true);
                publishFailure(previous, "no answer within " + settings.recovery().peerTimeout().toMillis() + " ms");
            } catch (ExecutionException e) {
                publishFailure(previous, e.getCause().getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void publish(PeerView previous, PeerReport report) {
        long now = clock.nanos();
        Optional<Long> lastPrimary = report.snapshot().server().isPrimary() ? Optional.of(now)
                : previous.lastPrimaryNanos();
        if (!previous.reachable()) {
            LOG.infof("[%s] peer %s reachable: server %s, term %d", settings.nodeName(), previous.node(),
                    report.snapshot().server().reachable() ? report.snapshot().server().clusterStatus() : "DOWN",
                    report.term());
        }
        state.publishPeer(new PeerView(previous.node(), previous.role(), true, "", Optional.of(report), now,
                lastPrimary));
    }

    private void publishFailure(PeerView previous, String error) {
        if (previous.reachable() || previous.lastReport().isEmpty() && !previous.error().equals(error)) {
            LOG.warnf("[%s] peer %s unreachable: %s", settings.nodeName(), previous.node(), error);
        }
        state.publishPeer(new PeerView(previous.node(), previous.role(), false, error, previous.lastReport(),
                previous.lastReportNanos(), previous.lastPrimaryNanos()));
    }
}
