package org.galerawarden.action;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import org.galerawarden.audit.AuditJournal;
import org.galerawarden.audit.RepeatFilter;
import org.galerawarden.config.BootstrapMethod;
import org.galerawarden.config.FenceMethod;
import org.galerawarden.config.Mode;
import org.galerawarden.config.Settings;
import org.galerawarden.decision.ColdStartEngine;
import org.galerawarden.decision.Decision;
import org.galerawarden.decision.HeldLease;
import org.galerawarden.loop.AgentState;
import org.galerawarden.loop.MonotonicClock;
import org.galerawarden.model.Position;
import org.galerawarden.model.ServerStatus;
import org.galerawarden.model.StoppedPosition;
import org.jboss.logging.Logger;

/**
 * Carries out BOOTSTRAP, RENEW_LEASE, FENCE and the start decisions (RECOVER_POSITION, START, NEW_CLUSTER,
 * STOP). Every action that changes the server is
 * journaled as an intent before it runs and settled after it ends, and logged at WARN first. At start
 * {@link #reconcile} settles an intent left open by a crash before anything else runs. In observe mode
 * each action is logged and audited but not run. Called from the loop thread only.
 */
public class RecoveryCoordinator {

    private static final Logger LOG = Logger.getLogger(RecoveryCoordinator.class);
    static final String BOOTSTRAP = "BOOTSTRAP";
    static final String FENCE = "FENCE";
    static final String NEW_CLUSTER = "NEW_CLUSTER";
    static final String START = "START";
    static final String STOP = "STOP";

    private final Settings settings;
    private final AgentState state;
    private final VoteCollector votes;
    private final ServerControl server;
    private final IntentJournal intents;
    private final HeldLeaseFile leaseFile;
    private final AuditJournal audit;
    private final MonotonicClock clock;
    private final Clock wallClock;
    private final RepeatFilter repeats;
    private final PositionRecovery recovery;
    /**
     * The monotonic time before which a failed start is not repeated, so that a broken server is not
     * restarted in a loop. Empty until a start fails.
     */
    private Optional<Long> nextStartNanos = Optional.empty();
    static final Duration START_RETRY = Duration.ofSeconds(30);

    public RecoveryCoordinator(Settings settings, AgentState state, VoteCollector votes, ServerControl server,
            IntentJournal intents, HeldLeaseFile leaseFile, AuditJournal audit, MonotonicClock clock,
            Clock wallClock) {
        this(settings, state, votes, server, intents, leaseFile, audit, clock, wallClock, null);
    }

    /** @param recovery runs position recoveries; null when the agent does not start its server */
    public RecoveryCoordinator(Settings settings, AgentState state, VoteCollector votes, ServerControl server,
            IntentJournal intents, HeldLeaseFile leaseFile, AuditJournal audit, MonotonicClock clock,
            Clock wallClock, PositionRecovery recovery) {
        this.recovery = recovery;
        this.settings = settings;
        this.state = state;
        this.votes = votes;
        this.server = server;
        this.intents = intents;
        this.leaseFile = leaseFile;
        this.audit = audit;
        this.clock = clock;
        this.wallClock = wallClock;
        this.repeats = new RepeatFilter(Duration.ofSeconds(30), clock::nanos);
    }

    /** Carries out a decision that calls for an action; other kinds are ignored. */
    public void act(Decision decision) {
        switch (decision.kind()) {
            case BOOTSTRAP -> bootstrap(decision);
            case RENEW_LEASE -> renewLease(decision);
            case FENCE -> fence(decision);
            case RECOVER_POSITION -> recoverPosition(decision);
            case START -> startServer(decision);
            case NEW_CLUSTER -> startNewCluster(decision);
            case STOP -> stopServer(decision);
            default -> {
            }
        }
    }

    private void bootstrap(Decision decision) {
        Position position = decision.position().orElseThrow();
        runGranted(decision, BOOTSTRAP, "bootstrap this node from " + position + " (method "
                + settings.recovery().bootstrapMethod() + ")", () -> runBootstrap(position));
    }

    /**
     * Starts this node as a new cluster after a majority grant, the restart of a cluster whose servers all
     * stopped. The lease that follows keeps the single-node component from outliving a partition.
     */
    private void startNewCluster(Decision decision) {
        if (settings.mode() != Mode.OBSERVE && startPaused()) {
            return;
        }
        Position position = decision.position().orElseThrow();
        runGranted(decision, NEW_CLUSTER, "start this node as a new cluster from " + position, () -> {
            publishStarting("starting as a new cluster");
            String failure = server.startNewCluster(position);
            pauseStartsAfter(failure);
            return failure;
        });
    }

