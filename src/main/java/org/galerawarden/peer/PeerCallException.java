package org.galerawarden.peer;

/** A peer request that failed: not sent, timed out, rejected, or answered with a reply that fails verification. */
public class PeerCallException extends RuntimeException {

    public PeerCallException(String message) {
        super(message);
    }

    public PeerCallException(String message, Throwable cause) {
        super(message, cause);
    }
}
