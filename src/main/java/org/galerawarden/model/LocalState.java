package org.galerawarden.model;

/** Values of {@code wsrep_local_state}, the node's place in the state transfer cycle. */
public enum LocalState {
    JOINING(1),
    DONOR(2),
    JOINED(3),
    SYNCED(4),
    ERROR(5),
    UNKNOWN(0);

    private final int code;

    LocalState(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static LocalState of(int code) {
        for (LocalState state : values()) {
            if (state.code == code) {
                return state;
            }
        }
        return UNKNOWN;
    }
}
