package org.galerawarden.peer.auth;

/**
 * Raised when the shared secret file is missing, unsafe or unusable. The message names the path, the problem and
 * the fix, and never contains the secret.
 */
public class InvalidSecretException extends Exception {

    private static final long serialVersionUID = 1L;

    public InvalidSecretException(String message) {
        super(message);
    }

    public InvalidSecretException(String message, Throwable cause) {
        super(message, cause);
    }
}
