package org.galerawarden.peer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.galerawarden.config.Settings;
import org.galerawarden.decision.GrantPolicy;
import org.galerawarden.decision.Verdict;
import org.galerawarden.decision.VoterMemory;
import org.galerawarden.model.NodeSnapshot;
import org.galerawarden.model.PeerView;
import org.galerawarden.model.Position;
import org.galerawarden.model.PositionHistory;
import org.galerawarden.model.VoterState;
import org.galerawarden.store.DurableFiles;
import org.jboss.logging.Logger;

/**
 * This agent's vote. It keeps its promises in {@code voter.json} in the state directory and syncs every
 * change to disk before the reply that depends on it. When the file cannot be read the voter rejects
 * every request rather than risk a second grant in a term it already granted. Thread-safe: every
 * method is synchronized, so two requests never interleave between check and write.
 */
public class Voter {

    private static final Logger LOG = Logger.getLogger(Voter.class);

    private final Settings settings;
    private final Path file;
    private final ObjectMapper json;
    private final LongSupplier nanoClock;
    private final Clock wallClock;

    private VoterState state = VoterState.initial();
    private long leaseExpiresNanos;
    private String brokenReason = "";

    public Voter(Settings settings, ObjectMapper json, LongSupplier nanoClock, Clock wallClock) {
        this.settings = settings;
        this.file = settings.stateDir().resolve("voter.json");
        this.json = json;
        this.nanoClock = nanoClock;
        this.wallClock = wallClock;
    }

    /**
     * Loads the stored promises. A lease that had not ended by the wall clock counts as running for a
     * full voter window from now, because the monotonic clock did not survive the restart.
     */
    public synchronized void load() {
        try {
            VoterState loaded = json.readValue(Files.readAllBytes(file), VoterState.class);
            if (loaded == null || loaded.grantedTo() == null || loaded.leaseHolder() == null
                    || loaded.leaseExpiresAt() == null) {
                throw new IOException("it contains null or lacks required fields");
            }
            state = loaded;
            long now = nanoClock.getAsLong();
            boolean running = !state.leaseHolder().isEmpty() && state.leaseExpiresAt().isAfter(wallClock.instant());
            leaseExpiresNanos = running ? now + settings.recovery().voterLeaseWindow().toNanos() : now;
            LOG.infof("[%s] voter state loaded: term=%d granted_term=%d granted_to=%s lease_holder=%s lease_running=%s",
                    settings.nodeName(), state.term(), state.grantedTerm(), state.grantedTo(), state.leaseHolder(),
                    running);
        } catch (NoSuchFileException e) {
            state = VoterState.initial();
        } catch (IOException | RuntimeException e) {
            brokenReason = "voter state file " + file + " is unreadable (" + e.getMessage()
                    + "); this voter rejects every request until it is repaired or, with every agent stopped,"
                    + " deleted";
            LOG.errorf("[%s] %s", settings.nodeName(), brokenReason);
        }
    }

    public synchronized long term() {
        return state.term();
    }

    public synchronized VoterState state() {
        return state;
    }

    /** Evaluates a bootstrap grant request and, when granting, stores the promise before returning. */
    public synchronized Verdict grant(long term, String candidate, Position position, NodeSnapshot self,
            Map<String, PeerView> peers) {
        return grant(term, candidate, position, self, peers, PositionHistory.empty());
    }

    /**
     * Evaluates a bootstrap grant request against this voter's position history too, and, when granting,
     * stores the promise before returning.
     */
    public synchronized Verdict grant(long term, String candidate, Position position, NodeSnapshot self,
            Map<String, PeerView> peers, PositionHistory history) {
        if (!brokenReason.isEmpty()) {
            return Verdict.reject(brokenReason);
        }
        long now = nanoClock.getAsLong();
        Verdict verdict = GrantPolicy.evaluateGrant(settings, self, peers, memory(), term, candidate, position, now,
                history);
        if (!verdict.granted()) {
            return verdict;
        }
        Duration window = settings.recovery().voterLeaseWindow();
        VoterState next = new VoterState(Math.max(term, state.term()), term, candidate, candidate,
                wallClock.instant().plus(window));
        return store(next, now + window.toNanos(), verdict);
    }

    /** Evaluates a lease renewal and, when granting, stores the extended lease before returning. */
    public synchronized Verdict renewLease(long term, String holder, NodeSnapshot self) {
        if (!brokenReason.isEmpty()) {
            return Verdict.reject(brokenReason);
        }
        long now = nanoClock.getAsLong();
        Verdict verdict = GrantPolicy.evaluateLease(settings, self, memory(), term, holder, now);
        if (!verdict.granted()) {
            return verdict;
        }
        Duration window = settings.recovery().voterLeaseWindow();
        // A renewal never raises the stored term: only a grant, after every check, moves the term on.
        VoterState next = new VoterState(state.term(), state.grantedTerm(), state.grantedTo(), holder,
                wallClock.instant().plus(window));
        return store(next, now + window.toNanos(), verdict);
    }

    private Verdict store(VoterState next, long expiresNanos, Verdict verdict) {
        try {
            DurableFiles.writeAtomically(file, json.writeValueAsBytes(next));
        } catch (IOException e) {
            LOG.errorf("[%s] storing the voter state in %s failed: %s", settings.nodeName(), file, e.getMessage());
            return Verdict.reject("storing the vote in " + file + " failed (" + e.getMessage()
                    + "), so it is not granted");
        }
        state = next;
        leaseExpiresNanos = expiresNanos;
        return verdict;
    }

    private VoterMemory memory() {
        return new VoterMemory(state.term(), state.grantedTerm(), state.grantedTo(), state.leaseHolder(),
                leaseExpiresNanos);
    }

    /** Returns when the current lease ends on the local monotonic clock, for status output. */
    public synchronized long leaseExpiresNanos() {
        return leaseExpiresNanos;
    }

    /** Returns the wall-clock time the stored lease ends. */
    public synchronized Instant leaseExpiresAt() {
        return state.leaseExpiresAt();
    }
}
