package org.galerawarden.health;

/** The answer to a load balancer's health check: 200 or 503, and a short body naming the state and reason. */
public record HealthVerdict(int status, String body) {

    static HealthVerdict up(String body) {
        return new HealthVerdict(200, body);
    }

    static HealthVerdict down(String body) {
        return new HealthVerdict(503, body);
    }
}