    /**
     * Runs a step that forms a new Primary Component: a grant round first, then the lease file, the intent,
     * the step itself and the lease it leads to. Nothing runs without a majority grant.
     *
     * @param what the step in words, for the log
     * @param step runs the step and returns an empty string on success, otherwise why it failed
     */
    private void runGranted(Decision decision, String action, String what, Supplier<String> step) {
        if (settings.mode() == Mode.OBSERVE) {
            observeOnly(what + " in term " + decision.term(), decision);
            return;
        }
        VoteRound round = votes.collectGrants(decision.term(), decision.position().orElseThrow());
        if (!round.won()) {
            if (logRepeatable("grants", action.toLowerCase(java.util.Locale.ROOT) + " not granted: "
                    + round.describe())) {
                audit.record("action", action + "_REFUSED", round.describe(), decision.term(), decision.evidence());
            }
            return;
        }
        LOG.warnf("[%s] granted in term %d (%s), so about to %s; %s", settings.nodeName(), decision.term(),
                round.describe(), what, decision.reason());
        Instant leaseEnd = wallClock.instant().plus(settings.recovery().leaseDuration());
        if (!storeLease(decision.term(), leaseEnd)) {
            return;
        }
        Optional<Intent> intent = startIntent(decision.term(), action, round.describe() + "; " + decision.reason());
        if (intent.isEmpty()) {
            return;
        }
        pauseAfterIntent();
        String failure = step.get();
        settle(intent.get(), failure);
        if (failure.isEmpty()) {
            holdLease(decision.term(), renewAfterStep(decision.term(), round));
        }
    }

    /**
     * Renews the lease as soon as the step is done, because a start as a new cluster can outlast the
     * lease counted from the grant round, and the node would then fence itself right after it became
     * Primary. Returns when the lease that counts began: the renewal round, or the grant round when the
     * renewal failed, in which case the usual renewals and the fence follow.
     */
    private long renewAfterStep(long term, VoteRound grants) {
        VoteRound renewal = votes.collectLeases(term);
        if (renewal.won()) {
            return renewal.startedNanos();
        }
        logRepeatable("lease", "lease renewal right after the start in term " + term + " failed: "
                + renewal.describe());
        return grants.startedNanos();
    }

    private void recoverPosition(Decision decision) {
        if (settings.mode() == Mode.OBSERVE || recovery == null) {
            observeOnly("recover this node's position with " + String.join(" ",
                    settings.coldStart().recoverCommand(settings.stateDir().resolve("wsrep-recover.log"))), decision);
            return;
        }
        StoppedPosition outcome = recovery.run();
        audit.record("position", outcome.position().isPresent() ? "POSITION_RECOVERED" : "POSITION_UNKNOWN",
                outcome.describe(), 0, Map.of());
    }

    private void startServer(Decision decision) {
        if (settings.mode() == Mode.OBSERVE) {
            observeOnly("start the server normally", decision);
            return;
        }
        if (startPaused()) {
            return;
        }
        LOG.warnf("[%s] starting the server: %s", settings.nodeName(), decision.reason());
        Optional<Intent> intent = startIntent(0, START, decision.reason());
        if (intent.isEmpty()) {
            return;
        }
        publishStarting("starting normally");
        boolean pcRecovery = decision.evidence().containsKey(ColdStartEngine.PC_RECOVERY);
        state.publishMemory(state.memory().withPcRecoveryStart(pcRecovery ? Optional.of(clock.nanos())
                : Optional.empty()));
        // A server started for pc.recovery accepts connections only once Galera restored the Primary, so its start
        // command is not waited for beyond the grace period.
        Duration limit = settings.commands().timeout();
        if (pcRecovery && settings.coldStart().pcRecoveryGrace().compareTo(limit) < 0) {
            limit = settings.coldStart().pcRecoveryGrace();
        }
        String failure = server.start(state.snapshot().flatMap(snapshot -> snapshot.stopped().position()), limit);
        settle(intent.get(), failure);
        pauseStartsAfter(failure);
    }

    private boolean startPaused() {
        if (nextStartNanos.isEmpty()) {
            return false;
        }
        // Subtracting, not comparing, keeps this right when the monotonic clock wraps.
        long left = nextStartNanos.get() - clock.nanos();
        if (left <= 0) {
            return false;
        }
        logRepeatable("start-paused", "the last start failed, so the next one waits another "
                + Duration.ofNanos(left).toSeconds() + " s");
        return true;
    }

    private void pauseStartsAfter(String failure) {
        if (!failure.isEmpty()) {
            nextStartNanos = Optional.of(clock.nanos() + START_RETRY.toNanos());
        }
    }

