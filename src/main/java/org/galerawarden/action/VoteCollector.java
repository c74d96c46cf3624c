package org.galerawarden.action;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.galerawarden.config.PeerSettings;
import org.galerawarden.config.Settings;
import org.galerawarden.decision.Verdict;
import org.galerawarden.loop.AgentState;
import org.galerawarden.loop.MonotonicClock;
import org.galerawarden.model.Position;
import org.galerawarden.peer.GrantRequest;
import org.galerawarden.peer.LeaseRequest;
import org.galerawarden.peer.PeerClient;
import org.galerawarden.peer.VoteReply;
import org.galerawarden.peer.Voter;

/**
 * Asks every voter, this agent's own voter first, for a bootstrap grant or a lease renewal, in parallel
 * and within the peer timeout.
 */
public class VoteCollector {

    private final Settings settings;
    private final Voter voter;
    private final PeerClient client;
    private final AgentState state;
    private final MonotonicClock clock;

    public VoteCollector(Settings settings, Voter voter, PeerClient client, AgentState state, MonotonicClock clock) {
        this.settings = settings;
        this.voter = voter;
        this.client = client;
        this.state = state;
        this.clock = clock;
    }

    public VoteRound collectGrants(long term, Position position) {
        long started = clock.nanos();
        Verdict own = state.snapshot().map(self -> voter.grant(term, settings.nodeName(), position, self, state.peers(),
                state.history()))
                .orElse(Verdict.reject("no snapshot taken yet"));
        GrantRequest request = new GrantRequest(term, settings.nodeName(), position);
        return collect(started, own, peer -> client.grant(peer, request));
    }

    public VoteRound collectLeases(long term) {
        long started = clock.nanos();
        Verdict own = state.snapshot().map(self -> voter.renewLease(term, settings.nodeName(), self))
                .orElse(Verdict.reject("no snapshot taken yet"));
        LeaseRequest request = new LeaseRequest(term, settings.nodeName());
        return collect(started, own, peer -> client.lease(peer, request));
    }

    private VoteRound collect(long started, Verdict own, Function<PeerSettings, CompletableFuture<VoteReply>> ask) {
        Map<String, CompletableFuture<VoteReply>> pending = new LinkedHashMap<>();
        for (PeerSettings peer : settings.otherPeers()) {
            pending.put(peer.name(), ask.apply(peer));
        }
        List<VoteReply> replies = new ArrayList<>();
        replies.add(new VoteReply(settings.nodeName(), own.granted(), own.reason(), voter.term()));
        List<String> failures = new ArrayList<>();
        long deadline = started + settings.recovery().peerTimeout().plusMillis(500).toNanos();
        for (Map.Entry<String, CompletableFuture<VoteReply>> entry : pending.entrySet()) {
            try {
                long left = Math.max(0, deadline - clock.nanos());
                VoteReply reply = entry.getValue().get(left, TimeUnit.NANOSECONDS);
                if (reply.voter().equals(entry.getKey())) {
                    replies.add(reply);
                } else {
                    failures.add(entry.getKey() + " answered as " + reply.voter() + ", so its vote is not counted;"
                            + " check warden.peers." + entry.getKey() + ".url");
                }
            } catch (TimeoutException e) {
                entry.getValue().cancel(true);
                failures.add(entry.getKey() + " did not answer within " + settings.recovery().peerTimeout().toMillis()
                        + " ms");
            } catch (ExecutionException e) {
                failures.add(entry.getKey() + " unreachable: " + e.getCause().getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add(entry.getKey() + " not asked: interrupted");
            }
        }
        return new VoteRound(started, replies, failures, settings.majority());
    }
}
