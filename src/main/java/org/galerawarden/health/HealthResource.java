package org.galerawarden.health;

import java.time.Duration;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.galerawarden.config.Settings;
import org.galerawarden.loop.AgentState;
import org.galerawarden.loop.MonotonicClock;

/**
 * The HAProxy check ({@code option httpchk}) on {@code /}. It reads only the cached snapshot, so a check
 * costs no database round trip, and it needs no credentials because it reveals only state words.
 */
@Path("/")
public class HealthResource {

    @Inject
    Settings settings;

    @Inject
    AgentState state;

    @Inject
    MonotonicClock clock;

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public Response check() {
        HealthVerdict verdict = current();
        return Response.status(verdict.status()).entity(verdict.body() + "\n").build();
    }

    @HEAD
    public Response head() {
        return Response.status(current().status()).build();
    }

    /** HAProxy sends OPTIONS / when {@code option httpchk} names no method. */
    @OPTIONS
    @Produces(MediaType.TEXT_PLAIN)
    public Response options() {
        return check();
    }

    public HealthVerdict current() {
        Duration age = Duration.ofNanos(clock.nanos() - state.snapshotNanos());
        return HealthEvaluator.evaluate(state.snapshot(), age, settings.pollInterval(), settings.health());
    }
}
