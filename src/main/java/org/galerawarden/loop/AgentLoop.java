package org.galerawarden.loop;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

import org.galerawarden.action.PositionRecovery;
import org.galerawarden.action.RecoveryCoordinator;
import org.galerawarden.audit.AuditJournal;
import org.galerawarden.config.Settings;
import org.galerawarden.decision.ColdStartEngine;
import org.galerawarden.decision.Decision;
import org.galerawarden.decision.DecisionEngine;
import org.galerawarden.decision.DecisionInput;
import org.galerawarden.decision.DecisionKind;
import org.galerawarden.decision.RecoveryMemory;
import org.galerawarden.garbd.EvenClusterWarning;
import org.galerawarden.model.NodeSnapshot;
import org.galerawarden.model.PeerView;
import org.galerawarden.model.Position;
import org.galerawarden.model.PositionHistory;
import org.galerawarden.model.StoppedPosition;
import org.galerawarden.peer.Voter;
import org.galerawarden.probe.SnapshotCollector;
import org.galerawarden.store.PositionHistoryFile;
import org.jboss.logging.Logger;

/**
 * The probe, decide, act cycle, once per poll interval. Runs never overlap, and a run that fails is
 * logged and does not stop the next one. Before the first run the agent settles any intent a crash left
 * open.
 */
@ApplicationScoped
public class AgentLoop {

    private static final Logger LOG = Logger.getLogger(AgentLoop.class);

    @Inject
    Settings settings;

    @Inject
    SnapshotCollector collector;

    @Inject
    AgentState state;

    @Inject
    Voter voter;

    @Inject
    RecoveryCoordinator coordinator;

    @Inject
    AuditJournal audit;

    @Inject
    MonotonicClock clock;

    @Inject
    PositionRecovery recovery;

    @Inject
    PositionHistoryFile historyFile;

    private volatile boolean reconciled;
    private Decision lastLogged;
    private EvenClusterWarning evenClusterWarning;
    private final Map<String, String> loggedPositions = new HashMap<>();

    void onStart(@Observes StartupEvent event) {
        LOG.infof("[%s] agent starting: role=%s mode=%s voters=%s galera_members=%d state_dir=%s",
                settings.nodeName(), settings.role(), settings.mode(), settings.peers().keySet(),
                settings.galeraMembers(), settings.stateDir());
        evenClusterWarning = new EvenClusterWarning(settings, EvenClusterWarning.INTERVAL);
        int voters = settings.peers().size();
        if (voters < 3 || voters % 2 == 0) {
            LOG.warnf("[%s] %d voters configured: %s; use an odd number of at least 3 voters (for example two data"
                    + " nodes and an arbitrator), or losing one host can leave no majority to recover with",
                    settings.nodeName(), voters, voters < 3 ? "fewer than 3" : "an even number");
        }
        PositionHistory history = historyFile.load();
        if (!history.readable()) {
            LOG.errorf("[%s] %s", settings.nodeName(), history.problem());
        }
        state.publishHistory(history);
        coordinator.reconcile();
        reconciled = true;
    }