    private void stopServer(Decision decision) {
        if (settings.mode() == Mode.OBSERVE) {
            observeOnly("stop the server", decision);
            return;
        }
        LOG.warnf("[%s] stopping the server: %s", settings.nodeName(), decision.reason());
        Optional<Intent> intent = startIntent(0, STOP, decision.reason());
        if (intent.isEmpty()) {
            return;
        }
        // A server started for pc.recovery that is still not Primary ignores SIGTERM.
        String failure = decision.evidence().containsKey(ColdStartEngine.PC_RECOVERY) ? server.killWaitingServer()
                : server.stop();
        settle(intent.get(), failure);
        if (failure.isEmpty()) {
            state.publishMemory(state.memory().withPcRecoveryStart(Optional.empty()));
        }
    }

    /**
     * Publishes this server as possibly Primary before a start, so that peers see a starting server while
     * the start command runs, rather than the stopped one of the last snapshot.
     */
    private void publishStarting(String what) {
        state.snapshot().ifPresent(snapshot -> state.publishSnapshot(snapshot.withServer(ServerStatus.unreachable(
                "the agent is " + what + " the server")), clock.nanos()));
    }

    private String runBootstrap(Position position) {
        ServerStatus status = server.status();
        if (status.isPrimary()) {
            return "";
        }
        if (settings.recovery().bootstrapMethod() == BootstrapMethod.RESTART) {
            return server.restartAsNewCluster(position);
        }
        LOG.warnf("[%s] running SET GLOBAL wsrep_provider_options='pc.bootstrap=YES'", settings.nodeName());
        String failure = server.bootstrapInPlace();
        if (failure.isEmpty()) {
            return "";
        }
        LOG.warnf("[%s] %s; restarting the node as a new cluster instead", settings.nodeName(), failure);
        return server.restartAsNewCluster(position);
    }

    private void renewLease(Decision decision) {
        VoteRound round = votes.collectLeases(decision.term());
        if (!round.won()) {
            logRepeatable("lease", "lease renewal in term " + decision.term() + " failed: " + round.describe());
            return;
        }
        holdLease(decision.term(), round.startedNanos());
        LOG.debugf("[%s] lease renewed in term %d: %s", settings.nodeName(), decision.term(), round.describe());
    }

    private void holdLease(long term, long roundStartedNanos) {
        long validUntil = roundStartedNanos + settings.recovery().leaseDuration().toNanos();
        Instant wallEnd = wallClock.instant().plusNanos(validUntil - clock.nanos());
        storeLease(term, wallEnd);
        state.publishMemory(state.memory().withLease(Optional.of(new HeldLease(term, validUntil, roundStartedNanos))));
    }

    private void fence(Decision decision) {
        if (settings.mode() == Mode.OBSERVE) {
            observeOnly("fence this node (" + settings.recovery().fence() + ")", decision);
            return;
        }
        LOG.warnf("[%s] fencing this node by %s: %s; %s", settings.nodeName(), settings.recovery().fence(),
                decision.reason(), decision.evidenceText());
        Optional<Intent> intent = startIntent(decision.term(), FENCE, decision.reason());
        if (intent.isEmpty()) {
            return;
        }
        String failure = settings.recovery().fence() == FenceMethod.STOP ? server.stop() : server.rejectQueries();
        settle(intent.get(), failure);
        if (failure.isEmpty()) {
            releaseLease();
        }
    }

    /** Forgets the held lease, in memory and on disk. */
    public void releaseLease() {
        state.publishMemory(state.memory().withLease(Optional.empty()));
        try {
            leaseFile.delete();
        } catch (IOException e) {
            LOG.errorf("[%s] deleting %s failed: %s", settings.nodeName(), leaseFile.file(), e.getMessage());
        }
    }

    /**
     * Settles an intent that a crash left open, from the server's current state: a bootstrap that made
     * the server Primary is done, and its lease is restored from {@code lease.json}; one that did not is
     * abandoned and nothing is retried without a new grant round. A fence is done when the server is
     * down or rejects queries.
     */
    public void reconcile() {
        restoreLease();
        Optional<Intent> open;
        try {
            open = intents.unsettled();
        } catch (IOException e) {
            LOG.errorf("[%s] reading the intent journal %s failed: %s", settings.nodeName(), intents.file(),
                    e.getMessage());
            return;
        }
        if (open.isEmpty()) {
            return;
        }
        Intent intent = open.get();
        ServerStatus status = server.status();
        LOG.warnf("[%s] found unsettled intent %s %s in term %d from %s; server now %s", settings.nodeName(),
                intent.action(), intent.id(), intent.term(), intent.time(),
                status.reachable() ? status.clusterStatus() : "DOWN");
        if (NEW_CLUSTER.equals(intent.action()) && !status.isPrimary() && !status.stopped()) {
            status = awaitStart(status);
        }
        boolean done = switch (intent.action()) {
            case BOOTSTRAP, NEW_CLUSTER -> status.isPrimary();
            case START -> !status.stopped();
            case STOP -> status.stopped();
            default -> !status.reachable() || !"NONE".equalsIgnoreCase(status.rejectQueries());
        };
        String outcome = done ? Intent.DONE : Intent.ABANDONED;
        String detail = "reconciled after an agent restart: server is "
                + (status.reachable() ? status.clusterStatus().toString() : "down");
        appendSettled(intent.settled(wallClock.instant(), outcome, detail));
    }

