package org.galerawarden.peer;

/** A request from the leader of a bootstrapped minority component to extend its lease. */
public record LeaseRequest(long term, String holder) {
}