    @Scheduled(every = "${warden.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (!reconciled) {
            return;
        }
        try {
            runOnce();
        } catch (RuntimeException e) {
            LOG.errorf(e, "[%s] poll cycle failed; the next one runs as usual", settings.nodeName());
        }
    }

    void runOnce() {
        NodeSnapshot snapshot = collector.collect();
        long now = clock.nanos();
        if (!snapshot.server().stopped()) {
            recovery.forget();
        }
        state.publishSnapshot(snapshot, now);
        rememberPositions(snapshot);
        logStoppedPositions(snapshot);
        evenClusterWarning.check(snapshot.server(), now)
                .ifPresent(warning -> LOG.warnf("[%s] %s", settings.nodeName(), warning));
        RecoveryMemory memory = observe(state.memory(), snapshot, now);
        state.publishMemory(memory);
        Decision decision = DecisionEngine.decide(new DecisionInput(settings, snapshot, state.peers(), memory,
                voter.term(), now, state.history()));
        state.publishMemory(remember(state.memory(), decision, now));
        state.publishDecision(decision);
        logChange(decision);
        if (memory.lease().isPresent() && (DecisionEngine.LEASE_RELEASED.equals(decision.reason())
                || snapshot.server().stopped())) {
            coordinator.releaseLease();
        }
        coordinator.act(decision);
        if (decision.kind() != DecisionKind.STEADY && decision.kind() != DecisionKind.WAIT
                && decision.kind() != DecisionKind.RENEW_LEASE) {
            // Publish the server's new state now rather than one poll later, so the health check follows.
            state.publishSnapshot(collector.collect(), clock.nanos());
        }
    }

    /**
     * Adds every position seen in this round to the history, and stores the history when it grew. A
     * history that cannot be stored stays in memory and the failure is logged.
     */
    private void rememberPositions(NodeSnapshot snapshot) {
        if (!state.history().readable()) {
            // Read again each round, so that an operator's repair takes effect without a restart.
            PositionHistory reloaded = historyFile.load();
            if (reloaded.readable()) {
                LOG.infof("[%s] %s is readable again", settings.nodeName(), historyFile.file());
            }
            state.publishHistory(reloaded);
        }
        PositionHistory before = state.history();
        PositionHistory after = before;
        if (snapshot.bestKnownPosition().isPresent()) {
            after = after.observe(snapshot.node(), snapshot.bestKnownPosition().get());
        }
        for (PeerView peer : state.peers().values()) {
            Optional<Position> position = peer.bestKnownPosition();
            if (position.isPresent()) {
                after = after.observe(peer.node(), position.get());
            }
        }
        if (after == before) {
            return;
        }
        state.publishHistory(after);
        try {
            historyFile.store(after);
        } catch (IOException e) {
            LOG.errorf("[%s] storing %s failed: %s", settings.nodeName(), historyFile.file(), e.getMessage());
        }
    }

    /** Logs each data node's position for a restart once whenever it changes. */
    private void logStoppedPositions(NodeSnapshot snapshot) {
        Map<String, StoppedPosition> current = new TreeMap<>();
        if (snapshot.server().stopped()) {
            current.put(snapshot.node(), snapshot.stopped());
        }
        for (PeerView peer : state.peers().values()) {
            peer.currentSnapshot().filter(s -> s.server().stopped()).ifPresent(s -> current.put(peer.node(), s.stopped()));
        }
        current.forEach((node, position) -> {
            String text = position.describe();
            if (!text.equals(loggedPositions.put(node, text))) {
                LOG.infof("[%s] position of stopped node %s: %s", settings.nodeName(), node, text);
            }
        });
        loggedPositions.keySet().retainAll(current.keySet());
    }

    private static RecoveryMemory observe(RecoveryMemory memory, NodeSnapshot snapshot, long now) {
        if (snapshot.server().isPrimary() && memory.pcRecoveryStartNanos().isPresent()) {
            memory = memory.withPcRecoveryStart(Optional.empty());
        }
        if (!snapshot.server().isNonPrimary()) {
            return memory.withNonPrimarySince(Optional.empty());
        }
        return memory.nonPrimarySinceNanos().isPresent() ? memory : memory.withNonPrimarySince(Optional.of(now));
    }

    /** Remembers since when a wait that ends after a timeout lasts, from the evidence key it sets. */
    private static RecoveryMemory remember(RecoveryMemory memory, Decision decision, long now) {
        return memory.withUnknownSince(since(memory.unknownSinceNanos(), decision, "unknown_ms", now))
                .withJoinWaitSince(since(memory.joinWaitSinceNanos(), decision, ColdStartEngine.JOIN_WAIT, now));
    }

    /** Returns when the wait marked by {@code key} began: kept while the key is in the evidence, else empty. */
    private static Optional<Long> since(Optional<Long> known, Decision decision, String key, long now) {
        if (!decision.evidence().containsKey(key)) {
            return Optional.empty();
        }
        return known.isPresent() ? known : Optional.of(now);
    }

    private void logChange(Decision decision) {
        // A renewal is a routine step while a lease is held; the coordinator logs failed renewals.
        if (decision.kind() == DecisionKind.RENEW_LEASE || !decision.changedFrom(lastLogged)) {
            return;
        }
        lastLogged = decision;
        String line = "decision " + decision.kind() + ": " + decision.reason() + "; " + decision.evidenceText();
        if (decision.kind() == DecisionKind.FENCE) {
            LOG.warnf("[%s] %s", settings.nodeName(), line);
        } else {
            LOG.infof("[%s] %s", settings.nodeName(), line);
        }
        audit.record("decision", decision.kind().name(), decision.reason(), decision.term(), decision.evidence());
    }
}
