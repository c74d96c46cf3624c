package org.galerawarden.lab;

/** One answer of a node's health endpoint, as HAProxy would see it; code 0 when it did not answer. */
public record HealthSample(long millis, int node, int code, String body) {
}
