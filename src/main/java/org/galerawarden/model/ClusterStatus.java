package org.galerawarden.model;

/** Values of {@code wsrep_cluster_status}, plus UNKNOWN when the server did not answer. */
public enum ClusterStatus {
    PRIMARY,
    NON_PRIMARY,
    DISCONNECTED,
    UNKNOWN;

    /** Parses the status word MariaDB reports; anything unexpected is UNKNOWN. */
    public static ClusterStatus parse(String value) {
        if (value == null) {
            return UNKNOWN;
        }
        return switch (value.trim()) {
            case "Primary" -> PRIMARY;
            case "non-Primary" -> NON_PRIMARY;
            case "Disconnected" -> DISCONNECTED;
            default -> UNKNOWN;
        };
    }
}
