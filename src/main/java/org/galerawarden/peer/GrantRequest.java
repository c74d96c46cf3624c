package org.galerawarden.peer;

import org.galerawarden.model.Position;

/** A candidate's request for a bootstrap grant in {@code term}, carrying the position it would bootstrap from. */
public record GrantRequest(long term, String candidate, Position position) {
}
