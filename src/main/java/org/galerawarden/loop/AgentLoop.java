package org.galerawarden.loop;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

import org.galerawarden.action.RecoveryCoordinator;
import org.galerawarden.audit.AuditJournal;
import org.galerawarden.config.Settings;
import org.galerawarden.decision.Decision;
import org.galerawarden.decision.DecisionEngine;
import org.galerawarden.decision.DecisionInput;
import org.galerawarden.decision.DecisionKind;
import org.galerawarden.decision.RecoveryMemory;
import org.galerawarden.garbd.EvenClusterWarning;
import org.galerawarden.model.NodeSnapshot;
import org.galerawarden.peer.Voter;
import org.galerawarden.probe.SnapshotCollector;
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

    private volatile boolean reconciled;
    private Decision lastLogged;
    private EvenClusterWarning evenClusterWarning;

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
        state.publishSnapshot(snapshot, now);
        evenClusterWarning.check(snapshot.server(), now)
                .ifPresent(warning -> LOG.warnf("[%s] %s", settings.nodeName(), warning));
        RecoveryMemory memory = observe(state.memory(), snapshot, now);
        state.publishMemory(memory);
        Decision decision = DecisionEngine.decide(new DecisionInput(settings, snapshot, state.peers(), memory,
                voter.term(), now));
        state.publishMemory(remember(state.memory(), decision, now));
        state.publishDecision(decision);
        logChange(decision);
        if (memory.lease().isPresent() && (DecisionEngine.LEASE_RELEASED.equals(decision.reason())
                || snapshot.server().stopped())) {
            coordinator.releaseLease();
        }
        coordinator.act(decision);
        if (decision.kind() == DecisionKind.BOOTSTRAP || decision.kind() == DecisionKind.FENCE) {
            // Publish the server's new state now rather than one poll later, so the health check follows.
            state.publishSnapshot(collector.collect(), clock.nanos());
        }
    }

    private static RecoveryMemory observe(RecoveryMemory memory, NodeSnapshot snapshot, long now) {
        if (!snapshot.server().isNonPrimary()) {
            return memory.withNonPrimarySince(Optional.empty());
        }
        return memory.nonPrimarySinceNanos().isPresent() ? memory : memory.withNonPrimarySince(Optional.of(now));
    }

    private static RecoveryMemory remember(RecoveryMemory memory, Decision decision, long now) {
        boolean blockedOnUnknown = decision.evidence().containsKey("unknown_ms");
        if (!blockedOnUnknown) {
            return memory.withUnknownSince(Optional.empty());
        }
        return memory.unknownSinceNanos().isPresent() ? memory : memory.withUnknownSince(Optional.of(now));
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
