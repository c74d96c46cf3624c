package org.galerawarden.model;

import java.util.Optional;

/**
 * The position of a stopped server's data, as its agent determined it for a restart: from
 * {@code grastate.dat} when Galera saved one there, otherwise from {@code mariadbd --wsrep-recover}.
 *
 * @param managed whether the agent owns the start of its server
 * @param position the position, empty while unknown
 * @param source where the position comes from ({@code grastate.dat} or {@code wsrep-recover}), or why it
 *     is unknown
 * @param recoveredAtNanos when the last recovery run ended, in the reporting agent's monotonic clock; -1
 *     when none ran since the server stopped
 */
public record StoppedPosition(boolean managed, Optional<Position> position, String source, long recoveredAtNanos) {

    public static final String FROM_GRASTATE = "grastate.dat";
    public static final String FROM_RECOVERY = "wsrep-recover";
    /** The start of {@link #source} when a state transfer into the data directory did not finish. */
    public static final String SST_UNFINISHED = "the last state transfer did not finish";

    /** Returns the value for a server that runs, or an agent that does not start its server. */
    public static StoppedPosition none(boolean managed, String reason) {
        return new StoppedPosition(managed, Optional.empty(), reason, -1);
    }

    /** Returns a position read from {@code source}. */
    public static StoppedPosition known(boolean managed, Position position, String source, long recoveredAtNanos) {
        return new StoppedPosition(managed, Optional.of(position), source, recoveredAtNanos);
    }

    /** Describes the position for logs and evidence. */
    public String describe() {
        return position.map(p -> p + " (" + source + ")").orElse("unknown (" + source + ")");
    }
}
