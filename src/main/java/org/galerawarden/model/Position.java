package org.galerawarden.model;

import java.util.Comparator;

/**
 * A node's replication position: the state UUID of its history and the seqno of the last committed
 * write-set. Positions of different state UUIDs are not comparable. An unknown position is modelled
 * as {@code Optional.empty()} by callers, never as seqno 0 or -1.
 */
public record Position(String uuid, long seqno) {

    /** The state UUID Galera writes before a node has joined any history. */
    public static final String ZERO_UUID = "00000000-0000-0000-0000-000000000000";

    /** Orders positions of one state UUID by seqno, then ties by nothing else. */
    public static final Comparator<Position> BY_SEQNO = Comparator.comparingLong(Position::seqno);

    public Position {
        if (uuid == null || uuid.isBlank()) {
            throw new IllegalArgumentException("position needs a state UUID");
        }
        if (!isKnown(uuid, seqno)) {
            throw new IllegalArgumentException("unknown position " + uuid + ":" + seqno + " must be modelled as empty");
        }
    }

    /**
     * Tells whether a (uuid, seqno) pair from Galera names a usable position. A zero UUID means the node
     * never joined a history, and a seqno below 0 means the server crashed or is running, so the seqno
     * on disk is stale.
     */
    public static boolean isKnown(String uuid, long seqno) {
        return uuid != null && !uuid.isBlank() && !ZERO_UUID.equals(uuid) && seqno >= 0;
    }

    public boolean sameHistory(Position other) {
        return uuid.equals(other.uuid);
    }

    /** Returns true when this position is at least {@code other}; both must share a state UUID. */
    public boolean atLeast(Position other) {
        if (!sameHistory(other)) {
            throw new IllegalArgumentException("positions of different state UUIDs are not comparable: " + this + " and " + other);
        }
        return seqno >= other.seqno;
    }

    @Override
    public String toString() {
        return uuid + ":" + seqno;
    }
}
