package org.galerawarden.peer;

/** The paths of the peer protocol, shared by {@link PeerResource} and {@link PeerClient}. */
public final class PeerPaths {

    public static final String STATE = "/peer/state";
    public static final String GRANT = "/peer/grant";
    public static final String LEASE = "/peer/lease";

    private PeerPaths() {
    }
}
