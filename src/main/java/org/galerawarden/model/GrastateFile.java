package org.galerawarden.model;

import java.util.Optional;

/**
 * The parsed contents of {@code grastate.dat}: the state UUID, the seqno Galera saved at the last clean
 * shutdown (-1 while the server runs or after a crash) and the {@code safe_to_bootstrap} flag.
 *
 * @param status whether the file was read and parsed
 * @param reason why the file is not valid, or an empty string when it is
 * @param uuid the state UUID, or null when not present
 * @param seqno the saved seqno, -1 when absent or not numeric
 * @param safeToBootstrap the {@code safe_to_bootstrap} flag, false when absent
 */
public record GrastateFile(FileStatus status, String reason, String uuid, long seqno, boolean safeToBootstrap) {

    public static GrastateFile missing(String reason) {
        return new GrastateFile(FileStatus.MISSING, reason, null, -1, false);
    }

    public static GrastateFile empty(String reason) {
        return new GrastateFile(FileStatus.EMPTY, reason, null, -1, false);
    }

    public static GrastateFile invalid(String reason) {
        return new GrastateFile(FileStatus.INVALID, reason, null, -1, false);
    }

    /** Returns the saved position, present only when the UUID is non-zero and the seqno is at least 0. */
    public Optional<Position> position() {
        if (status != FileStatus.VALID || !Position.isKnown(uuid, seqno)) {
            return Optional.empty();
        }
        return Optional.of(new Position(uuid, seqno));
    }

    /**
     * Tells whether {@code safe_to_bootstrap: 1} can be trusted. Galera sets the flag on the last node
     * of a cleanly stopped cluster, but a node that never held a position (zero UUID or seqno -1) could
     * still carry it from a copied file, so the flag counts only with a known position.
     */
    public boolean trustedSafeToBootstrap() {
        return safeToBootstrap && position().isPresent();
    }
}
