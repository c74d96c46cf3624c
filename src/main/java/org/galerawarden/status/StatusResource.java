package org.galerawarden.status;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import io.vertx.core.http.HttpServerRequest;

import org.galerawarden.config.Settings;
import org.galerawarden.decision.Decision;
import org.galerawarden.garbd.GarbdSupervisor;
import org.galerawarden.health.HealthResource;
import org.galerawarden.health.HealthVerdict;
import org.galerawarden.loop.AgentState;
import org.galerawarden.loop.MonotonicClock;
import org.galerawarden.model.PeerView;
import org.galerawarden.model.Position;
import org.galerawarden.model.Role;
import org.galerawarden.model.ServerStatus;
import org.galerawarden.peer.AdminAccess;
import org.galerawarden.peer.ErrorReply;
import org.galerawarden.peer.Voter;

/** {@code GET /status}: the agent's whole picture as JSON, for operators and tests. */
@Path("/status")
public class StatusResource {

    @Inject
    Settings settings;

    @Inject
    AgentState state;

    @Inject
    Voter voter;

    @Inject
    AdminAccess access;

    @Inject
    HealthResource health;

    @Inject
    MonotonicClock clock;

    @Inject
    GarbdSupervisor garbd;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response status(@Context UriInfo uri, @Context HttpHeaders headers, @Context HttpServerRequest request) {
        Optional<String> rejected = access.check("GET", uri, headers, new byte[0], request);
        if (rejected.isPresent()) {
            return Response.status(401).entity(new ErrorReply(rejected.get())).build();
        }
        return Response.ok(build()).build();
    }

    StatusView build() {
        long now = clock.nanos();
        HealthVerdict verdict = health.current();
        Map<String, Object> healthView = new LinkedHashMap<>();
        healthView.put("status", verdict.status());
        healthView.put("body", verdict.body());
        long leaseLeft = state.memory().lease().map(lease -> Duration.ofNanos(lease.validUntilNanos() - now).toMillis())
                .orElse(-1L);
        List<StatusView.PeerStatus> peers = new ArrayList<>();
        for (PeerView peer : state.peers().values()) {
            peers.add(describe(peer, now));
        }
        return new StatusView(settings.nodeName(), settings.role().name(), settings.mode().name(), healthView,
                state.snapshot().orElse(null), describe(state.decision()), voter.state(), leaseLeft, peers,
                garbd.status().orElse(null), describeColdStart());
    }

    private Map<String, Object> describeColdStart() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("enabled", settings.coldStart().enabled());
        Map<String, String> positions = new TreeMap<>();
        state.snapshot().filter(s -> s.server().stopped())
                .ifPresent(s -> positions.put(s.node(), s.stopped().describe()));
        for (PeerView peer : state.peers().values()) {
            peer.currentSnapshot().filter(s -> s.server().stopped())
                    .ifPresent(s -> positions.put(peer.node(), s.stopped().describe()));
        }
        view.put("positions", positions);
        Optional<Decision> decision = state.decision();
        view.put("choice", decision.map(d -> d.evidence().getOrDefault("choice", "")).orElse(""));
        return view;
    }

    private static Map<String, Object> describe(Optional<Decision> decision) {
        Map<String, Object> view = new LinkedHashMap<>();
        decision.ifPresent(d -> {
            view.put("kind", d.kind().name());
            view.put("reason", d.reason());
            view.put("term", d.term());
            view.put("evidence", d.evidence());
        });
        return view;
    }

    private static StatusView.PeerStatus describe(PeerView peer, long now) {
        long age = peer.lastReport().isPresent() ? Duration.ofNanos(now - peer.lastReportNanos()).toMillis() : -1;
        String server = peer.lastReport().map(report -> {
            ServerStatus status = report.snapshot().server();
            if (peer.role() == Role.ARBITRATOR) {
                return "";
            }
            return status.reachable() ? status.clusterStatus().name() : "DOWN";
        }).orElse("");
        String decision = peer.lastReport().map(report -> report.decision()).orElse("");
        return new StatusView.PeerStatus(peer.node(), peer.role().name(), peer.reachable(), peer.error(), age, server,
                peer.bestKnownPosition().map(Position::toString).orElse("unknown"), peer.term(), decision);
    }
}
