package org.galerawarden.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.galerawarden.loop.AgentState;

/**
 * SmallRye Health checks for {@code /q/health/live} and {@code /q/health/ready}. Liveness stays UP during
 * a recovery, so nothing restarts the agent in the middle of one; readiness is UP only when the
 * HAProxy check would answer 200.
 */
@ApplicationScoped
public class AgentHealthChecks {

    @Inject
    HealthResource health;

    @Inject
    AgentState state;

    @Liveness
    HealthCheck live() {
        return () -> HealthCheckResponse.named("galera-warden-agent").up()
                .withData("decision", state.decision().map(d -> d.kind().name()).orElse("NONE")).build();
    }

    @Readiness
    HealthCheck ready() {
        return () -> {
            HealthVerdict verdict = health.current();
            return HealthCheckResponse.named("galera-node").status(verdict.status() == 200)
                    .withData("check", verdict.body()).build();
        };
    }
}