    /**
     * Waits, within the command timeout, for a server that a crashed agent was starting as a new cluster,
     * so that the intent is settled from the outcome of that start and not from its middle.
     */
    private ServerStatus awaitStart(ServerStatus status) {
        LOG.warnf("[%s] the server a new-cluster start left behind runs but is not Primary yet (%s); waiting up to"
                + " %d s for it", settings.nodeName(), status.error(), settings.commands().timeout().toSeconds());
        long deadline = clock.nanos() + settings.commands().timeout().toNanos();
        ServerStatus current = status;
        while (!current.isPrimary() && !current.stopped() && clock.nanos() < deadline) {
            ServerControl.sleep(Duration.ofMillis(500));
            current = server.status();
        }
        return current;
    }

    private void restoreLease() {
        leaseFile.load().ifPresent(stored -> {
            Duration left = Duration.between(wallClock.instant(), stored.validUntil());
            if (left.isNegative()) {
                left = Duration.ZERO;
            }
            if (left.compareTo(settings.recovery().leaseDuration()) > 0) {
                left = settings.recovery().leaseDuration();
            }
            long now = clock.nanos();
            LOG.warnf("[%s] restored the held lease of term %d with %d ms left", settings.nodeName(), stored.term(),
                    left.toMillis());
            state.publishMemory(state.memory().withLease(Optional.of(
                    new HeldLease(stored.term(), now + left.toNanos(), now - settings.recovery().leaseDuration().toNanos()))));
        });
    }

    private Optional<Intent> startIntent(long term, String action, String detail) {
        Intent intent = new Intent(UUID.randomUUID().toString(), wallClock.instant(), term, action,
                settings.nodeName(), Intent.STARTED, detail);
        try {
            intents.append(intent);
        } catch (IOException e) {
            LOG.errorf("[%s] journaling intent %s failed, so it does not run: %s", settings.nodeName(), action,
                    e.getMessage());
            return Optional.empty();
        }
        audit.record("action", action + "_STARTED", detail, term, Map.of("intent", intent.id()));
        return Optional.of(intent);
    }

    private void settle(Intent intent, String failure) {
        String outcome = failure.isEmpty() ? Intent.DONE : Intent.FAILED;
        if (failure.isEmpty()) {
            LOG.infof("[%s] %s in term %d done", settings.nodeName(), intent.action(), intent.term());
        } else {
            LOG.errorf("[%s] %s in term %d failed: %s", settings.nodeName(), intent.action(), intent.term(), failure);
        }
        appendSettled(intent.settled(wallClock.instant(), outcome, failure.isEmpty() ? "done" : failure));
    }

    private void appendSettled(Intent settled) {
        try {
            intents.append(settled);
        } catch (IOException e) {
            LOG.errorf("[%s] settling intent %s failed: %s", settings.nodeName(), settled.id(), e.getMessage());
        }
        audit.record("action", settled.action() + "_" + settled.state(), settled.detail(), settled.term(),
                Map.of("intent", settled.id()));
    }

    private boolean storeLease(long term, Instant validUntil) {
        try {
            leaseFile.store(term, validUntil);
            return true;
        } catch (IOException e) {
            LOG.errorf("[%s] storing the lease in %s failed, so nothing runs: %s", settings.nodeName(),
                    leaseFile.file(), e.getMessage());
            return false;
        }
    }

    private void pauseAfterIntent() {
        Duration delay = settings.recovery().intentDelay();
        if (!delay.isZero()) {
            LOG.warnf("[%s] pausing %d ms after journaling the intent (warden.recovery.intent-delay)",
                    settings.nodeName(), delay.toMillis());
            ServerControl.sleep(delay);
        }
    }

    private void observeOnly(String action, Decision decision) {
        if (logRepeatable("observe", "observe mode: would " + action + "; " + decision.reason())) {
            audit.record("action", "OBSERVED_" + decision.kind(), action, decision.term(), decision.evidence());
        }
    }

    /**
     * Logs a line unless one that differs only in its numbers passed recently; returns whether it was
     * logged.
     */
    private boolean logRepeatable(String key, String message) {
        long suppressed = repeats.admit(key + message.replaceAll("[0-9]+", "#"));
        if (suppressed < 0) {
            return false;
        }
        LOG.infof("[%s] %s%s", settings.nodeName(), message,
                suppressed > 0 ? " (" + suppressed + " similar lines suppressed)" : "");
        return true;
    }
}
